using System.Security.Cryptography;
using System.Text.Json;
using Parquet;
using Parquet.Schema;
using Research.Core.IO;

namespace Research.Core.Data.Caching;

/// <summary>
/// Processed panels stored as Parquet (long format: date[, time], ticker, open, high, low, close, volume[, adj_close]; the
/// UTC <c>time</c> column only for intraday panels) under a
/// folder, one file per key. The key is a content hash of the input files and the policy; the file's own metadata
/// repeats the key and a checksum of the values, so a stale or corrupt entry is detected on read and rebuilt.
/// Writes go to a temporary file that is then moved into place, so a killed process never leaves half a file.
/// </summary>
public sealed class PanelCache
{
    /// <summary>Bumped whenever the stored layout changes; part of every key.</summary>
    public const string FormatVersion = "panel-v1";

    private static readonly DataField<DateOnly> DateField = new("date");
    private static readonly DataField<DateTime> TimeField = new("time");
    private static readonly DataField<string> TickerField = new("ticker");
    private static readonly DataField<double>[] ValueFields =
        [new("open"), new("high"), new("low"), new("close"), new("volume"), new("adj_close")];

    /// <summary>Creates a cache rooted at <paramref name="folder"/> (created on first write).</summary>
    public PanelCache(string folder) => Folder = folder;

    /// <summary>The cache folder.</summary>
    public string Folder { get; }

    /// <summary>What the last <see cref="GetOrBuild"/> did: "hit", "miss", or "rebuilt: why".</summary>
    public string LastOutcome { get; private set; } = "";

    /// <summary>The file an entry with <paramref name="key"/> lives in.</summary>
    public string PathFor(string key) => Path.Combine(Folder, $"{key}.parquet");

    /// <summary>
    /// The cached value for <paramref name="key"/>, or, on a miss or a bad entry, the result of
    /// <paramref name="build"/>, stored. The attachment is extra text kept with the entry (the quality
    /// report as JSON), returned on a hit.
    /// </summary>
    public (MarketPanel Panel, string Attachment) GetOrBuild(string key, Func<(MarketPanel Panel, string Attachment)> build)
    {
        string path = PathFor(key);
        if (File.Exists(path))
        {
            try
            {
                var hit = Read(path, key);
                LastOutcome = "hit";
                return hit;
            }
            catch (Exception e) when (e is InvalidDataException or IOException or JsonException or ArgumentException
                                          or InvalidOperationException or NotSupportedException or IndexOutOfRangeException)
            {
                LastOutcome = $"rebuilt: {e.Message}";
            }
        }
        else
        {
            LastOutcome = "miss";
        }

        var built = build();
        Write(path, key, built.Panel, built.Attachment);
        return built;
    }

    /// <summary>Writes an entry atomically (temp file, then move).</summary>
    public static void Write(string path, string key, MarketPanel panel, string attachment) =>
        AtomicFile.Write(path, s => WriteAsync(s, key, panel, attachment).GetAwaiter().GetResult());

    private static async Task WriteAsync(Stream stream, string key, MarketPanel panel, string attachment)
    {
        int T = panel.DateCount, N = panel.TickerCount, rows = T * N;
        var fields = panel.HasAdjClose ? ValueFields : ValueFields[..5];
        bool intraday = panel.Calendar.IsIntraday;
        var schema = new ParquetSchema(intraday ? [DateField, TimeField, TickerField, .. fields] : [DateField, TickerField, .. fields]);
        var dates = new DateOnly[rows];
        var times = intraday ? new DateTime[rows] : null;
        var tickers = new string[rows];
        for (int k = 0; k < N; k++)
        {
            for (int t = 0; t < T; t++)
            {
                dates[k * T + t] = panel.Calendar[t];
                if (times is not null) times[k * T + t] = panel.Calendar.Time(t);
                tickers[k * T + t] = panel.Tickers[k];
            }
        }

        await using var writer = await ParquetWriter.CreateAsync(schema, stream);
        writer.CustomMetadata = new Dictionary<string, string>
        {
            ["research.format"] = FormatVersion,
            ["research.key"] = key,
            ["research.tickers"] = JsonSerializer.Serialize(panel.Tickers, ArtifactJson.Compact),
            ["research.dates"] = T.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["research.checksum"] = Checksum(panel),
            ["research.attachment"] = attachment,
        };
        using var group = writer.CreateRowGroup();
        await group.WriteAsync(DateField, new ReadOnlyMemory<DateOnly>(dates));
        if (times is not null) await group.WriteAsync(TimeField, new ReadOnlyMemory<DateTime>(times));
        await group.WriteAsync(TickerField, tickers);
        for (int f = 0; f < fields.Length; f++)
        {
            await group.WriteAsync(fields[f], new ReadOnlyMemory<double>(panel.Column((PriceField)f).ToArray()));
        }
    }

    /// <summary>Reads and verifies an entry; throws <see cref="InvalidDataException"/> when it is stale or corrupt.</summary>
    public static (MarketPanel Panel, string Attachment) Read(string path, string key)
    {
        using var stream = File.OpenRead(path);
        return ReadAsync(stream, key).GetAwaiter().GetResult();
    }

    private static async Task<(MarketPanel, string)> ReadAsync(Stream stream, string key)
    {
        await using var reader = await ParquetReader.CreateAsync(stream);
        var meta = reader.CustomMetadata;
        string Meta(string k) => meta.TryGetValue(k, out var v) ? v : throw new InvalidDataException($"cache entry lacks '{k}'.");
        if (Meta("research.format") != FormatVersion) throw new InvalidDataException("cache entry has an old format.");
        if (Meta("research.key") != key) throw new InvalidDataException("cache entry is stale (its key does not match).");
        var tickers = JsonSerializer.Deserialize<string[]>(Meta("research.tickers"), ArtifactJson.Compact)
                      ?? throw new InvalidDataException("cache entry has no tickers.");
        int T = int.Parse(Meta("research.dates"), System.Globalization.CultureInfo.InvariantCulture);
        int N = tickers.Length, rows = T * N;
        if (reader.RowGroupCount != 1) throw new InvalidDataException("cache entry has an unexpected row-group count.");
        using var group = reader.OpenRowGroupReader(0);
        if (group.RowCount != rows) throw new InvalidDataException($"cache entry has {group.RowCount} rows, expected {rows}.");
        DataField Field(string name) => reader.Schema.DataFields.FirstOrDefault(f => f.Name == name)
                                         ?? throw new InvalidDataException($"cache entry lacks column '{name}'.");
        // Parquet's DATE logical type reads back as DateTime.
        var stamps = new DateTime[rows];
        await group.ReadAsync<DateTime>(Field(DateField.Name), stamps.AsMemory(), null);
        var dates = new DateOnly[T];
        for (int t = 0; t < T; t++) dates[t] = DateOnly.FromDateTime(stamps[t]);
        TradingCalendar calendar;
        if (reader.Schema.DataFields.Any(f => f.Name == TimeField.Name))
        {
            var instants = new DateTime[rows];
            await group.ReadAsync<DateTime>(Field(TimeField.Name), instants.AsMemory(), null);
            calendar = TradingCalendar.Intraday(instants[..T].Select(x => DateTime.SpecifyKind(x, DateTimeKind.Utc)).ToArray());
        }
        else
        {
            calendar = new TradingCalendar(dates);
        }

        var columns = new double[6][];
        bool hasAdj = reader.Schema.DataFields.Any(f => f.Name == "adj_close");
        for (int f = 0; f < (hasAdj ? 6 : 5); f++)
        {
            columns[f] = new double[rows];
            await group.ReadAsync<double>(Field(ValueFields[f].Name), columns[f].AsMemory(), null);
        }

        var panel = new MarketPanel(calendar, tickers, columns[0], columns[1], columns[2],
            columns[3], columns[4], hasAdj ? columns[5] : null);
        if (Checksum(panel) != Meta("research.checksum")) throw new InvalidDataException("cache entry checksum mismatch.");
        return (panel, Meta("research.attachment"));
    }

    /// <summary>SHA-256 over the calendar, tickers and every value of the panel.</summary>
    internal static string Checksum(MarketPanel panel)
    {
        using var h = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var d in panel.Calendar.Dates) h.AppendData(BitConverter.GetBytes(d.DayNumber));
        foreach (var t in panel.Calendar.Times) h.AppendData(BitConverter.GetBytes(t.Ticks));
        foreach (var t in panel.Tickers) h.AppendData(System.Text.Encoding.UTF8.GetBytes(t + "\n"));
        for (int f = 0; f < (panel.HasAdjClose ? 6 : 5); f++)
        {
            h.AppendData(System.Runtime.InteropServices.MemoryMarshal.AsBytes(panel.Column((PriceField)f)));
        }

        return Convert.ToHexStringLower(h.GetHashAndReset());
    }
}
