using System.Globalization;
using Research.Core.Data;

namespace Research.Core.Pipeline.Stages;

/// <summary>Loads, checks and repairs the configured data (through the cache) and the benchmark index.</summary>
public sealed class DataStage : IRunStage
{
    /// <inheritdoc />
    public string Name => "data";

    /// <inheritdoc />
    public void Run(RunContext context)
    {
        var config = context.Config.Data;
        var data = MarketDataLoader.Load(config, config.Cache, context.Log, context.Secrets);
        context.Data = data;
        var p = data.Panel;
        var inv = CultureInfo.InvariantCulture;
        context.Log.WriteLine(string.Create(inv,
            $"  {p.TickerCount} tickers × {p.DateCount:N0} dates ({p.Calendar.First:yyyy-MM-dd}..{p.Calendar.Last:yyyy-MM-dd}) from {data.Files.Count} file(s){(p.Calendar.IsIntraday ? string.Create(inv, $", intraday bars {p.Calendar.Time(0):yyyy-MM-dd HH:mm}Z..{p.Calendar.Time(p.DateCount - 1):yyyy-MM-dd HH:mm}Z, {p.Calendar.PeriodsPerYear:N0} bars a year") : "")}; " +
            $"{data.Quality.DefectCount} defect(s), {data.Quality.RepairCount} repair(s) under policy '{config.Policy.Name}'; cache {data.CacheOutcome}; {data.Elapsed.TotalMilliseconds:F0} ms"));
        foreach (var (kind, count) in data.Quality.CountsByKind) context.Log.WriteLine($"    {kind,-20} {count,6}");
        foreach (var (file, why) in data.Quality.Rejected) context.Log.WriteLine($"    rejected {file}: {why}");
        context.Log.WriteLine($"  data hash {data.DataHash[..16]}…; full quality report: quality.txt");
        context.WriteArtifact("quality.txt", data.Quality.Text);
        context.Metrics["data.tickers"] = p.TickerCount;
        context.Metrics["data.dates"] = p.DateCount;
        context.Metrics["data.periods_per_year"] = p.Calendar.PeriodsPerYear;
        context.Metrics["data.defects"] = data.Quality.DefectCount;
        context.Metrics["data.repairs"] = data.Quality.RepairCount;
        context.Metrics["data.load_ms"] = data.Elapsed.TotalMilliseconds;
        if (config.Benchmark is { } index)
        {
            context.BenchmarkIndex = MarketDataLoader.LoadIndexCloses(index, p.Calendar);
        }
    }
}
