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

/// <summary>Loads the data a config names through its <see cref="IMarketDataSource"/>: read, check, repair, assemble, through the Parquet cache.</summary>
public static class MarketDataLoader
{
    /// <summary>
    /// Loads <paramref name="config"/>'s data; <paramref name="cacheFolder"/> null disables the panel cache. A provider
    /// other than <c>local</c> first fetches what the bar cache lacks (<paramref name="log"/> hears its progress).
    /// </summary>
    public static MarketData Load(DataConfig config, string? cacheFolder, TextWriter? log = null,
        IDictionary<string, string?>? secrets = null)
    {
        var source = Source(config, cacheFolder, log, secrets);
        try
        {
            // A local config selects with "tickers" (all when empty); a provider fetches its "symbols" (validated: dates given).
            var symbols = config.Provider == "local" ? config.Tickers : config.Symbols;
            return source.GetBarsAsync(symbols, config.Start ?? DateOnly.MinValue, config.End ?? DateOnly.MaxValue,
                BarTimeframe.Parse(config.Timeframe)).GetAwaiter().GetResult();
        }
        finally
        {
            (source as IDisposable)?.Dispose();
        }
    }

    /// <summary>
    /// The source a config names: its local paths, or its provider (credentials from the environment, then
    /// <paramref name="secrets"/>) through the bar cache. A provider source owns its HTTP client: dispose it.
    /// </summary>
    public static IMarketDataSource Source(DataConfig config, string? cacheFolder, TextWriter? log = null,
        IDictionary<string, string?>? secrets = null) => config.Provider == "local"
        ? new LocalBarSource(config.Paths, config.Policy, config.Session, cacheFolder)
        : new ProviderBarSource(BarProviders.Create(config, secrets), new BarCache(config.BarCache),
            BarProviders.Source(config.Provider, config.Feed, config.Adjustment), config.Policy, config.Session, cacheFolder, log);

    /// <summary>Reads the panel from the cache or builds it, and records the outcome.</summary>
    internal static MarketData Assemble(string? cacheFolder, string hash, IReadOnlyList<string> files,
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
        return new MarketData(panel, quality, hash, files, outcome, clock.Elapsed);
    }

    /// <summary>The panel's bars on session dates <paramref name="start"/>..<paramref name="end"/> (inclusive; the full extremes keep all).</summary>
    internal static MarketPanel Window(MarketPanel panel, DateOnly start, DateOnly end, string where)
    {
        if (start == DateOnly.MinValue && end == DateOnly.MaxValue) return panel;
        int a = panel.Calendar.LowerBound(start);
        int b = end == DateOnly.MaxValue ? panel.DateCount : panel.Calendar.LowerBound(end.AddDays(1));
        if (b <= a)
        {
            throw new DataFormatException(where, null, null,
                $"no bars between {start:yyyy-MM-dd} and {end:yyyy-MM-dd} (the data run {panel.Calendar.First:yyyy-MM-dd} to {panel.Calendar.Last:yyyy-MM-dd}).");
        }

        return a == 0 && b == panel.DateCount ? panel : panel.SliceDates(a, b);
    }

    /// <summary>
    /// Runs the quality checker with <paramref name="policy"/> over <paramref name="series"/>: the panel, and its report as
    /// the panel cache keeps it (with the session filter's note). Every <paramref name="unit"/> (file, symbol) rejected is
    /// an error naming <paramref name="where"/>.
    /// </summary>
    internal static (MarketPanel Panel, string Attachment) Check(IReadOnlyList<BarSeries> series, int filtered, QualityPolicy policy,
        string session, string where, string unit)
    {
        var result = new QualityChecker(policy).Run(series);
        if (result.Panel is null)
        {
            throw new DataFormatException(where, null, null,
                $"every {unit} was rejected by policy '{policy.Name}':\n{result.Report.ToText(details: false)}");
        }

        return (result.Panel, JsonSerializer.Serialize(WithFilterNote(QualityReportSummary.From(result.Report), filtered, session), ArtifactJson.Compact));
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

    internal static string BarsHash(IEnumerable<BarSeries> series, params string[] salt)
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
