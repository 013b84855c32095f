using System.Collections;
using System.Globalization;
using System.Net;
using System.Reflection;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Data.Analysis;
using Plotly.NET;
using Research.Notebooks.Scripting;

namespace Research.Notebooks.Formatting;

/// <summary>
/// Turns a displayed value into an nbformat MIME bundle: a Microsoft.Data.Analysis <see cref="DataFrame"/> becomes an
/// HTML table of its first rows, a Plotly.NET <see cref="GenericChart"/> an HTML chart (plotly.js inlined into the
/// first chart of the notebook, so the output works offline), <see cref="HtmlString"/> HTML, anything else text
/// (<c>ToString()</c>, collections listed). Every bundle has <c>text/plain</c>. One instance per notebook run.
/// </summary>
public sealed class DisplayFormatter
{
    private bool _plotlyIncluded;

    /// <summary>Rows of a DataFrame shown in HTML.</summary>
    public int MaxRows { get; init; } = 20;

    /// <summary>Items of a collection shown in text.</summary>
    public const int MaxItems = 20;

    /// <summary>True once a chart output carried plotly.js.</summary>
    public bool PlotlyIncluded => _plotlyIncluded;

    /// <summary>The MIME bundle for <paramref name="value"/>; <paramref name="mimeTypes"/> restricts it when given.</summary>
    public JsonObject Format(object? value, IReadOnlyCollection<string> mimeTypes)
    {
        var data = new JsonObject();
        if (value is string s && mimeTypes.Count > 0)
        {
            // display("<b>x</b>", "text/html"): the string is the content of each requested type.
            foreach (var mime in mimeTypes) data[mime] = s;
            if (!data.ContainsKey("text/plain")) data["text/plain"] = s;
            return data;
        }

        string? html = value switch
        {
            HtmlString h => h.Html,
            DataFrame df => DataFrameHtml(df, MaxRows),
            GenericChart chart => ChartHtml(chart),
            _ => null,
        };
        bool wantHtml = mimeTypes.Count == 0 || mimeTypes.Contains("text/html");
        if (html is not null && wantHtml) data["text/html"] = html;
        data["text/plain"] = PlainText(value);
        return data;
    }

    /// <summary>Text for any value: DataFrames and collections summarised, numbers invariant, null as &lt;null&gt;.</summary>
    public static string PlainText(object? value)
    {
        switch (value)
        {
            case null:
                return "<null>";
            case string s:
                return s;
            case HtmlString h:
                return h.Html;
            case DataFrame df:
                return DataFrameText(df, 10);
            case GenericChart:
                return "Plotly.NET chart (shown as HTML)";
            case IFormattable f:
                return f.ToString(null, CultureInfo.InvariantCulture);
            case IDictionary dict:
                {
                    var sb = new StringBuilder();
                    sb.Append(TypeName(value.GetType())).Append(" (").Append(dict.Count).Append(" entries) {");
                    int n = 0;
                    foreach (DictionaryEntry e in dict)
                    {
                        if (n++ == MaxItems)
                        {
                            sb.Append(", …");
                            break;
                        }

                        sb.Append(n == 1 ? " " : ", ").Append(Item(e.Key)).Append(": ").Append(Item(e.Value));
                    }

                    return sb.Append(" }").ToString();
                }

            case IEnumerable items when !HasOwnToString(value.GetType()):
                {
                    var list = new List<string>();
                    int total = 0;
                    foreach (var item in items)
                    {
                        if (total++ < MaxItems) list.Add(Item(item));
                    }

                    string more = total > MaxItems ? $", … ({total - MaxItems} more)" : "";
                    return $"{TypeName(value.GetType())} ({total} items): [{string.Join(", ", list)}{more}]";
                }

            default:
                {
                    if (value.GetType().Namespace?.StartsWith("Deedle", StringComparison.Ordinal) == true
                        && value.GetType().GetMethod("Format", Type.EmptyTypes) is { } format && format.ReturnType == typeof(string))
                    {
                        return (string)format.Invoke(value, null)!;
                    }

                    return value.ToString() ?? "";
                }
        }
    }

    private static string Item(object? item) => item switch
    {
        null => "null",
        string s => "\"" + s + "\"",
        _ => PlainText(item),
    };

    private static bool HasOwnToString(Type type)
    {
        var m = type.GetMethod("ToString", BindingFlags.Public | BindingFlags.Instance, Type.EmptyTypes);
        return m is not null && m.DeclaringType != typeof(object) && !(m.DeclaringType?.IsGenericType == true
            && m.DeclaringType.Namespace?.StartsWith("System.Collections", StringComparison.Ordinal) == true);
    }

    /// <summary>A readable type name (<c>List&lt;int&gt;</c>, <c>double[]</c>).</summary>
    public static string TypeName(Type type)
    {
        if (type.IsArray) return TypeName(type.GetElementType()!) + "[]";
        if (!type.IsGenericType) return Alias(type);
        string name = type.Name[..type.Name.IndexOf('`', StringComparison.Ordinal)];
        return $"{name}<{string.Join(", ", type.GetGenericArguments().Select(TypeName))}>";
    }

    private static string Alias(Type t) =>
        t == typeof(int) ? "int" : t == typeof(double) ? "double" : t == typeof(string) ? "string" : t == typeof(bool) ? "bool"
        : t == typeof(long) ? "long" : t == typeof(float) ? "float" : t == typeof(decimal) ? "decimal" : t == typeof(object) ? "object" : t.Name;

    /// <summary>An HTML table of the first <paramref name="maxRows"/> rows, with a note when there are more.</summary>
    public static string DataFrameHtml(DataFrame df, int maxRows)
    {
        long rows = df.Rows.Count;
        int cols = df.Columns.Count;
        int shown = (int)Math.Min(rows, maxRows);
        var sb = new StringBuilder();
        sb.Append("<div class=\"dataframe-wrap\"><table class=\"dataframe\"><thead><tr><th></th>");
        foreach (var c in df.Columns) sb.Append("<th>").Append(WebUtility.HtmlEncode(c.Name)).Append("</th>");
        sb.Append("</tr></thead><tbody>");
        for (int r = 0; r < shown; r++)
        {
            sb.Append("<tr><th>").Append(r).Append("</th>");
            for (int c = 0; c < cols; c++)
            {
                var v = df.Columns[c][r];
                sb.Append(v is null ? "<td class=\"null\"></td>" : "<td>" + WebUtility.HtmlEncode(Cell(v)) + "</td>");
            }

            sb.Append("</tr>");
        }

        sb.Append("</tbody></table>");
        sb.Append("<p class=\"dataframe-note\">").Append(shown < rows ? $"First {shown} of {rows:N0} rows" : $"{rows:N0} rows")
            .Append(" × ").Append(cols).Append(" columns</p></div>");
        return sb.ToString();
    }

    /// <summary>A fixed-width text table of the first <paramref name="maxRows"/> rows.</summary>
    public static string DataFrameText(DataFrame df, int maxRows)
    {
        long rows = df.Rows.Count;
        int shown = (int)Math.Min(rows, maxRows);
        var table = new List<string[]> { df.Columns.Select(c => c.Name).ToArray() };
        for (int r = 0; r < shown; r++) table.Add(df.Columns.Select(c => c[r] is { } v ? Cell(v) : "").ToArray());
        var widths = Enumerable.Range(0, df.Columns.Count).Select(c => table.Max(row => row[c].Length)).ToArray();
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"DataFrame: {rows:N0} rows × {df.Columns.Count} columns\n");
        foreach (var row in table) sb.Append(string.Join("  ", row.Select((x, i) => x.PadLeft(widths[i])))).Append('\n');
        if (shown < rows) sb.Append(CultureInfo.InvariantCulture, $"… {rows - shown:N0} more rows\n");
        return sb.ToString();
    }

    private static string Cell(object v) => v switch
    {
        DateTime d when d.TimeOfDay == TimeSpan.Zero => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        double x => Math.Abs(x) is >= 1e5 and < 1e15 ? x.ToString("0.##", CultureInfo.InvariantCulture) : x.ToString("G6", CultureInfo.InvariantCulture),
        float x => x.ToString("G6", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => v.ToString() ?? "",
    };

    /// <summary>
    /// The chart as a <c>div</c> and the script drawing it; the first chart of the notebook also carries plotly.js
    /// itself (from the Plotly.NET assembly), later ones use it.
    /// </summary>
    public string ChartHtml(GenericChart chart)
    {
        string html = GenericChart.toChartHTML(chart);
        if (_plotlyIncluded) return html;
        _plotlyIncluded = true;
        return "<script type=\"text/javascript\">" + PlotlyJs.Value + "</script>\n" + html;
    }

    /// <summary>plotly.min.js as embedded in Plotly.NET.</summary>
    public static readonly Lazy<string> PlotlyJs = new(() =>
    {
        var asm = typeof(GenericChart).Assembly;
        string name = asm.GetManifestResourceNames().First(n => n.StartsWith("Plotly.NET.plotly-", StringComparison.Ordinal) && n.EndsWith(".min.js", StringComparison.Ordinal));
        using var stream = asm.GetManifestResourceStream(name)!;
        using var reader = new StreamReader(stream);
        // A literal "</script>" inside the library would end the inline script early.
        return reader.ReadToEnd().Replace("</script", "<\\/script", StringComparison.OrdinalIgnoreCase);
    });
}
