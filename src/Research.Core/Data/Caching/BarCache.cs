using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Parquet;
using Parquet.Schema;
using Research.Core.Data.Providers;
using Research.Core.IO;

namespace Research.Core.Data.Caching;

/// <summary>How the bar cache stores a symbol's bars.</summary>
public enum BarFileFormat
{
    /// <summary><c>&lt;SYMBOL&gt;.&lt;timeframe&gt;.parquet</c> (the default).</summary>
    Parquet,

    /// <summary><c>&lt;SYMBOL&gt;.&lt;timeframe&gt;.csv</c>: <c>timestamp,open,high,low,close,volume[,trade_count,vwap][,adj_close]</c>,
    /// ISO-8601 UTC timestamps, invariant culture.</summary>
    Csv,
}

/// <summary>A UTC half-open interval [Start, End) of bar start times a cache file is complete for.</summary>
/// <param name="Start">First instant covered.</param>
/// <param name="End">Instant after the last one covered.</param>
public sealed record CoveredRange(DateTime Start, DateTime End);

/// <summary>
/// What is recorded beside a cached file (<c>&lt;SYMBOL&gt;.&lt;timeframe&gt;.json</c>): where the bars came from, the
/// requests that fetched them, the time ranges they are complete for, and the SHA-256 of the data file.
/// </summary>
public sealed record BarCacheEntry
{
    /// <summary>Symbol.</summary>
    public required string Symbol { get; init; }

    /// <summary>Timeframe name (<c>1Min</c> … <c>1Day</c>).</summary>
    public required string Timeframe { get; init; }

    /// <summary>Provider and its data-shaping settings, e.g. <c>alpaca feed=iex adjustment=raw</c>.</summary>
    public required string Source { get; init; }

    /// <summary>The data file's name (beside this record).</summary>
    public required string File { get; init; }

    /// <summary>Number of bars in the file.</summary>
    public int Bars { get; init; }

    /// <summary>First bar start (UTC), or null when empty.</summary>
    public DateTime? First { get; init; }

    /// <summary>Last bar start (UTC), or null when empty.</summary>
    public DateTime? Last { get; init; }

    /// <summary>Time ranges fully fetched (a range with no bars, e.g. a holiday, is still covered).</summary>
    public IReadOnlyList<CoveredRange> Covered { get; init; } = [];

    /// <summary>Requests that fetched the data, as <c>start..end symbols</c> lines (no credentials).</summary>
    public IReadOnlyList<string> Requests { get; init; } = [];

    /// <summary>SHA-256 of the data file's bytes.</summary>
    public required string Sha256 { get; init; }
}

/// <summary>
/// The incremental bar cache: one file per symbol and timeframe under a folder (<c>data/cache</c> by default), written
/// atomically (temp file, then move; the data file before its record), with a record of coverage, requests and content
/// hash beside it so a re-run requests only what is missing.
/// </summary>
public sealed class BarCache(string folder, BarFileFormat format = BarFileFormat.Parquet)
{
    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    private static readonly DataField<DateTime> TimeField = new("timestamp");
    private static readonly string[] ValueNames = ["open", "high", "low", "close", "volume", "trade_count", "vwap", "adj_close"];

    /// <summary>The cache folder.</summary>
    public string Folder { get; } = folder;

    /// <summary>The file format new entries are written in.</summary>
    public BarFileFormat Format { get; } = format;

    /// <summary>The data file of <paramref name="symbol"/>'s <paramref name="timeframe"/> bars in this cache's format.</summary>
    public string DataPath(string symbol, BarTimeframe timeframe) =>
        Path.Combine(Folder, $"{symbol}.{timeframe.Name}.{(Format == BarFileFormat.Csv ? "csv" : "parquet")}");

    /// <summary>The record beside the data file.</summary>
    public string EntryPath(string symbol, BarTimeframe timeframe) => Path.Combine(Folder, $"{symbol}.{timeframe.Name}.json");

    /// <summary>
    /// The cached entry and bars of <paramref name="symbol"/>, or null when there is none usable: no record, another
    /// source or format, or a data file whose hash no longer matches its record (then it is refetched whole).
    /// </summary>
    public (BarCacheEntry Entry, BarColumns Bars)? TryRead(string symbol, BarTimeframe timeframe, string source)
    {
        string entryPath = EntryPath(symbol, timeframe);
        if (!File.Exists(entryPath)) return null;
        BarCacheEntry? entry;
        try
        {
            entry = JsonSerializer.Deserialize<BarCacheEntry>(File.ReadAllText(entryPath), Json);
        }
        catch (JsonException)
        {
            return null;
        }

        string dataPath = DataPath(symbol, timeframe);
        if (entry is null || entry.Source != source || entry.File != Path.GetFileName(dataPath) || !File.Exists(dataPath)) return null;
        var bytes = File.ReadAllBytes(dataPath);
        if (Convert.ToHexStringLower(SHA256.HashData(bytes)) != entry.Sha256) return null;
        return (entry, Format == BarFileFormat.Csv ? ReadCsv(bytes, dataPath) : ReadParquet(bytes));
    }

    /// <summary>Reads a data file written by this cache (either format, by extension).</summary>
    public static BarColumns ReadFile(string path) => path.EndsWith(".csv", StringComparison.OrdinalIgnoreCase)
        ? ReadCsv(File.ReadAllBytes(path), path)
        : ReadParquet(File.ReadAllBytes(path));

    /// <summary>Writes the bars, then their record, each atomically; returns the record written.</summary>
    public BarCacheEntry Write(string symbol, BarTimeframe timeframe, string source, BarColumns bars,
        IReadOnlyList<CoveredRange> covered, IReadOnlyList<string> requests)
    {
        string dataPath = DataPath(symbol, timeframe);
        byte[] bytes = Format == BarFileFormat.Csv ? CsvBytes(bars) : ParquetBytes(bars);
        AtomicFile.Write(dataPath, s => s.Write(bytes));
        var entry = new BarCacheEntry
        {
            Symbol = symbol,
            Timeframe = timeframe.Name,
            Source = source,
            File = Path.GetFileName(dataPath),
            Bars = bars.Count,
            First = bars.Count > 0 ? bars.Times[0] : null,
            Last = bars.Count > 0 ? bars.Times[^1] : null,
            Covered = covered,
            Requests = requests,
            Sha256 = Convert.ToHexStringLower(SHA256.HashData(bytes)),
        };
        AtomicFile.WriteAllText(EntryPath(symbol, timeframe), JsonSerializer.Serialize(entry, Json));
        return entry;
    }

    private static byte[] ParquetBytes(BarColumns bars)
    {
        var fields = ValueNames.Select(n => new DataField<double>(n)).ToArray();
        var schema = new ParquetSchema([TimeField, .. fields]);
        using var ms = new MemoryStream();
        Task.Run(async () =>
        {
            await using var writer = await ParquetWriter.CreateAsync(schema, ms);
            writer.CustomMetadata = new Dictionary<string, string> { ["research.format"] = "bars-v1" };
            using var group = writer.CreateRowGroup();
            await group.WriteAsync(TimeField, new ReadOnlyMemory<DateTime>(bars.Times));
            var columns = Columns(bars);
            for (int f = 0; f < fields.Length; f++) await group.WriteAsync(fields[f], new ReadOnlyMemory<double>(columns[f]));
        }).GetAwaiter().GetResult();
        return ms.ToArray();
    }

    private static BarColumns ReadParquet(byte[] bytes) => Task.Run(async () =>
    {
        using var ms = new MemoryStream(bytes, writable: false);
        await using var reader = await ParquetReader.CreateAsync(ms);
        var times = new List<DateTime>();
        var columns = ValueNames.Select(_ => new List<double>()).ToArray();
        for (int g = 0; g < reader.RowGroupCount; g++)
        {
            using var group = reader.OpenRowGroupReader(g);
            int rows = checked((int)group.RowCount);
            DataField Field(string name) => reader.Schema.DataFields.FirstOrDefault(f => f.Name == name)
                                             ?? throw new InvalidDataException($"bar cache file lacks column '{name}'.");
            var t = new DateTime[rows];
            await group.ReadAsync<DateTime>(Field(TimeField.Name), t.AsMemory(), null);
            times.AddRange(t.Select(x => DateTime.SpecifyKind(x, DateTimeKind.Utc)));
            for (int f = 0; f < ValueNames.Length; f++)
            {
                var v = new double[rows];
                await group.ReadAsync<double>(Field(ValueNames[f]), v.AsMemory(), null);
                columns[f].AddRange(v);
            }
        }

        return new BarColumns([.. times], [.. columns[0]], [.. columns[1]], [.. columns[2]], [.. columns[3]], [.. columns[4]],
            [.. columns[5]], [.. columns[6]], [.. columns[7]]);
    }).GetAwaiter().GetResult();

    private static double[][] Columns(BarColumns b) => [b.Open, b.High, b.Low, b.Close, b.Volume, b.TradeCount, b.Vwap, b.AdjClose];

    private static byte[] CsvBytes(BarColumns bars)
    {
        var inv = CultureInfo.InvariantCulture;
        bool stats = bars.HasTradeStats, adj = bars.HasAdjClose;
        var sb = new StringBuilder(bars.Count * 64);
        sb.Append("timestamp,open,high,low,close,volume").Append(stats ? ",trade_count,vwap" : "").Append(adj ? ",adj_close" : "").Append('\n');
        static string N(double v) => double.IsNaN(v) ? "" : v.ToString("R", CultureInfo.InvariantCulture);
        for (int i = 0; i < bars.Count; i++)
        {
            sb.Append(bars.Times[i].ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", inv)).Append(',').Append(N(bars.Open[i])).Append(',')
                .Append(N(bars.High[i])).Append(',').Append(N(bars.Low[i])).Append(',').Append(N(bars.Close[i])).Append(',')
                .Append(N(bars.Volume[i]));
            if (stats) sb.Append(',').Append(N(bars.TradeCount[i])).Append(',').Append(N(bars.Vwap[i]));
            if (adj) sb.Append(',').Append(N(bars.AdjClose[i]));
            sb.Append('\n');
        }

        return new UTF8Encoding(false).GetBytes(sb.ToString());
    }

    private static BarColumns ReadCsv(byte[] bytes, string path)
    {
        var lines = Encoding.UTF8.GetString(bytes).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        if (lines.Length == 0) throw new DataFormatException(path, 1, null, "the bar file is empty.");
        var header = lines[0].Split(',');
        int Col(string name) => Array.IndexOf(header, name);
        int[] at = ValueNames.Select(Col).ToArray();
        if (Col("timestamp") != 0 || at[..5].Any(i => i < 0))
            throw new DataFormatException(path, 1, null, "expected the header timestamp,open,high,low,close,volume[,trade_count,vwap][,adj_close].");
        int n = lines.Length - 1;
        var times = new DateTime[n];
        var columns = ValueNames.Select(_ => new double[n]).ToArray();
        for (int r = 0; r < n; r++)
        {
            var f = lines[r + 1].Split(',');
            if (f.Length != header.Length) throw new DataFormatException(path, r + 2, null, $"expected {header.Length} fields, found {f.Length}.");
            times[r] = BarCsvLoader.ParseTimestamp(f[0], path, r + 2, 0);
            for (int c = 0; c < ValueNames.Length; c++)
            {
                columns[c][r] = at[c] < 0 ? double.NaN : BarCsvLoader.ParseNumber(f[at[c]], path, r + 2, at[c], ValueNames[c]);
            }
        }

        return new BarColumns(times, columns[0], columns[1], columns[2], columns[3], columns[4], columns[5], columns[6], columns[7]);
    }
}
