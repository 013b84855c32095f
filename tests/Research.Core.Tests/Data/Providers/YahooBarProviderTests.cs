using System.Diagnostics;
using Research.Core.Data.Providers;

namespace Research.Core.Tests.Data.Providers;

public sealed class YahooBarProviderTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Jan2 = new(2024, 1, 2, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Mar29 = new(2024, 3, 29, 0, 0, 0, TimeSpan.Zero);
    private YahooTestServer _server = null!;

    public async Task InitializeAsync() => _server = await YahooTestServer.StartAsync(
        [.. YahooTestServer.DefaultSymbols, new YahooTestSymbol("^GSPC", 5, 4800.0)]);

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private YahooBarProvider Provider(int maxRetries = 3, bool includePrePost = true, string? userAgent = null) => new(new YahooOptions
    {
        BaseUrl = _server.BaseUrl,
        IncludePrePost = includePrePost,
        UserAgent = userAgent ?? new YahooOptions().UserAgent,
        Http = new ProviderHttpOptions { MaxRetries = maxRetries, RetryDelay = TimeSpan.FromMilliseconds(10), RequestsPerMinute = 0 },
    });

    private static async Task<List<BarPage>> Fetch(YahooBarProvider provider, BarRequest request)
    {
        var pages = new List<BarPage>();
        await foreach (var page in provider.FetchAsync(request)) pages.Add(page);
        return pages;
    }

    private static async Task<ProviderException> Fails(YahooBarProvider provider, BarRequest request) =>
        await Assert.ThrowsAsync<ProviderException>(() => Fetch(provider, request));

    private static BarRequest Daily(params string[] symbols) => new(symbols, Jan2, Mar29, BarTimeframe.Day1);

    private static void AssertSame(IReadOnlyList<YahooTestBar> expected, IReadOnlyList<ProviderBar> actual, bool adjusted)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (int i = 0; i < expected.Count; i++)
        {
            var (e, a) = (expected[i], actual[i]);
            Assert.Equal(e.Timestamp, a.Timestamp);
            Assert.Equal(e.Open!.Value, a.Open);
            Assert.Equal(e.High!.Value, a.High);
            Assert.Equal(e.Low!.Value, a.Low);
            Assert.Equal(e.Close!.Value, a.Close);
            Assert.Equal((double)e.Volume!.Value, a.Volume);
            if (adjusted) Assert.Equal(e.AdjClose!.Value, a.AdjClose);
            else Assert.True(double.IsNaN(a.AdjClose));
            Assert.True(double.IsNaN(a.TradeCount) && double.IsNaN(a.Vwap));
        }
    }

    [Fact]
    public async Task Daily_bars_of_two_symbols_match_the_dataset_with_adjusted_closes()
    {
        using var provider = Provider();
        var pages = await Fetch(provider, Daily("AAPL", "MSFT"));

        Assert.Equal(2, pages.Count);
        Assert.Equal(["AAPL"], pages[0].Bars.Keys);
        Assert.Equal(["MSFT"], pages[1].Bars.Keys);
        foreach (var (page, symbol) in pages.Zip(new[] { "AAPL", "MSFT" }))
        {
            var bars = page.Bars[symbol];
            // 2024-01-02 .. 2024-03-28: 63 weekdays (the synthetic set has no holidays).
            Assert.Equal(63, bars.Count);
            Assert.Equal(63, page.Count);
            AssertSame(_server.CompleteBars(symbol, "1d", Jan2, Mar29), bars, adjusted: true);
            // The 09:30 New York open: 14:30 UTC in EST, 13:30 UTC after DST began on 2024-03-10.
            Assert.Equal(new DateTimeOffset(2024, 1, 2, 14, 30, 0, TimeSpan.Zero), bars[0].Timestamp);
            Assert.Equal(new DateTimeOffset(2024, 3, 8, 14, 30, 0, TimeSpan.Zero), bars.Single(b => b.Timestamp.Day == 8 && b.Timestamp.Month == 3).Timestamp);
            Assert.Equal(new DateTimeOffset(2024, 3, 11, 13, 30, 0, TimeSpan.Zero), bars.Single(b => b.Timestamp.Day == 11 && b.Timestamp.Month == 3).Timestamp);
            Assert.Equal(new DateTimeOffset(2024, 3, 28, 13, 30, 0, TimeSpan.Zero), bars[^1].Timestamp);
            Assert.DoesNotContain(bars, b => b.Timestamp.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday);
            Assert.All(bars, b => Assert.True(b.Low <= Math.Min(b.Open, b.Close) && b.High >= Math.Max(b.Open, b.Close) && b.Volume > 0));
            Assert.True(bars.Zip(bars.Skip(1)).All(p => p.First.Timestamp < p.Second.Timestamp));
        }

        // AAPL went ex-dividend on 2024-02-09: earlier adjusted closes are 0.995 × close, later ones equal it.
        var aapl = pages[0].Bars["AAPL"];
        var exDiv = new DateTimeOffset(2024, 2, 9, 14, 30, 0, TimeSpan.Zero);
        Assert.All(aapl.Where(b => b.Timestamp < exDiv), b => Assert.Equal(Math.Round(b.Close * 0.995, 4), b.AdjClose));
        Assert.All(aapl.Where(b => b.Timestamp >= exDiv), b => Assert.Equal(b.Close, b.AdjClose));
        Assert.Contains(aapl, b => b.AdjClose < b.Close);
        Assert.All(pages[1].Bars["MSFT"], b => Assert.Equal(b.Close, b.AdjClose));
        Assert.NotEqual(aapl.Select(b => b.Close), pages[1].Bars["MSFT"].Select(b => b.Close));
        Assert.Equal(2, provider.Stats.Requests);
        Assert.Equal(0, provider.Stats.Retries);
    }

    [Theory]
    [InlineData("1Min", "1m")]
    [InlineData("5Min", "5m")]
    [InlineData("15Min", "15m")]
    [InlineData("1Hour", "60m")]
    [InlineData("1Day", "1d")]
    public async Task Requests_carry_the_documented_query_parameters_and_a_user_agent(string timeframe, string interval)
    {
        var start = new DateTimeOffset(2024, 3, 4, 0, 0, 0, TimeSpan.Zero);
        var end = new DateTimeOffset(2024, 3, 9, 0, 0, 0, TimeSpan.Zero);
        using var provider = Provider();
        var pages = await Fetch(provider, new BarRequest(["MSFT"], start, end, BarTimeframe.Parse(timeframe)));

        var request = Assert.Single(_server.Requests);
        Assert.Equal("/v8/finance/chart/MSFT", request.Path);
        Assert.Equal($"?period1=1709510400&period2=1709942400&interval={interval}&includePrePost=true&events=div%2Csplits&includeAdjustedClose=true",
            request.Query);
        var q = request.QueryParameters;
        Assert.Equal(start.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture), q["period1"]);
        Assert.Equal(end.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture), q["period2"]);
        Assert.Equal(interval, q["interval"]);
        Assert.Equal("div,splits", q["events"]);
        Assert.Equal(new YahooOptions().UserAgent, request.Header("User-Agent"));
        Assert.Contains("application/json", request.Header("Accept"));
        Assert.Equal(interval, YahooBarProvider.Interval(BarTimeframe.Parse(timeframe)));

        var bars = Assert.Single(pages).Bars["MSFT"];
        var expected = _server.CompleteBars("MSFT", interval, start, end);
        Assert.NotEmpty(expected);
        AssertSame(expected, bars, adjusted: interval == "1d");
    }

    [Fact]
    public async Task IncludePrePost_false_asks_for_regular_hours_only()
    {
        var start = new DateTimeOffset(2024, 3, 4, 0, 0, 0, TimeSpan.Zero);
        var end = new DateTimeOffset(2024, 3, 5, 0, 0, 0, TimeSpan.Zero);
        using var provider = Provider(includePrePost: false);
        var bars = Assert.Single(await Fetch(provider, new BarRequest(["SPY"], start, end, BarTimeframe.Hour1))).Bars["SPY"];

        Assert.Equal("false", Assert.Single(_server.Requests).QueryParameters["includePrePost"]);
        // 09:30 .. 15:30 EST = 14:30 .. 20:30 UTC, seven hourly bars less any without a trade.
        AssertSame(_server.CompleteBars("SPY", "60m", start, end, includePrePost: false), bars, adjusted: false);
        Assert.All(bars, b => Assert.InRange(b.Timestamp.TimeOfDay, TimeSpan.FromHours(14.5), TimeSpan.FromHours(20.5)));
        Assert.InRange(bars.Count, 5, 7);
    }

    [Fact]
    public async Task All_null_entries_are_skipped()
    {
        // Monday and Tuesday 04:00-20:00 EST (09:00-01:00 UTC), pre- and post-market included.
        var start = new DateTimeOffset(2024, 3, 4, 9, 0, 0, TimeSpan.Zero);
        var end = new DateTimeOffset(2024, 3, 6, 1, 0, 0, TimeSpan.Zero);
        // A daily entry Yahoo sends all-null, planted among the normal ones.
        var planted = new DateTimeOffset(2024, 1, 10, 14, 30, 0, TimeSpan.Zero).ToUnixTimeSeconds();
        _server.SetBar("AAPL", new YahooTestBar(planted, null, null, null, null, null, null));
        using var provider = Provider();

        var sent = _server.Bars("AAPL", "5m", start, end);
        int nulls = sent.Count(b => !b.IsComplete);
        Assert.InRange(nulls, 1, sent.Count / 5); // 2 days × 192 five-minute entries (04:00-20:00), some without a trade
        Assert.Equal(2 * 192, sent.Count);
        var five = Assert.Single(await Fetch(provider, new BarRequest(["AAPL"], start, end, BarTimeframe.Minute5))).Bars["AAPL"];
        Assert.Equal(sent.Count - nulls, five.Count);
        AssertSame([.. sent.Where(b => b.IsComplete)], five, adjusted: false);
        Assert.DoesNotContain(five, b => double.IsNaN(b.Open) || double.IsNaN(b.Close));

        var daily = Assert.Single(await Fetch(provider, Daily("AAPL"))).Bars["AAPL"];
        Assert.Equal(62, daily.Count);
        Assert.DoesNotContain(daily, b => b.Timestamp.ToUnixTimeSeconds() == planted);
        AssertSame(_server.CompleteBars("AAPL", "1d", Jan2, Mar29), daily, adjusted: true);
    }

    [Fact]
    public async Task A_range_without_bars_yields_an_empty_page()
    {
        var saturday = new DateTimeOffset(2024, 3, 9, 0, 0, 0, TimeSpan.Zero);
        using var provider = Provider();
        var page = Assert.Single(await Fetch(provider, new BarRequest(["MSFT"], saturday, saturday.AddDays(1), BarTimeframe.Day1)));
        Assert.Empty(page.Bars["MSFT"]);
        Assert.Equal(0, page.Count);
        Assert.Equal(1, _server.RequestCount);
    }

    [Fact]
    public async Task Symbols_are_escaped_in_the_path()
    {
        using var provider = Provider();
        var bars = Assert.Single(await Fetch(provider, Daily("^GSPC"))).Bars["^GSPC"];
        Assert.Equal("/v8/finance/chart/%5EGSPC", Assert.Single(_server.Requests).Path);
        AssertSame(_server.CompleteBars("^GSPC", "1d", Jan2, Mar29), bars, adjusted: true);
    }

    [Fact]
    public async Task Unknown_symbol_is_a_parameter_error_quoting_yahoo()
    {
        using var provider = Provider();
        var e = await Fails(provider, Daily("NOSUCH"));
        Assert.Equal(ProviderErrorKind.Parameter, e.Kind);
        Assert.Equal(404, e.Status);
        Assert.Equal("yahoo", e.Provider);
        Assert.Contains("No data found, symbol may be delisted", e.Message);
        Assert.Contains("Not Found", e.Message);
        Assert.Contains("/v8/finance/chart/NOSUCH", e.Message);
        Assert.Equal(1, provider.Stats.Requests); // a 404 is not retried
        Assert.Equal(0, provider.Stats.Retries);
    }

    [Fact]
    public async Task Pages_before_a_failing_symbol_arrive()
    {
        using var provider = Provider();
        var pages = new List<BarPage>();
        var e = await Assert.ThrowsAsync<ProviderException>(async () =>
        {
            await foreach (var page in provider.FetchAsync(Daily("MSFT", "NOSUCH"))) pages.Add(page);
        });
        Assert.Equal(ProviderErrorKind.Parameter, e.Kind);
        Assert.Equal(63, Assert.Single(pages).Bars["MSFT"].Count);
        Assert.Equal(2, _server.RequestCount);
    }

    [Fact]
    public async Task Unprocessable_request_is_a_parameter_error_quoting_yahoo()
    {
        // More than 8 days of 1m bars in one request: Yahoo answers 422.
        using var provider = Provider();
        var e = await Fails(provider, new BarRequest(["AAPL"], Jan2, Jan2.AddDays(10), BarTimeframe.Minute1));
        Assert.Equal(ProviderErrorKind.Parameter, e.Kind);
        Assert.Equal(422, e.Status);
        Assert.Contains("Unprocessable Entity: Only 8 days worth of 1m granularity data are allowed to be fetched per request.", e.Message);
        Assert.Equal(1, provider.Stats.Requests);

        // The invalid-interval answer, scripted (the client cannot ask for 7m itself).
        const string description = "Invalid input - interval=7m is not supported. Valid intervals: [1m, 2m, 5m, 15m, 30m, 60m, 90m, 1h, 1d, 5d, 1wk, 1mo, 3mo]";
        _server.Enqueue(YahooFault.Raw(422, "application/json", YahooTestServer.ErrorBody("chart", "Unprocessable Entity", description)));
        e = await Fails(provider, Daily("AAPL"));
        Assert.Equal(ProviderErrorKind.Parameter, e.Kind);
        Assert.Equal(422, e.Status);
        Assert.Contains(description, e.Message);
        Assert.Equal(2, provider.Stats.Requests);
    }

    [Fact]
    public async Task Server_rejects_an_unsupported_interval_like_yahoo()
    {
        // The fake itself, checked directly, so the scripted 422 above mirrors what it would say.
        using var http = new HttpClient();
        http.DefaultRequestHeaders.UserAgent.ParseAdd("test/1.0");
        var ct = CancellationToken.None;
        using var r = await http.GetAsync($"{_server.BaseUrl}/v8/finance/chart/AAPL?period1=1704153600&period2=1704240000&interval=7m", ct);
        Assert.Equal(422, (int)r.StatusCode);
        string body = await r.Content.ReadAsStringAsync(ct);
        Assert.Equal("Unprocessable Entity: Invalid input - interval=7m is not supported. Valid intervals: [1m, 2m, 5m, 15m, 30m, 60m, 90m, 1h, 1d, 5d, 1wk, 1mo, 3mo]",
            YahooBarProvider.ErrorMessage(System.Text.Encoding.UTF8.GetBytes(body)));

        using var noAgent = new HttpClient();
        using var refused = await noAgent.GetAsync($"{_server.BaseUrl}/v8/finance/chart/AAPL?period1=1704153600&period2=1704240000&interval=1d", ct);
        Assert.Equal(429, (int)refused.StatusCode);
        Assert.Equal("Too Many Requests", await refused.Content.ReadAsStringAsync(ct));
    }

    [Fact]
    public async Task Too_many_requests_with_retry_after_is_retried_after_the_wait()
    {
        _server.Enqueue(YahooFault.TooManyRequests(retryAfterSeconds: 1));
        using var provider = Provider();
        var clock = Stopwatch.StartNew();
        var bars = Assert.Single(await Fetch(provider, Daily("MSFT"))).Bars["MSFT"];
        clock.Stop();

        AssertSame(_server.CompleteBars("MSFT", "1d", Jan2, Mar29), bars, adjusted: true);
        Assert.Equal(1, provider.Stats.Retries);
        Assert.Equal(2, provider.Stats.Requests);
        Assert.Equal(2, _server.RequestCount);
        Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(900), $"waited only {clock.Elapsed}");
        Assert.Equal(_server.Requests[0].Query, _server.Requests[1].Query);
    }

    [Fact]
    public async Task Service_unavailable_then_success_is_retried()
    {
        _server.Enqueue(YahooFault.Status(503));
        using var provider = Provider();
        var bars = Assert.Single(await Fetch(provider, Daily("AAPL"))).Bars["AAPL"];
        AssertSame(_server.CompleteBars("AAPL", "1d", Jan2, Mar29), bars, adjusted: true);
        Assert.Equal(1, provider.Stats.Retries);
        Assert.Equal(2, provider.Stats.Requests);
        Assert.Equal(0, _server.PendingFaults);
    }

    [Fact]
    public async Task Mixed_transient_failures_are_retried_up_to_the_limit()
    {
        _server.Enqueue(YahooFault.Status(500), YahooFault.TooManyRequests(), YahooFault.DroppedConnection());
        using var provider = Provider(maxRetries: 3);
        var bars = Assert.Single(await Fetch(provider, Daily("SPY"))).Bars["SPY"];
        AssertSame(_server.CompleteBars("SPY", "1d", Jan2, Mar29), bars, adjusted: true);
        Assert.Equal(3, provider.Stats.Retries);
        Assert.Equal(4, provider.Stats.Requests);
    }

    [Fact]
    public async Task Server_errors_forever_are_unavailable_after_the_retries()
    {
        _server.Enqueue(YahooFault.Status(503), YahooFault.Status(500), YahooFault.Status(502), YahooFault.Status(503), YahooFault.Status(503));
        using var provider = Provider(maxRetries: 3);
        var e = await Fails(provider, Daily("AAPL"));
        Assert.Equal(ProviderErrorKind.Unavailable, e.Kind);
        Assert.Equal(503, e.Status);
        Assert.Contains("after 3 retries", e.Message);
        Assert.Contains("Service unavailable.", e.Message);
        Assert.Equal(4, provider.Stats.Requests);
        Assert.Equal(3, provider.Stats.Retries);
        Assert.Equal(4, _server.RequestCount);
        Assert.Equal(1, _server.PendingFaults);
    }

    [Fact]
    public async Task Rate_limited_forever_is_rate_limited_after_the_retries()
    {
        // Yahoo answers a request without a User-Agent with 429, so a blank one ends as "rate limited".
        using var provider = Provider(maxRetries: 2, userAgent: "");
        var e = await Fails(provider, Daily("AAPL"));
        Assert.Equal(ProviderErrorKind.RateLimited, e.Kind);
        Assert.Equal(429, e.Status);
        Assert.Contains("Too Many Requests", e.Message);
        Assert.Equal(3, provider.Stats.Requests);
        Assert.Equal(2, provider.Stats.Retries);
        Assert.All(_server.Requests, r => Assert.True(string.IsNullOrEmpty(r.Header("User-Agent"))));
    }

    [Fact]
    public async Task Truncated_json_is_a_payload_error()
    {
        _server.Enqueue(YahooFault.Truncated(300));
        using var provider = Provider();
        var e = await Fails(provider, Daily("AAPL"));
        Assert.Equal(ProviderErrorKind.Payload, e.Kind);
        Assert.Equal(200, e.Status);
        Assert.Contains("AAPL: malformed JSON", e.Message);
        Assert.IsAssignableFrom<System.Text.Json.JsonException>(e.InnerException);
        Assert.Equal(1, provider.Stats.Requests); // a 200 is not retried
    }

    [Fact]
    public async Task Html_instead_of_json_is_a_payload_error()
    {
        _server.Enqueue(YahooFault.NotJson());
        using var provider = Provider();
        var e = await Fails(provider, Daily("MSFT"));
        Assert.Equal(ProviderErrorKind.Payload, e.Kind);
        Assert.Contains("MSFT: malformed JSON", e.Message);
        Assert.Equal(1, provider.Stats.Requests);
    }

    [Fact]
    public async Task Json_of_another_shape_is_a_payload_error()
    {
        _server.Enqueue(YahooFault.Raw(200, "application/json", """{"finance":{"result":[]}}"""),
            YahooFault.Raw(200, "application/json", """{"chart":{"result":[],"error":null}}"""),
            YahooFault.Raw(200, "application/json", """{"chart":{"result":[{"timestamp":[1704205800,1704292200],"indicators":{"quote":[{"open":[1.0],"high":[1.0],"low":[1.0],"close":[1.0],"volume":[1]}]}}],"error":null}}"""));
        using var provider = Provider();
        Assert.Contains("no 'chart' object", (await Fails(provider, Daily("AAPL"))).Message);
        Assert.Contains("'chart.result' is missing or empty", (await Fails(provider, Daily("AAPL"))).Message);
        var e = await Fails(provider, Daily("AAPL"));
        Assert.Equal(ProviderErrorKind.Payload, e.Kind);
        Assert.Contains("'indicators.quote[0].open' has 1 entries, 'timestamp' 2", e.Message);
    }

    [Fact]
    public async Task Chart_error_in_a_200_is_a_parameter_error()
    {
        _server.Enqueue(YahooFault.ChartError("Bad Request", "Data doesn't exist for startDate = 1704153600, endDate = 1711670400"));
        using var provider = Provider();
        var e = await Fails(provider, Daily("SPY"));
        Assert.Equal(ProviderErrorKind.Parameter, e.Kind);
        Assert.Equal(200, e.Status);
        Assert.Contains("SPY: \"Bad Request: Data doesn't exist for startDate = 1704153600, endDate = 1711670400\"", e.Message);
        Assert.Equal(0, provider.Stats.Retries);
    }

    [Fact]
    public async Task A_partly_null_bar_is_a_payload_error()
    {
        var t = new DateTimeOffset(2024, 2, 14, 14, 30, 0, TimeSpan.Zero).ToUnixTimeSeconds();
        _server.SetBar("MSFT", new YahooTestBar(t, 405.1, null, 401.2, 403.3, 1_000_000, 403.3));
        using var provider = Provider();
        var e = await Fails(provider, Daily("MSFT"));
        Assert.Equal(ProviderErrorKind.Payload, e.Kind);
        Assert.Contains($"(timestamp {t}) has some prices null and some not", e.Message);
        Assert.Equal(1, provider.Stats.Requests);
    }

    // JSON of the wrong shape (a root array, a null result entry, null indicators or quote, a non-string error code)
    // is a payload error, never JsonElement's InvalidOperationException.
    [Theory]
    [InlineData("""[1,2]""")]
    [InlineData("""{"chart":{"result":[null],"error":null}}""")]
    [InlineData("""{"chart":{"result":[{"timestamp":[1704205800],"indicators":null}],"error":null}}""")]
    [InlineData("""{"chart":{"result":[{"timestamp":[1704205800],"indicators":{"quote":[null]}}],"error":null}}""")]
    [InlineData("""{"chart":{"result":null,"error":{"code":404,"description":"x"}}}""")]
    public async Task Json_of_the_wrong_kinds_is_a_payload_error(string body)
    {
        _server.Enqueue(YahooFault.Raw(200, "application/json", body));
        using var provider = Provider();
        var e = await Fails(provider, Daily("AAPL"));
        Assert.Equal(ProviderErrorKind.Payload, e.Kind);
        Assert.StartsWith("yahoo: AAPL: ", e.Message);
    }

    [Fact]
    public async Task One_minute_fetches_go_a_week_at_a_time_under_yahoos_eight_day_cap()
    {
        using var provider = Provider();
        var cache = new Research.Core.Data.Caching.BarCache(TestPaths.NewTempDir());
        var request = new FetchRequest(["AAPL", "MSFT"], new DateOnly(2024, 1, 2), new DateOnly(2024, 1, 19), BarTimeframe.Minute1);
        var result = await new BarFetcher(provider, cache, "yahoo").FetchAsync(request);
        // Jan 2–8, 9–15, 16–19 (New York days): three chunks × two symbols, each inside the cap the server enforces.
        Assert.Equal(6, _server.RequestCount);
        Assert.All(_server.Requests, r => Assert.True(long.Parse(r.QueryParameters["period2"]) - long.Parse(r.QueryParameters["period1"]) <= 7 * 86400));
        var (start, end) = request.UtcRange;
        var expected = _server.CompleteBars("AAPL", "1m", new DateTimeOffset(start), new DateTimeOffset(end));
        Assert.Equal(expected.Count, result.Symbols["AAPL"].Bars);
        Assert.Equal(expected[0].Timestamp.UtcDateTime, result.Symbols["AAPL"].First);
        Assert.Equal(expected[^1].Timestamp.UtcDateTime, result.Symbols["AAPL"].Last);
    }
}
