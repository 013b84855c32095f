using System.Globalization;
using Research.Core.Data;

namespace Research.Core.Evaluation;

/// <summary>
/// Reads a <c>date,return</c> CSV: the first column is the date (<c>yyyy-MM-dd</c>, optionally followed by a time as
/// pandas writes it), the return is the column named <c>return</c>/<c>returns</c>/<c>ret</c> or else the second.
/// A header row is optional (recognised when its first field is not a date). Empty, <c>NaN</c> and <c>nan</c>
/// values are missing (NaN). Dates must be strictly increasing. Errors name the file, line and column.
/// </summary>
public static class ReturnSeriesCsv
{
    private static readonly string[] ReturnNames = ["return", "returns", "ret", "daily_return", "strategy"];

    /// <summary>Loads <paramref name="path"/>; the series is named after the file stem unless <paramref name="name"/> is given.</summary>
    public static ReturnSeries Load(string path, string? name = null)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: no such file.", path);
        return Parse(File.ReadLines(path), path, name ?? Path.GetFileNameWithoutExtension(path));
    }

    /// <summary>
    /// The <c>date,return</c> CSV of <paramref name="dates"/> and <paramref name="returns"/> (equal lengths), returns
    /// at round-trip precision and NaN as an empty field: what <see cref="Parse"/> reads back unchanged.
    /// </summary>
    public static string Format(ReadOnlySpan<DateOnly> dates, ReadOnlySpan<double> returns)
    {
        if (dates.Length != returns.Length)
            throw new ArgumentException($"{dates.Length} dates but {returns.Length} returns.", nameof(returns));
        var sb = new System.Text.StringBuilder(dates.Length * 32);
        sb.Append("date,return\n");
        for (int i = 0; i < dates.Length; i++)
        {
            sb.Append(dates[i].ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)).Append(',');
            if (!double.IsNaN(returns[i])) sb.Append(returns[i].ToString("R", CultureInfo.InvariantCulture));
            sb.Append('\n');
        }

        return sb.ToString();
    }

    /// <summary>Parses CSV <paramref name="lines"/>; <paramref name="source"/> names them in errors.</summary>
    public static ReturnSeries Parse(IEnumerable<string> lines, string source, string name)
    {
        var dates = new List<DateOnly>();
        var values = new List<double>();
        int valueColumn = 1, lineNumber = 0;
        char delimiter = ',';
        bool first = true;
        foreach (string raw in lines)
        {
            lineNumber++;
            string line = raw.TrimEnd('\r');
            if (line.Length == 0 || line.StartsWith('#')) continue;
            if (first)
            {
                delimiter = line.Contains(',') ? ',' : line.Contains(';') ? ';' : line.Contains('\t') ? '\t' : ',';
            }

            var fields = CsvFields.Split(line, delimiter, source, lineNumber);
            if (first)
            {
                first = false;
                if (!TryDate(fields[0], out _))
                {
                    int named = fields.FindIndex(f => ReturnNames.Contains(f.Trim().ToLowerInvariant()));
                    if (named > 0) valueColumn = named;
                    if (fields.Count < 2)
                        throw new DataFormatException(source, lineNumber, null, $"the header has {fields.Count} column; expected date,return.");
                    continue;
                }
            }

            if (fields.Count <= valueColumn)
            {
                throw new DataFormatException(source, lineNumber, null,
                    $"{fields.Count} field(s); expected a date and a return (column {valueColumn + 1}).");
            }

            if (!TryDate(fields[0], out var date))
                throw new DataFormatException(source, lineNumber, 1, $"'{fields[0]}' is not a date (expected yyyy-MM-dd).");
            string v = fields[valueColumn].Trim();
            double value;
            if (v.Length == 0 || v.Equals("nan", StringComparison.OrdinalIgnoreCase)) value = double.NaN;
            else if (!double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out value) || double.IsInfinity(value))
                throw new DataFormatException(source, lineNumber, valueColumn + 1, $"return '{fields[valueColumn]}' is not a number.");
            if (dates.Count > 0 && date <= dates[^1])
            {
                throw new DataFormatException(source, lineNumber, 1, date == dates[^1]
                    ? $"date {date:yyyy-MM-dd} appears twice."
                    : $"date {date:yyyy-MM-dd} comes after {dates[^1]:yyyy-MM-dd}; rows must be in increasing date order.");
            }

            dates.Add(date);
            values.Add(value);
        }

        if (dates.Count == 0) throw new DataFormatException(source, null, null, "no data rows.");
        return new ReturnSeries([.. dates], [.. values], name);
    }

    private static bool TryDate(string field, out DateOnly date)
    {
        string f = field.Trim().Trim('"');
        if (f.Length > 10 && (f[10] == ' ' || f[10] == 'T')) f = f[..10];
        return DateOnly.TryParseExact(f, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date);
    }
}
