using BenchmarkDotNet.Attributes;
using Research.Core.Configuration;
using Research.Core.Data;
using Research.Core.Data.Quality;

namespace Research.Benchmarks;

/// <summary>
/// Loading the embedded set: 31 ticker CSVs (93,612 rows) parsed, checked and repaired into a panel, without the cache
/// (the cold path), and the same through a warm Parquet cache.
/// </summary>
[MemoryDiagnoser]
public class DataLoadBenchmarks
{
    private DataConfig _config = null!;
    private string _cache = null!;

    [GlobalSetup]
    public void Setup()
    {
        _config = ConfigLoader.Load(Path.Combine(RepoPaths.Root, "experiments", "default.json")).Data;
        _cache = Path.Combine(Path.GetTempPath(), $"research-bench-cache-{Environment.ProcessId}");
        MarketDataLoader.Load(_config, _cache); // fill the cache
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        if (Directory.Exists(_cache)) Directory.Delete(_cache, recursive: true);
    }

    /// <summary>Parse the 31 CSVs only.</summary>
    [Benchmark]
    public int ParseCsv() => BarCsvLoader.LoadFiles(Directory.GetFiles(_config.Paths[0], "*.csv")).Sum(s => s.Count);

    /// <summary>Parse, check, repair and assemble the panel (no cache).</summary>
    [Benchmark(Baseline = true)]
    public int LoadCheckAssemble() => new QualityChecker(_config.Policy)
        .Run(BarCsvLoader.LoadFiles(Directory.GetFiles(_config.Paths[0], "*.csv"))).Panel!.DateCount;

    /// <summary>The run's data stage path: content hash, then the Parquet cache hit.</summary>
    [Benchmark]
    public int LoadThroughCache() => MarketDataLoader.Load(_config, _cache).Panel.DateCount;
}
