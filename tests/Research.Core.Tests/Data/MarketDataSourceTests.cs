using Research.Core.Data;
using Research.Core.Data.Caching;
using Research.Core.Data.Providers;
using Research.Core.Data.Quality;
using Research.Core.Tests.Data.Providers;

namespace Research.Core.Tests.Data;

/// <summary>
/// The provider abstraction: local folders, Alpaca and Yahoo all answer <see cref="IMarketDataSource.GetBarsAsync"/>
/// with the same checked panel type.
/// </summary>
public class MarketDataSourceTests
{
    private static readonly DateOnly Jan2 = new(2024, 1, 2), Jan5 = new(2024, 1, 5);

    [Fact]
    public async Task Alpaca_minute_bars_arrive_as_a_checked_panel_equal_to_the_local_folder_of_the_cache()
    {
        await using var server = await AlpacaTestServer.StartAsync(["AAPL", "MSFT"], Jan2, Jan5);
        string folder = TestPaths.NewTempDir();
        using var alpaca = new ProviderBarSource(AlpacaBarProviderTests.Client(server), new BarCache(folder), "alpaca/iex/raw",
            QualityPolicy.Default);
        IMarketDataSource source = alpaca;
        var data = await source.GetBarsAsync(["aapl", "MSFT"], Jan2, Jan5, BarTimeframe.Minute1);

        Assert.Equal("alpaca", source.Name);
        var panel = data.Panel;
        Assert.Equal(["AAPL", "MSFT"], panel.Tickers);
        Assert.True(panel.Calendar.IsIntraday);
        Assert.Equal(4 * 390, panel.DateCount); // regular hours of four sessions; the extended-hours bars filtered out
        Assert.Equal(new DateTime(2024, 1, 2, 14, 30, 0, DateTimeKind.Utc), panel.Calendar.Time(0));
        Assert.Equal(new DateTime(2024, 1, 5, 20, 59, 0, DateTimeKind.Utc), panel.Calendar.Time(panel.DateCount - 1));
        Assert.Equal(252.0 * 390, panel.Calendar.PeriodsPerYear);
        Assert.Equal(0, data.Quality.DefectCount);
        Assert.Contains("dropped", data.Quality.Text); // the session filter's note says how many bars it left out
        var (from, to) = new FetchRequest(["AAPL"], Jan2, Jan5, BarTimeframe.Minute1).UtcRange;
        var expected = server.Expected("MSFT", BarTimeframe.Minute1, from, to)
            .Where(b => UsEquitySession.Contains(SessionHours.Regular, b.Timestamp.UtcDateTime)).Select(b => b.Close).ToArray();
        Assert.Equal(expected, panel.Series(PriceField.Close, 1).ToArray());
        Assert.Equal(2, alpaca.LastFetch!.Symbols.Count);

        // The cache folder is itself a local source: its Parquet files give the same panel, offline.
        int requests = server.Requests;
        var local = await new LocalBarSource([folder], QualityPolicy.Default).GetBarsAsync([], Jan2, Jan5, BarTimeframe.Minute1);
        Assert.Equal(requests, server.Requests);
        Assert.Equal(panel.Tickers, local.Panel.Tickers);
        Assert.Equal(panel.Calendar.Times.ToArray(), local.Panel.Calendar.Times.ToArray());
        foreach (var field in new[] { PriceField.Open, PriceField.High, PriceField.Low, PriceField.Close, PriceField.Volume })
            Assert.Equal(panel.Column(field).ToArray(), local.Panel.Column(field).ToArray());

        // A second call is served from the bar cache: no request.
        var again = await source.GetBarsAsync(["AAPL", "MSFT"], Jan2, Jan5, BarTimeframe.Minute1);
        Assert.Equal(requests, server.Requests);
        Assert.Equal(data.DataHash, again.DataHash);
    }

    [Fact]
    public async Task Yahoo_daily_bars_keep_exchange_dates_and_the_adjusted_close()
    {
        await using var server = await YahooTestServer.StartAsync();
        string folder = TestPaths.NewTempDir();
        using var yahoo = new ProviderBarSource(new YahooBarProvider(new YahooOptions
        {
            BaseUrl = server.BaseUrl,
            Http = new ProviderHttpOptions { MaxRetries = 1, RetryDelay = TimeSpan.FromMilliseconds(10), RequestsPerMinute = 0 },
        }), new BarCache(folder), "yahoo", QualityPolicy.Default);
        var data = await yahoo.GetBarsAsync(["AAPL", "SPY"], Jan2, new DateOnly(2024, 3, 28), BarTimeframe.Day1);

        Assert.Equal("yahoo", yahoo.Name);
        var panel = data.Panel;
        Assert.False(panel.Calendar.IsIntraday);
        Assert.Equal(Jan2, panel.Calendar.First);
        Assert.Equal(new DateOnly(2024, 3, 28), panel.Calendar.Last);
        Assert.All(panel.Calendar.Dates.ToArray(), d => Assert.False(d.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday));
        Assert.True(panel.HasAdjClose);
        Assert.Equal(252, panel.Calendar.PeriodsPerYear);
        // AAPL's ex-dividend date (2024-02-09) shows as an adjusted close below the close before it, equal after it.
        int ex = panel.Calendar.IndexOf(new DateOnly(2024, 2, 9));
        Assert.True(panel[PriceField.AdjClose, 0, ex - 1] < panel[PriceField.Close, 0, ex - 1]);
        Assert.Equal(panel[PriceField.Close, 0, ex], panel[PriceField.AdjClose, 0, ex]);
    }

    [Fact]
    public async Task A_local_folder_selects_symbols_dates_and_timeframe_and_says_what_it_lacks()
    {
        var source = new LocalBarSource([TestPaths.Djia], QualityPolicy.Default);
        var all = await source.GetBarsAsync([], DateOnly.MinValue, DateOnly.MaxValue, BarTimeframe.Day1);
        var some = await source.GetBarsAsync(["MSFT", "AAPL"], new DateOnly(2015, 1, 1), new DateOnly(2015, 12, 31), BarTimeframe.Day1);

        Assert.Equal("local", source.Name);
        Assert.Equal(["MSFT", "AAPL"], some.Panel.Tickers);
        Assert.Equal(new DateOnly(2015, 1, 2), some.Panel.Calendar.First);
        Assert.Equal(new DateOnly(2015, 12, 31), some.Panel.Calendar.Last);
        Assert.Equal(252, some.Panel.DateCount);
        int offset = all.Panel.Calendar.IndexOf(new DateOnly(2015, 1, 2));
        int msft = all.Panel.TickerIndex("MSFT");
        Assert.Equal(all.Panel.Series(PriceField.Close, msft).Slice(offset, 252).ToArray(), some.Panel.Series(PriceField.Close, 0).ToArray());
        Assert.Equal(all.DataHash, some.DataHash); // the same files, the same data

        var unknown = await Assert.ThrowsAsync<ArgumentException>(() => source.GetBarsAsync(["ZZZZ"], DateOnly.MinValue, DateOnly.MaxValue, BarTimeframe.Day1));
        Assert.Contains("'ZZZZ'", unknown.Message);
        var empty = await Assert.ThrowsAsync<DataFormatException>(() => source.GetBarsAsync([], new DateOnly(2030, 1, 1), new DateOnly(2030, 12, 31), BarTimeframe.Day1));
        Assert.Contains("no bars between 2030-01-01 and 2030-12-31", empty.Message);
        var daily = await Assert.ThrowsAsync<DataFormatException>(() => source.GetBarsAsync([], DateOnly.MinValue, DateOnly.MaxValue, BarTimeframe.Minute1));
        Assert.Contains("holds daily bars", daily.Message);
        Assert.Contains(".csv", daily.Message); // names the file

        string dir = TestPaths.NewTempDir();
        File.Copy(Path.Combine(TestPaths.Djia, "AAPL.csv"), Path.Combine(dir, "AAPL.1Day.csv"));
        var wrongFrame = await Assert.ThrowsAsync<DataFormatException>(() =>
            new LocalBarSource([dir], QualityPolicy.Default).GetBarsAsync([], DateOnly.MinValue, DateOnly.MaxValue, BarTimeframe.Hour1));
        Assert.Contains("no files of timeframe 1Hour found (the files hold 1Day)", wrongFrame.Message);
        File.WriteAllBytes(Path.Combine(dir, "AAPL.parquet"), [1, 2, 3]);
        var unnamed = await Assert.ThrowsAsync<DataFormatException>(() =>
            new LocalBarSource([dir], QualityPolicy.Default).GetBarsAsync([], DateOnly.MinValue, DateOnly.MaxValue, BarTimeframe.Day1));
        Assert.Contains("<SYMBOL>.<timeframe>.parquet", unnamed.Message);
    }
}
