using System.Diagnostics;
using System.Text.Json;
using Research.Core.Configuration;
using Research.Core.Data.Caching;
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
    /// <summary>Loads <paramref name="config"/>'s data; <paramref name="cacheFolder"/> null disables the cache.</summary>
    public static MarketData Load(DataConfig config, string? cacheFolder)
    {
        var clock = Stopwatch.StartNew();
        var files = ContentHash.InputFiles(config.Paths);
        foreach (var p in config.Paths)
        {
            if (!File.Exists(p) && !Directory.Exists(p)) throw new DataFormatException(p, null, null, "file or folder not found.");
        }

        if (files.Count == 0) throw new DataFormatException(string.Join(", ", config.Paths), null, null, "no .csv files found.");
        string policyJson = JsonSerializer.Serialize(config.Policy, ConfigJson.Options);
        string hash = ContentHash.Of(files, PanelCache.FormatVersion, policyJson);

        (MarketPanel, string) Build()
        {
            var result = new QualityChecker(config.Policy).Run(BarCsvLoader.LoadFiles(files));
            if (result.Panel is null)
            {
                throw new DataFormatException(string.Join(", ", config.Paths), null, null,
                    $"every file was rejected by policy '{config.Policy.Name}':\n{result.Report.ToText(details: false)}");
            }

            return (result.Panel, JsonSerializer.Serialize(QualityReportSummary.From(result.Report), ArtifactJson.Compact));
        }

        MarketPanel panel;
        string attachment;
        string outcome = "off";
        if (cacheFolder is null)
        {
            (panel, attachment) = Build();
        }
        else
        {
            var cache = new PanelCache(cacheFolder);
            (panel, attachment) = cache.GetOrBuild(hash, Build);
            outcome = cache.LastOutcome;
        }

        var quality = JsonSerializer.Deserialize<QualityReportSummary>(attachment, ArtifactJson.Compact)
                      ?? throw new InvalidDataException("empty quality report");
        if (config.Tickers.Count > 0) panel = panel.SelectTickers(config.Tickers);
        return new MarketData(panel, quality, hash, files, outcome, clock.Elapsed);
    }

    /// <summary>
    /// The closes of an index file (Yahoo layout) on <paramref name="calendar"/>: dates the index lacks take the last
    /// known level (NaN before its first date).
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
            while (j < order.Length && s.Dates[order[j]] <= calendar[t]) last = s.Close[order[j++]];
            r[t] = last;
        }

        return r;
    }
}
