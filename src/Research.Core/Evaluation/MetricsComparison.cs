using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.Data.Analysis;

namespace Research.Core.Evaluation;

/// <summary>
/// Metrics of several named runs side by side, one row per run and a final benchmark row, one column per metric.
/// Build it with <see cref="Build"/>; render it as a <see cref="DataFrame"/>, Markdown or HTML.
/// </summary>
public sealed class MetricsComparison
{
    private MetricsComparison(IReadOnlyList<string> rows, IReadOnlyList<MetricInfo> metrics, double[,] values,
        int benchmarkRow)
    {
        Rows = rows;
        Metrics = metrics;
        Values = values;
        BenchmarkRow = benchmarkRow;
    }

    /// <summary>Row names: the runs in the order given, then the benchmark when there is one.</summary>
    public IReadOnlyList<string> Rows { get; }

    /// <summary>The metric columns.</summary>
    public IReadOnlyList<MetricInfo> Metrics { get; }

    /// <summary>Values[row, column]; NaN where undefined.</summary>
    public double[,] Values { get; }

    /// <summary>Index of the benchmark row, or -1.</summary>
    public int BenchmarkRow { get; }

    /// <summary>
    /// The table of <paramref name="runs"/> (name and report) and an optional benchmark row, over
    /// <paramref name="metricKeys"/> (default <see cref="MetricCatalog.Headline"/>). Run names must be distinct.
    /// </summary>
    public static MetricsComparison Build(IEnumerable<(string Name, PerformanceReport Report)> runs,
        (string Name, PerformanceReport Report)? benchmark = null, IEnumerable<string>? metricKeys = null)
    {
        var list = runs.ToList();
        if (benchmark is { } bm) list.Add(bm);
        var names = list.Select(r => r.Name).ToList();
        var duplicate = names.GroupBy(n => n).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null) throw new ArgumentException($"Run name '{duplicate.Key}' appears twice.", nameof(runs));
        var metrics = (metricKeys ?? MetricCatalog.Headline).Select(MetricCatalog.Get).ToList();
        var values = new double[list.Count, metrics.Count];
        for (int i = 0; i < list.Count; i++)
            for (int j = 0; j < metrics.Count; j++) values[i, j] = list[i].Report[metrics[j].Key];
        return new MetricsComparison(names, metrics, values, benchmark is null ? -1 : list.Count - 1);
    }

    /// <summary>
    /// As a DataFrame: a string column <c>run</c> and one double column per metric named by its key; NaN and ±∞
    /// values become nulls (a DataFrame has no NaN of its own to show).
    /// </summary>
    public DataFrame ToDataFrame()
    {
        var columns = new List<DataFrameColumn> { new StringDataFrameColumn("run", Rows) };
        for (int j = 0; j < Metrics.Count; j++)
        {
            var col = new DoubleDataFrameColumn(Metrics[j].Key, Rows.Count);
            for (int i = 0; i < Rows.Count; i++) col[i] = double.IsFinite(Values[i, j]) ? Values[i, j] : null;
            columns.Add(col);
        }

        return new DataFrame(columns);
    }

    /// <summary>A GitHub-flavoured Markdown table with formatted values (the benchmark row in italics).</summary>
    public string ToMarkdown()
    {
        var sb = new StringBuilder();
        sb.Append("| Run |");
        foreach (var m in Metrics) sb.Append(' ').Append(EscapeMarkdown(m.Label)).Append(" |");
        sb.Append('\n').Append("|---|");
        foreach (var _ in Metrics) sb.Append("---:|");
        sb.Append('\n');
        for (int i = 0; i < Rows.Count; i++)
        {
            string name = EscapeMarkdown(Rows[i]);
            sb.Append("| ").Append(i == BenchmarkRow ? $"*{name}*" : name).Append(" |");
            for (int j = 0; j < Metrics.Count; j++)
                sb.Append(' ').Append(MetricCatalog.FormatValue(Metrics[j], Values[i, j])).Append(" |");
            sb.Append('\n');
        }

        return sb.ToString();
    }

    /// <summary>
    /// An HTML <c>&lt;table class="metrics-comparison"&gt;</c> (no page around it); names are HTML-encoded, each cell
    /// has the raw value in <c>data-value</c>, and the benchmark row has <c>class="benchmark"</c>.
    /// </summary>
    public string ToHtml()
    {
        var sb = new StringBuilder();
        sb.Append("<table class=\"metrics-comparison\">\n<thead><tr><th>Run</th>");
        foreach (var m in Metrics)
            sb.Append("<th data-key=\"").Append(m.Key).Append("\">").Append(WebUtility.HtmlEncode(m.Label)).Append("</th>");
        sb.Append("</tr></thead>\n<tbody>\n");
        for (int i = 0; i < Rows.Count; i++)
        {
            sb.Append(i == BenchmarkRow ? "<tr class=\"benchmark\">" : "<tr>");
            sb.Append("<th>").Append(WebUtility.HtmlEncode(Rows[i])).Append("</th>");
            for (int j = 0; j < Metrics.Count; j++)
            {
                sb.Append("<td data-value=\"").Append(Values[i, j].ToString("R", CultureInfo.InvariantCulture)).Append("\">")
                    .Append(WebUtility.HtmlEncode(MetricCatalog.FormatValue(Metrics[j], Values[i, j]))).Append("</td>");
            }

            sb.Append("</tr>\n");
        }

        sb.Append("</tbody>\n</table>\n");
        return sb.ToString();
    }

    /// <summary>
    /// The table turned on its side as fixed-width plain text for a console: one line per metric, one column per run
    /// (the benchmark column's header marked with <c>*</c>). Columns are as wide as their longest cell.
    /// </summary>
    public string ToText()
    {
        var header = new string[Rows.Count + 1];
        header[0] = "metric";
        for (int i = 0; i < Rows.Count; i++) header[i + 1] = i == BenchmarkRow ? Rows[i] + "*" : Rows[i];
        var lines = new List<string[]> { header };
        for (int j = 0; j < Metrics.Count; j++)
        {
            var line = new string[Rows.Count + 1];
            line[0] = Metrics[j].Label;
            for (int i = 0; i < Rows.Count; i++) line[i + 1] = MetricCatalog.FormatValue(Metrics[j], Values[i, j]);
            lines.Add(line);
        }

        var widths = new int[header.Length];
        foreach (var line in lines)
            for (int c = 0; c < line.Length; c++) widths[c] = Math.Max(widths[c], line[c].Length);
        var sb = new StringBuilder();
        foreach (var line in lines)
        {
            sb.Append("  ").Append(line[0].PadRight(widths[0]));
            for (int c = 1; c < line.Length; c++) sb.Append("  ").Append(line[c].PadLeft(widths[c]));
            sb.Append('\n');
        }

        return sb.ToString();
    }

    /// <summary>
    /// The same table turned on its side, one row per metric and one column per run (how the tearsheet shows a run
    /// against its benchmarks), as HTML.
    /// </summary>
    public string ToTransposedHtml()
    {
        var sb = new StringBuilder();
        sb.Append("<table class=\"metrics\">\n<thead><tr><th>Metric</th>");
        foreach (var r in Rows) sb.Append("<th>").Append(WebUtility.HtmlEncode(r)).Append("</th>");
        sb.Append("</tr></thead>\n<tbody>\n");
        for (int j = 0; j < Metrics.Count; j++)
        {
            sb.Append("<tr data-key=\"").Append(Metrics[j].Key).Append("\"><th>").Append(WebUtility.HtmlEncode(Metrics[j].Label)).Append("</th>");
            for (int i = 0; i < Rows.Count; i++)
                sb.Append("<td>").Append(WebUtility.HtmlEncode(MetricCatalog.FormatValue(Metrics[j], Values[i, j]))).Append("</td>");
            sb.Append("</tr>\n");
        }

        sb.Append("</tbody>\n</table>\n");
        return sb.ToString();
    }

    private static string EscapeMarkdown(string s) => s.Replace("|", "\\|").Replace("\n", " ");
}
