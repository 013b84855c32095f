using System.Security.Cryptography;
using Research.Core.Data;
using Research.Core.Data.Caching;
using Research.Core.Data.Providers;

namespace Research.Core.Tests.Data.Providers;

/// <summary>The incremental bar cache: zero requests on a re-run, only missing ranges fetched, nothing partial on failure.</summary>
public sealed class BarFetcherTests
{
    private const string Source = "alpaca/iex/raw";

    private static Dictionary<string, string> Snapshot(string folder) => Directory.GetFiles(folder)
        .ToDictionary(f => Path.GetFileName(f), f => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(f))));

    private static FetchRequest Request(DateOnly from, DateOnly to, params string[] symbols) => new(symbols, from, to, BarTimeframe.Minute1);

    [Fact]
    public async Task A_fetch_caches_every_bar_and_a_rerun_makes_zero_requests()
    {
        await using var server = await AlpacaTestServer.StartAsync(["AAPL", "MSFT"], new DateOnly(2024, 1, 2), new DateOnly(2024, 1, 5));
        string dir = TestPaths.NewTempDir();
        var cache = new BarCache(dir);
        var request = Request(new DateOnly(2024, 1, 2), new DateOnly(2024, 1, 5), "AAPL", "MSFT");
        using (var client = AlpacaBarProviderTests.Client(server, limit: 2000))
        {
            var r = await new BarFetcher(client, cache, Source).FetchAsync(request);
            Assert.Equal(4 * 960 * 2 / 2000 + 1, r.Requests); // 7680 bars in pages of 2000
            Assert.Equal(3840, r.Symbols["AAPL"].Bars);
            Assert.Equal(3840, r.Symbols["AAPL"].Fetched);
            Assert.Equal(new DateTime(2024, 1, 2, 9, 0, 0, DateTimeKind.Utc), r.Symbols["AAPL"].First);
            Assert.Equal(new DateTime(2024, 1, 6, 0, 59, 0, DateTimeKind.Utc), r.Symbols["AAPL"].Last);
            Assert.Equal(0, r.Symbols["MSFT"].Defects);
        }

        var entry = cache.TryRead("AAPL", BarTimeframe.Minute1, Source)!.Value;
        var (start, end) = request.UtcRange;
        Assert.Equal(server.Expected("AAPL", BarTimeframe.Minute1, start, end), Enumerable.Range(0, entry.Bars.Count).Select(entry.Bars.Bar));
        Assert.Equal([new CoveredRange(start, end)], entry.Entry.Covered);
        Assert.Equal("alpaca/iex/raw", entry.Entry.Source);
        Assert.Single(entry.Entry.Requests);
        var before = Snapshot(dir);
        int served = server.Requests;
        using (var client = AlpacaBarProviderTests.Client(server))
        {
            var again = await new BarFetcher(client, cache, Source).FetchAsync(request);
            Assert.Equal(0, again.Requests);
            Assert.Equal(3840, again.Symbols["MSFT"].Bars);
            Assert.Equal(0, again.Symbols["MSFT"].Fetched);
        }

        Assert.Equal(served, server.Requests);
        Assert.Equal(before, Snapshot(dir));
    }

    [Fact]
    public async Task A_wider_fetch_requests_only_the_missing_range()
    {
        await using var server = await AlpacaTestServer.StartAsync(["AAPL"], new DateOnly(2024, 1, 2), new DateOnly(2024, 1, 10));
        var cache = new BarCache(TestPaths.NewTempDir());
        using var client = AlpacaBarProviderTests.Client(server);
        await new BarFetcher(client, cache, Source).FetchAsync(Request(new DateOnly(2024, 1, 2), new DateOnly(2024, 1, 5), "AAPL"));
        int before = server.Requests;
        var wider = Request(new DateOnly(2024, 1, 2), new DateOnly(2024, 1, 10), "AAPL");
        var r = await new BarFetcher(client, cache, Source).FetchAsync(wider);
        Assert.Equal(before + 1, server.Requests);
        Assert.Contains("start=2024-01-06T05%3A00%3A00Z", server.Log[^1]); // from the first uncovered New York midnight
        Assert.Equal(7 * 960, r.Symbols["AAPL"].Bars);
        Assert.Equal(3 * 960, r.Symbols["AAPL"].Fetched);
        var (start, end) = wider.UtcRange;
        var cached = BarCache.ReadFile(cache.DataPath("AAPL", BarTimeframe.Minute1));
        Assert.Equal(server.Expected("AAPL", BarTimeframe.Minute1, start, end), Enumerable.Range(0, cached.Count).Select(cached.Bar));
    }

    [Fact]
    public async Task A_failure_midway_leaves_the_cache_byte_for_byte_as_it_was_and_a_rerun_completes()
    {
        await using var server = await AlpacaTestServer.StartAsync(["AAPL", "MSFT"], new DateOnly(2024, 1, 2), new DateOnly(2024, 1, 12));
        string dir = TestPaths.NewTempDir();
        var cache = new BarCache(dir);
        using (var client = AlpacaBarProviderTests.Client(server, limit: 1000, retries: 1))
        {
            await new BarFetcher(client, cache, Source).FetchAsync(Request(new DateOnly(2024, 1, 2), new DateOnly(2024, 1, 3), "AAPL", "MSFT"));
        }

        var before = Snapshot(dir);
        var request = Request(new DateOnly(2024, 1, 2), new DateOnly(2024, 1, 12), "AAPL", "MSFT");
        // The new range is one month chunk of 9 sessions × 2 symbols = 17 280 bars in pages of 1000: pages 1 and 2
        // arrive, page 3 fails on the first try and on the one retry.
        server.FailAt(server.Requests + 3, times: 2, status: 503);
        using (var client = AlpacaBarProviderTests.Client(server, limit: 1000, retries: 1))
        {
            var e = await Assert.ThrowsAsync<ProviderException>(() => new BarFetcher(client, cache, Source).FetchAsync(request));
            Assert.Equal(ProviderErrorKind.Unavailable, e.Kind);
        }

        Assert.Equal(before, Snapshot(dir));
        Assert.Empty(Directory.GetFiles(dir, "*.tmp*"));
        using (var client = AlpacaBarProviderTests.Client(server, limit: 1000))
        {
            var r = await new BarFetcher(client, cache, Source).FetchAsync(request);
            Assert.Equal(9 * 960, r.Symbols["AAPL"].Bars);
        }

        var (start, end) = request.UtcRange;
        foreach (var s in new[] { "AAPL", "MSFT" })
        {
            var cached = BarCache.ReadFile(cache.DataPath(s, BarTimeframe.Minute1));
            Assert.Equal(server.Expected(s, BarTimeframe.Minute1, start, end), Enumerable.Range(0, cached.Count).Select(cached.Bar));
        }
    }

    [Fact]
    public async Task A_fetch_cut_off_in_a_later_month_resumes_from_there()
    {
        await using var server = await AlpacaTestServer.StartAsync(["AAPL", "MSFT"], new DateOnly(2024, 1, 29), new DateOnly(2024, 2, 2));
        var cache = new BarCache(TestPaths.NewTempDir());
        var request = Request(new DateOnly(2024, 1, 29), new DateOnly(2024, 2, 2), "AAPL", "MSFT");
        server.FailAt(2, times: 2, status: 500); // January arrives in request 1; February's request fails twice
        using (var client = AlpacaBarProviderTests.Client(server, retries: 1))
        {
            await Assert.ThrowsAsync<ProviderException>(() => new BarFetcher(client, cache, Source).FetchAsync(request));
        }

        var january = cache.TryRead("MSFT", BarTimeframe.Minute1, Source)!.Value;
        Assert.Equal(3 * 960, january.Bars.Count);
        Assert.Equal(UsEquitySession.ToUtc(new DateOnly(2024, 2, 1), TimeOnly.MinValue), Assert.Single(january.Entry.Covered).End);
        int before = server.Requests;
        using (var client = AlpacaBarProviderTests.Client(server))
        {
            var r = await new BarFetcher(client, cache, Source).FetchAsync(request);
            Assert.Equal(1, r.Requests);
            Assert.Equal(5 * 960, r.Symbols["MSFT"].Bars);
            Assert.Equal(2 * 960, r.Symbols["MSFT"].Fetched);
        }

        Assert.Equal(before + 1, server.Requests);
        Assert.Contains("start=2024-02-01T05%3A00%3A00Z", server.Log[^1]);
    }

    [Theory]
    [InlineData(BarFileFormat.Parquet)]
    [InlineData(BarFileFormat.Csv)]
    public void The_cache_round_trips_both_formats_and_a_tampered_file_is_refetched(BarFileFormat format)
    {
        var cache = new BarCache(TestPaths.NewTempDir(), format);
        var t0 = new DateTime(2024, 3, 8, 14, 30, 0, DateTimeKind.Utc);
        var bars = BarColumns.From([
            new ProviderBar(new DateTimeOffset(t0, TimeSpan.Zero), 10.5, 11, 10, 10.75, 1200, 17, 10.6),
            new ProviderBar(new DateTimeOffset(t0.AddMinutes(1), TimeSpan.Zero), 10.75, 10.8, 10.1, 10.2, 900, 9, 10.4),
            new ProviderBar(new DateTimeOffset(t0.AddMinutes(2), TimeSpan.Zero), 10.2, 10.3, 10.0, 10.1, 0.5),
        ]);
        var covered = new[] { new CoveredRange(t0, t0.AddMinutes(3)) };
        var entry = cache.Write("BRK.B", BarTimeframe.Minute1, "yahoo", bars, covered, ["2024-03-08 BRK.B"]);
        Assert.Equal(format == BarFileFormat.Csv ? "BRK.B.1Min.csv" : "BRK.B.1Min.parquet", entry.File);
        Assert.Equal(3, entry.Bars);
        var read = cache.TryRead("BRK.B", BarTimeframe.Minute1, "yahoo")!.Value;
        Assert.Equal(Enumerable.Range(0, 3).Select(bars.Bar), Enumerable.Range(0, 3).Select(read.Bars.Bar));
        Assert.Equal(covered, read.Entry.Covered);
        Assert.Null(cache.TryRead("BRK.B", BarTimeframe.Minute1, "alpaca/iex/raw")); // another source never mixes in
        Assert.Null(cache.TryRead("BRK.B", BarTimeframe.Minute5, "yahoo"));
        if (format == BarFileFormat.Csv)
        {
            var lines = File.ReadAllLines(cache.DataPath("BRK.B", BarTimeframe.Minute1));
            Assert.Equal("timestamp,open,high,low,close,volume,trade_count,vwap", lines[0]);
            Assert.Equal("2024-03-08T14:30:00Z,10.5,11,10,10.75,1200,17,10.6", lines[1]);
            Assert.Equal("2024-03-08T14:32:00Z,10.2,10.3,10,10.1,0.5,,", lines[3]);
        }

        File.AppendAllText(cache.DataPath("BRK.B", BarTimeframe.Minute1), "x");
        Assert.Null(cache.TryRead("BRK.B", BarTimeframe.Minute1, "yahoo")); // the hash no longer matches: refetch whole
    }
}
