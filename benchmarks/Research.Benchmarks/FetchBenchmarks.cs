using BenchmarkDotNet.Attributes;
using Research.Core.Data;
using Research.Core.Data.Caching;
using Research.Core.Data.Providers;
using Research.Core.Data.Quality;
using Research.Core.Tests.Data.Providers;

namespace Research.Benchmarks;

/// <summary>
/// Fetch throughput from the Alpaca-shaped server on loopback: a month (January 2024, 22 weekdays, 04:00–20:00 New
/// York) of 1-minute bars of three symbols, 63,360 bars in pages of 10,000, into an empty bar cache: HTTP, JSON parsing,
/// the quality check of each symbol and the atomic Parquet (or CSV) writes. <see cref="FetchIntoPanel"/> adds reading the
/// range back through the session filter and the quality checker into a panel (what <c>research run</c> does). Bars per
/// second = 63,360 / the mean.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 2, iterationCount: 10, invocationCount: 1)]
public class FetchBenchmarks
{
    /// <summary>Bars a fetch receives.</summary>
    public const int Bars = 3 * 22 * 960;

    private static readonly DateOnly From = new(2024, 1, 2), To = new(2024, 1, 31);
    private AlpacaTestServer _server = null!;
    private AlpacaBarProvider _client = null!;
    private string _folder = "";

    [GlobalSetup]
    public void Setup()
    {
        _server = AlpacaTestServer.StartAsync(["AAPL", "MSFT", "SPY"], From, To).GetAwaiter().GetResult();
        _client = new AlpacaBarProvider(new AlpacaOptions
        {
            KeyId = AlpacaTestServer.KeyId, SecretKey = AlpacaTestServer.SecretKey, BaseUrl = _server.BaseUrl, Limit = 10_000,
            Http = new ProviderHttpOptions { RequestsPerMinute = 0 },
        });
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _client.Dispose();
        _server.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }

    [IterationSetup]
    public void EmptyCache() => _folder = Directory.CreateTempSubdirectory("research-bench-fetch").FullName;

    [IterationCleanup]
    public void RemoveCache() => Directory.Delete(_folder, recursive: true);

    /// <summary>Fetch into Parquet files (the default cache format).</summary>
    [Benchmark(Baseline = true)]
    public long FetchToParquet() => Fetch(BarFileFormat.Parquet);

    /// <summary>Fetch into CSV files (<c>--format csv</c>).</summary>
    [Benchmark]
    public long FetchToCsv() => Fetch(BarFileFormat.Csv);

    /// <summary>Fetch into Parquet, then read the range back into a checked panel of regular-hours bars.</summary>
    [Benchmark]
    public int FetchIntoPanel()
    {
        var source = new ProviderBarSource(_client, new BarCache(_folder), "alpaca/iex/raw", QualityPolicy.Default);
        return source.GetBarsAsync(["AAPL", "MSFT", "SPY"], From, To, BarTimeframe.Minute1).GetAwaiter().GetResult().Panel.DateCount;
    }

    private long Fetch(BarFileFormat format)
    {
        var result = new BarFetcher(_client, new BarCache(_folder, format), "alpaca/iex/raw")
            .FetchAsync(new FetchRequest(["AAPL", "MSFT", "SPY"], From, To, BarTimeframe.Minute1)).GetAwaiter().GetResult();
        if (result.BarsFetched != Bars) throw new InvalidOperationException($"fetched {result.BarsFetched} bars, expected {Bars}");
        return result.BarsFetched;
    }
}
