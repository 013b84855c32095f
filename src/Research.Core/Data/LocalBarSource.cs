using System.Diagnostics;
using System.Text.Json;
using Research.Core.Configuration;
using Research.Core.Data.Caching;
using Research.Core.Data.Providers;
using Research.Core.Data.Quality;

namespace Research.Core.Data;

/// <summary>
/// Bars from local files, offline: CSV files (one ticker per file, or long format with a Name column) and the bar
/// cache's <c>&lt;SYMBOL&gt;.&lt;timeframe&gt;.csv|parquet</c> files, in the folders or files of
/// <paramref name="paths"/>. A file named with a timeframe suffix is read only for that timeframe; a file without one is
/// read for any timeframe whose kind (daily or intraday) it holds. The panel is built from every file the timeframe
/// selects (so a symbol subset shares the calendar of the whole folder) and kept in the panel cache under
/// <paramref name="panelCache"/> (null: no cache).
/// </summary>
/// <param name="paths">Folders and files.</param>
/// <param name="policy">The quality checker's repair policy.</param>
/// <param name="session">Intraday session filter: <c>regular</c> or <c>extended</c> hours.</param>
/// <param name="panelCache">Panel cache folder, or null.</param>
public sealed class LocalBarSource(IReadOnlyList<string> paths, QualityPolicy policy, string session = "regular",
    string? panelCache = null) : IMarketDataSource
{
    /// <inheritdoc />
    public string Name => "local";

    /// <inheritdoc />
    public Task<MarketData> GetBarsAsync(IReadOnlyList<string> symbols, DateOnly start, DateOnly end, BarTimeframe timeframe,
        CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var clock = Stopwatch.StartNew();
        var files = Files(timeframe);
        string policyJson = JsonSerializer.Serialize(policy, ConfigJson.Options);
        string hash = session == "regular"
            ? ContentHash.Of(files, PanelCache.FormatVersion, policyJson)
            : ContentHash.Of(files, PanelCache.FormatVersion, policyJson, session);

        (MarketPanel, string) Build()
        {
            var (series, filtered) = MarketDataLoader.SessionFilter(files.SelectMany(f => Read(f, timeframe)).ToList(), session);
            return MarketDataLoader.Check(series, filtered, policy, session, string.Join(", ", paths), "file");
        }

        var data = MarketDataLoader.Assemble(panelCache, hash, files, Build, clock);
        var panel = symbols.Count > 0 ? data.Panel.SelectTickers(symbols) : data.Panel;
        return Task.FromResult(data with { Panel = MarketDataLoader.Window(panel, start, end, string.Join(", ", paths)) });
    }

    /// <summary>The files the timeframe selects, sorted by path (ordinal).</summary>
    private List<string> Files(BarTimeframe timeframe)
    {
        var all = new List<string>();
        foreach (var p in paths)
        {
            if (Directory.Exists(p)) all.AddRange(Directory.GetFiles(p, "*.csv").Concat(Directory.GetFiles(p, "*.parquet")));
            else if (File.Exists(p)) all.Add(p);
            else throw new DataFormatException(p, null, null, "file or folder not found.");
        }

        var chosen = all.Where(f => BarCsvLoader.TimeframeFromPath(f) is not { } tf || tf == timeframe).Order(StringComparer.Ordinal).ToList();
        if (chosen.Count > 0) return chosen;
        var held = all.Select(BarCsvLoader.TimeframeFromPath).OfType<BarTimeframe>().Select(t => t.Name).Distinct().Order().ToArray();
        throw new DataFormatException(string.Join(", ", paths), null, null, held.Length == 0
            ? "no .csv or .parquet files found."
            : $"no files of timeframe {timeframe} found (the files hold {string.Join(", ", held)}); set data.timeframe to one of those.");
    }

    private static IEnumerable<BarSeries> Read(string file, BarTimeframe timeframe)
    {
        if (file.EndsWith(".parquet", StringComparison.OrdinalIgnoreCase))
        {
            if (BarCsvLoader.TimeframeFromPath(file) is null)
                throw new DataFormatException(file, null, null, "a Parquet bar file is named <SYMBOL>.<timeframe>.parquet (e.g. AAPL.1Min.parquet), as the bar cache writes it.");
            return [BarCache.ReadFile(file).ToSeries(BarCsvLoader.TickerFromPath(file), file, !timeframe.IsDaily)];
        }

        return BarCsvLoader.LoadFile(file).Select(s => Kind(s, file, timeframe));
    }

    /// <summary>A CSV's series as the timeframe's kind: daily bars stamped with instants become session dates.</summary>
    private static BarSeries Kind(BarSeries s, string file, BarTimeframe timeframe)
    {
        if (timeframe.IsDaily && s.IsIntraday)
        {
            if (BarCsvLoader.TimeframeFromPath(file) is null)
                throw new DataFormatException(file, null, null, $"the file holds intraday bars but the timeframe is {timeframe}; set data.timeframe to their bar size (1Min, 5Min, 15Min or 1Hour).");
            return new BarSeries(s.Ticker, s.Source, s.Dates, s.Open, s.High, s.Low, s.Close, s.Volume, s.AdjClose, s.Lines);
        }

        if (!timeframe.IsDaily && !s.IsIntraday)
            throw new DataFormatException(file, null, null, $"the file holds daily bars (dates, no times) but the timeframe is {timeframe}; set data.timeframe to 1Day.");
        return s;
    }
}
