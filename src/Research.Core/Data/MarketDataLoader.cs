using System.Diagnostics;
using System.Text.Json;
using Research.Core.Configuration;
using Research.Core.Data.Caching;
using Research.Core.Data.Providers;
using Research.Core.Data.Quality;
using Research.Core.IO;

namespace Research.Core.Data;

/// <summary>A loaded, checked and repaired data set, with what it took to get there.</summary>
/// <param name="Panel">The panel on the union calendar.</param>
/// <param name="Quality">The quality report (from the cache on a hit).</param>
/// <param name="DataHash">Content hash of the input files and the policy: the data's identity in run logs.</param>
/// <param name="Files">The input files.</param>
/// <param name="CacheOutcome">hit, miss, rebuilt: why, or off.</param>
/// <param name="Elapsed">Wall time of the load.</param>
public sealed record MarketData(MarketPanel Panel, QualityReportSummary Quality, string DataHash,
    IReadOnlyList<string> Files, string CacheOutcome, TimeSpan Elapsed);

/// <summary>The parts of a quality report kept with a cached panel.</summary>
/// <param name="Text">The full text report.</param>
/// <param name="DefectCount">Number of defects.</param>
/// <param name="RepairCount">Number of repairs.</param>
/// <param name="Rejected">Rejected files.</param>
/// <param name="CountsByKind">Defect counts by kind name.</param>
public sealed record QualityReportSummary(string Text, int DefectCount, int RepairCount,
    IReadOnlyDictionary<string, string> Rejected, IReadOnlyDictionary<string, int> CountsByKind)
{
    /// <summary>Summarises a full report.</summary>
    public static QualityReportSummary From(QualityReport r) => new(r.ToText(), r.Defects.Count, r.Repairs.Count,
        r.Rejected, r.CountsByKind.ToDictionary(kv => QualityReport.Name(kv.Key), kv => kv.Value));
}

/// <summary>Loads the data a config names: read, check, repair, assemble, through the Parquet cache.</summary>
public static class MarketDataLoader
{
    /// <summary>
    /// Loads <paramref name="config"/>'s data; <paramref name="cacheFolder"/> null disables the panel cache. A provider
    /// other than <c>local</c> first fetches what the bar cache lacks (<paramref name="log"/> hears its progress).
    /// </summary>
    public static MarketData Load(DataConfig config, string? cacheFolder, TextWriter? log = null,
        IDictionary<string, string?>? secrets = null)
    {
        if (config.Provider != "local") return LoadFromProvider(config, cacheFolder, log, secrets);
        var clock = Stopwatch.StartNew();
        var files = ContentHash.InputFiles(config.Paths);
        foreach (var p in config.Paths)
        {
            if (!File.Exists(p) && !Directory.Exists(p)) throw new DataFormatException(p, null, null, "file or folder not found.");
        }

        if (files.Count == 0) throw new DataFormatException(string.Join(", ", config.Paths), null, null, "no .csv files found.");
        string policyJson = JsonSerializer.Serialize(config.Policy, ConfigJson.Options);
        string hash = config.Session == "regular"
            ? ContentHash.Of(files, PanelCache.FormatVersion, policyJson)
            : ContentHash.Of(files, PanelCache.FormatVersion, policyJson, config.Session);

        (MarketPanel, string) Build()
        {
            var (series, filtered) = SessionFilter(BarCsvLoader.LoadFiles(files), config.Session);
            var result = new QualityChecker(config.Policy).Run(series);
            if (result.Panel is null)
            {
                throw new DataFormatException(string.Join(", ", config.Paths), null, null,
                    $"every file was rejected by policy '{config.Policy.Name}':\n{result.Report.ToText(details: false)}");
            }

            return (result.Panel, JsonSerializer.Serialize(WithFilterNote(QualityReportSummary.From(result.Report), filtered, config.Session), ArtifactJson.Compact));
        }

        return Assemble(config, cacheFolder, hash, files, Build, clock);
    }

    private static MarketData Assemble(DataConfig config, string? cacheFolder, string hash, IReadOnlyList<string> files,
        Func<(MarketPanel, string)> build, Stopwatch clock)
    {
        MarketPanel panel;
        string attachment;
        string outcome = "off";
        if (cacheFolder is null)
        {
            (panel, attachment) = build();
        }
        else
        {
            var cache = new PanelCache(cacheFolder);
            (panel, attachment) = cache.GetOrBuild(hash, build);
            outcome = cache.LastOutcome;
        }

        var quality = JsonSerializer.Deserialize<QualityReportSummary>(attachment, ArtifactJson.Compact)
                      ?? throw new InvalidDataException("empty quality report");
        if (config.Tickers.Count > 0) panel = panel.SelectTickers(config.Tickers);
        return new MarketData(panel, quality, hash, files, outcome, clock.Elapsed);
    }

    /// <summary>
    /// Fetches what the bar cache lacks of the config's symbols and range, then reads the range from the cache into
    /// series and through the quality checker. The data hash covers the bars used, not the files.
    /// </summary>
    private static MarketData LoadFromProvider(DataConfig config, string? cacheFolder, TextWriter? log, IDictionary<string, string?>? secrets)
    {
        var clock = Stopwatch.StartNew();
        var tf = BarTimeframe.Parse(config.Timeframe);
        var symbols = config.Symbols.Select(s => s.Trim().ToUpperInvariant()).Distinct().ToArray();
        var request = new FetchRequest(symbols, config.Start!.Value, config.End!.Value, tf);
        var cache = new BarCache(config.BarCache);
        var provider = BarProviders.Create(config, secrets);
        try
        {
            var progress = log is null ? null : new ThrottledProgress(log);
            var fetched = new BarFetcher(provider, cache, BarProviders.Source(config.Provider, config.Feed, config.Adjustment))
                .FetchAsync(request, progress).GetAwaiter().GetResult();
            log?.WriteLine(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"  {config.Provider} {tf}: {fetched.Requests} request(s), {fetched.Retries} retr{(fetched.Retries == 1 ? "y" : "ies")}, {fetched.BarsFetched:N0} new bar(s) into {cache.Folder} in {fetched.Elapsed.TotalSeconds:F1} s"));
        }
        finally
        {
            (provider as IDisposable)?.Dispose();
        }

        var (start, end) = request.UtcRange;
        var files = symbols.Select(s => cache.DataPath(s, tf)).ToArray();
        var raw = symbols.Select((s, i) => BarCache.ReadFile(files[i]).Between(start, end).ToSeries(s, files[i], !tf.IsDaily)).ToList();
        var (series, filtered) = SessionFilter(raw, config.Session);
        string policyJson = JsonSerializer.Serialize(config.Policy, ConfigJson.Options);
        string hash = BarsHash(series, PanelCache.FormatVersion, policyJson, config.Session);

        (MarketPanel, string) Build()
        {
            var result = new QualityChecker(config.Policy).Run(series);
            if (result.Panel is null)
            {
                throw new DataFormatException(string.Join(", ", files), null, null,
                    $"every symbol was rejected by policy '{config.Policy.Name}':\n{result.Report.ToText(details: false)}");
            }

            return (result.Panel, JsonSerializer.Serialize(WithFilterNote(QualityReportSummary.From(result.Report), filtered, config.Session), ArtifactJson.Compact));
        }

        return Assemble(config, cacheFolder, hash, files, Build, clock);
    }

    /// <summary>
    /// Keeps intraday bars inside the session hours (<c>regular</c> or <c>extended</c>); daily series pass unchanged.
    /// Returns the bars dropped, which the quality report states.
    /// </summary>
    internal static (List<BarSeries> Series, int Dropped) SessionFilter(IReadOnlyList<BarSeries> series, string session)
    {
        var hours = session == "extended" ? SessionHours.Extended : SessionHours.Regular;
        var kept = new List<BarSeries>(series.Count);
        int dropped = 0;
        foreach (var s in series)
        {
            if (!s.IsIntraday)
            {
                kept.Add(s);
                continue;
            }

            var rows = Enumerable.Range(0, s.Count).Where(i => UsEquitySession.Contains(hours, s.Times![i])).ToArray();
            dropped += s.Count - rows.Length;
            kept.Add(rows.Length == s.Count ? s : s.Select(rows));
        }

        return (kept, dropped);
    }

    private static QualityReportSummary WithFilterNote(QualityReportSummary q, int dropped, string session) => dropped == 0 ? q
        : q with
        {
            Text = string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"Session filter ({session} hours, New York): kept bars {(session == "extended" ? "04:00-20:00" : "09:30-16:00")} on weekdays; dropped {dropped} bar(s) outside them.\n") + q.Text,
        };

    private static string BarsHash(IEnumerable<BarSeries> series, params string[] salt)
    {
        using var h = System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA256);
        foreach (var s in salt) h.AppendData(System.Text.Encoding.UTF8.GetBytes(s + "\n"));
        foreach (var s in series)
        {
            h.AppendData(System.Text.Encoding.UTF8.GetBytes(s.Ticker + "\n"));
            for (int i = 0; i < s.Count; i++) h.AppendData(BitConverter.GetBytes(s.Key(i)));
            foreach (var column in new[] { s.Open, s.High, s.Low, s.Close, s.Volume, s.AdjClose ?? [] })
                h.AppendData(System.Runtime.InteropServices.MemoryMarshal.AsBytes(column.AsSpan()));
        }

        return Convert.ToHexStringLower(h.GetHashAndReset());
    }

    /// <summary>Fetch progress as a log line at most every 2 s (and at the end).</summary>
    private sealed class ThrottledProgress(TextWriter log) : IProgress<FetchProgress>
    {
        private DateTime _last = DateTime.MinValue;

        public void Report(FetchProgress p)
        {
            if (p.UnitsDone < p.Units && DateTime.UtcNow - _last < TimeSpan.FromSeconds(2)) return;
            _last = DateTime.UtcNow;
            log.WriteLine(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"  fetch {p.UnitsDone}/{p.Units} requests, {p.Pages} page(s), {p.Bars:N0} bars, {p.BarsPerSecond:N0} bars/s, ETA {p.Eta.TotalSeconds:F0} s"));
        }
    }

    /// <summary>
    /// The closes of an index file (Yahoo layout) on <paramref name="calendar"/>: dates the index lacks take the last
    /// known level (NaN before its first date). On an intraday calendar a bar sees only the index's closes of earlier
    /// sessions (today's close is not known during the session).
    /// </summary>
    public static double[] LoadIndexCloses(string path, TradingCalendar calendar)
    {
        var s = BarCsvLoader.LoadFile(path)[0];
        var order = Enumerable.Range(0, s.Count).Where(i => s.Close[i] > 0).OrderBy(i => s.Dates[i]).ToArray();
        var r = new double[calendar.Count];
        int j = 0;
        double last = double.NaN;
        for (int t = 0; t < r.Length; t++)
        {
            while (j < order.Length && (calendar.IsIntraday ? s.Dates[order[j]] < calendar[t] : s.Dates[order[j]] <= calendar[t])) last = s.Close[order[j++]];
            r[t] = last;
        }

        return r;
    }
}
