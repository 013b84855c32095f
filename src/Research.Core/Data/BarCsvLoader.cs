using System.Globalization;
using System.Text;

namespace Research.Core.Data;

/// <summary>
/// Reads daily bar CSVs (the embedded per-ticker layout, Yahoo Finance's layout, or any column order of those names)
/// into <see cref="BarSeries"/>. Streams the file line by line, so memory grows with the rows kept, never with the text.
/// Accepts a UTF-8 BOM, CRLF or LF line endings, and <c>,</c> <c>;</c> tab or <c>|</c> delimiters. Empty fields and
/// Yahoo's <c>null</c> (also <c>NaN</c>, <c>NA</c>, <c>N/A</c>) are missing values (NaN), left for the quality
/// checker to report; anything else that is not a number or a <c>yyyy-MM-dd</c> date is a
/// <see cref="DataFormatException"/> naming file, line and column. Rows are never dropped here.
/// </summary>
public static class BarCsvLoader
{
    /// <summary>The date format every loader accepts.</summary>
    public const string DateFormat = "yyyy-MM-dd";

    /// <summary>Loads every <c>*.csv</c> in <paramref name="folder"/> (sorted by file name).</summary>
    public static IReadOnlyList<BarSeries> LoadFolder(string folder)
    {
        if (!Directory.Exists(folder))
        {
            throw new DataFormatException(folder, null, null, "folder not found.");
        }

        var files = Directory.GetFiles(folder, "*.csv").Order(StringComparer.Ordinal).ToArray();
        if (files.Length == 0)
        {
            throw new DataFormatException(folder, null, null, "the folder holds no .csv files.");
        }

        return LoadFiles(files);
    }

    /// <summary>Loads files and folders (folders expand to their <c>*.csv</c> files).</summary>
    public static IReadOnlyList<BarSeries> LoadPaths(IEnumerable<string> paths)
    {
        var result = new List<BarSeries>();
        foreach (var path in paths)
        {
            result.AddRange(Directory.Exists(path) ? LoadFolder(path) : LoadFile(path));
        }

        return result;
    }

    /// <summary>Loads each file in turn.</summary>
    public static IReadOnlyList<BarSeries> LoadFiles(IEnumerable<string> files)
    {
        var result = new List<BarSeries>();
        foreach (var f in files) result.AddRange(LoadFile(f));
        return result;
    }

    /// <summary>
    /// Loads one file. A file with a <c>Name</c>/<c>Ticker</c>/<c>Symbol</c> column yields one series per distinct
    /// name (a long-format file of many tickers); otherwise one series named after the file.
    /// </summary>
    public static IReadOnlyList<BarSeries> LoadFile(string path)
    {
        if (!File.Exists(path))
        {
            throw new DataFormatException(path, null, null, "file not found.");
        }

        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16,
            FileOptions.SequentialScan);
        using var reader = new StreamReader(stream, new UTF8Encoding(false, true), detectEncodingFromByteOrderMarks: true,
            bufferSize: 1 << 16);
        return Load(reader, path, TickerFromPath(path));
    }

    /// <summary>The ticker a file names when it has no Name column: its file name without extension (and without a <c>.1Min</c>-style timeframe suffix).</summary>
    public static string TickerFromPath(string path)
    {
        string name = Path.GetFileNameWithoutExtension(path);
        return TimeframeFromPath(path) is { } tf ? name[..^(tf.Name.Length + 1)] : name;
    }

    /// <summary>
    /// The timeframe a file's name carries as a suffix (the bar cache names its files <c>&lt;SYMBOL&gt;.&lt;timeframe&gt;.csv|parquet</c>;
    /// a symbol's own dots, as in BRK.B, stay), or null.
    /// </summary>
    public static Providers.BarTimeframe? TimeframeFromPath(string path)
    {
        string name = Path.GetFileNameWithoutExtension(path);
        foreach (var tf in Providers.BarTimeframe.All)
        {
            if (name.Length > tf.Name.Length + 1 && name.EndsWith("." + tf.Name, StringComparison.OrdinalIgnoreCase)) return tf;
        }

        return null;
    }

    /// <summary>Loads from a reader; <paramref name="source"/> names it in errors.</summary>
    public static IReadOnlyList<BarSeries> Load(TextReader reader, string source, string defaultTicker)
    {
        string? header;
        try
        {
            header = reader.ReadLine();
        }
        catch (DecoderFallbackException e)
        {
            throw new DataFormatException(source, 1, null, "the file is not valid UTF-8 text.", e);
        }

        if (header is null || header.Trim().Length == 0)
        {
            throw new DataFormatException(source, 1, null,
                "the file is empty: expected a header such as Date,Open,High,Low,Close,Volume.");
        }

        var layout = CsvLayout.Parse(header.TrimStart('\uFEFF'), source);
        var builders = new Dictionary<string, SeriesBuilder>(StringComparer.Ordinal);
        var order = new List<SeriesBuilder>();
        SeriesBuilder? last = null;
        var fields = new List<string>(layout.FieldCount);
        int lineNumber = 1;
        while (true)
        {
            string? line;
            try
            {
                line = reader.ReadLine();
            }
            catch (DecoderFallbackException e)
            {
                throw new DataFormatException(source, lineNumber + 1, null, "the line is not valid UTF-8 text.", e);
            }

            if (line is null) break;
            lineNumber++;
            if (line.Length == 0 || (line.Length < 8 && line.Trim().Length == 0)) continue; // blank line

            CsvFields.Split(line, layout.Delimiter, source, lineNumber, fields);
            if (fields.Count != layout.FieldCount)
            {
                throw new DataFormatException(source, lineNumber, Math.Min(fields.Count, layout.FieldCount) + 1,
                    $"expected {layout.FieldCount} fields as in the header, found {fields.Count}.");
            }

            string ticker = defaultTicker;
            if (layout.HasName)
            {
                ticker = fields[layout.Name].Trim();
                if (ticker.Length == 0)
                {
                    throw new DataFormatException(source, lineNumber, layout.Name + 1, "the Name field is empty.");
                }
            }

            if (last is null || last.Ticker != ticker)
            {
                if (!builders.TryGetValue(ticker, out last))
                {
                    last = new SeriesBuilder(ticker, layout.HasAdjClose, layout.Timestamped);
                    builders.Add(ticker, last);
                    order.Add(last);
                }
            }

            var (date, time) = layout.Timestamped
                ? Stamped(ParseTimestamp(fields[layout.Date], source, lineNumber, layout.Date))
                : (ParseDate(fields[layout.Date], source, lineNumber, layout.Date), default);
            last.Add(
                date, time,
                ParseNumber(fields[layout.Open], source, lineNumber, layout.Open, "Open"),
                ParseNumber(fields[layout.High], source, lineNumber, layout.High, "High"),
                ParseNumber(fields[layout.Low], source, lineNumber, layout.Low, "Low"),
                ParseNumber(fields[layout.Close], source, lineNumber, layout.Close, "Close"),
                ParseNumber(fields[layout.Volume], source, lineNumber, layout.Volume, "Volume"),
                layout.HasAdjClose ? ParseNumber(fields[layout.AdjClose], source, lineNumber, layout.AdjClose, "Adj Close") : double.NaN,
                lineNumber);
        }

        if (order.Count == 0)
        {
            throw new DataFormatException(source, lineNumber, null, "the file has a header but no data rows.");
        }

        return order.Select(b => b.Build(source)).ToArray();
    }

    /// <summary>Parses a <c>yyyy-MM-dd</c> date or throws naming the line and column.</summary>
    internal static DateOnly ParseDate(string field, string source, int line, int index)
    {
        var s = field.AsSpan().Trim();
        if (DateOnly.TryParseExact(s, DateFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out var d))
        {
            return d;
        }

        string why = s.Length == 0
            ? "the Date field is empty."
            : s.Length == 10 && s[4] == '-' && s[7] == '-'
                ? $"'{s}' is not a real calendar date."
                : $"'{s}' is not a date in the {DateFormat} format.";
        throw new DataFormatException(source, line, index + 1, why);
    }

    private static (DateOnly, DateTime) Stamped(DateTime utc) => (UsEquitySession.SessionDate(utc), utc);

    /// <summary>
    /// Parses an ISO-8601 instant with an offset or <c>Z</c> (e.g. <c>2024-01-02T14:30:00Z</c>) to UTC, or throws naming
    /// the line and column; a timestamp without an offset is ambiguous and refused.
    /// </summary>
    internal static DateTime ParseTimestamp(string field, string source, int line, int index)
    {
        var s = field.AsSpan().Trim();
        bool hasOffset = s.Length > 10 && (s[^1] is 'Z' or 'z' || s[^6] is '+' or '-' && s[^3] == ':');
        if (hasOffset && DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.None, out var t))
        {
            return t.UtcDateTime;
        }

        string why = s.Length == 0
            ? "the timestamp field is empty."
            : !hasOffset && DateTime.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.None, out _)
                ? $"timestamp '{s}' has no UTC offset; write it as ISO-8601 with 'Z' or '+hh:mm'."
                : $"'{s}' is not an ISO-8601 timestamp such as 2024-01-02T14:30:00Z.";
        throw new DataFormatException(source, line, index + 1, why);
    }

    /// <summary>Parses a number; empty and null-like fields are NaN (missing).</summary>
    internal static double ParseNumber(string field, string source, int line, int index, string column)
    {
        var s = field.AsSpan().Trim();
        if (s.Length == 0 || IsMissingToken(s)) return double.NaN;
        if (double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) && double.IsFinite(v))
        {
            return v;
        }

        string hint = s.Contains(',') ? " (use '.' as the decimal separator)" : "";
        throw new DataFormatException(source, line, index + 1, $"{column} value '{s}' is not a number{hint}.");
    }

    private static bool IsMissingToken(ReadOnlySpan<char> s) =>
        s.Equals("null", StringComparison.OrdinalIgnoreCase) || s.Equals("nan", StringComparison.OrdinalIgnoreCase)
        || s.Equals("na", StringComparison.OrdinalIgnoreCase) || s.Equals("n/a", StringComparison.OrdinalIgnoreCase);

    private sealed class SeriesBuilder(string ticker, bool hasAdj, bool timestamped)
    {
        private readonly List<DateOnly> _dates = new(4096);
        private readonly List<DateTime> _times = new(timestamped ? 4096 : 0);
        private readonly List<double> _open = new(4096), _high = new(4096), _low = new(4096), _close = new(4096),
            _volume = new(4096), _adj = new(hasAdj ? 4096 : 0);
        private readonly List<int> _lines = new(4096);

        public string Ticker { get; } = ticker;

        public void Add(DateOnly d, DateTime time, double o, double h, double l, double c, double v, double adj, int line)
        {
            _dates.Add(d);
            if (timestamped) _times.Add(time);
            _open.Add(o);
            _high.Add(h);
            _low.Add(l);
            _close.Add(c);
            _volume.Add(v);
            if (hasAdj) _adj.Add(adj);
            _lines.Add(line);
        }

        public BarSeries Build(string source) => new(Ticker, source, [.. _dates], [.. _open], [.. _high], [.. _low],
            [.. _close], [.. _volume], hasAdj ? [.. _adj] : null, [.. _lines], timestamped ? [.. _times] : null);
    }
}
