using System.Diagnostics;
using Research.Core.Data;
using Research.Core.Data.Providers;

namespace Research.Core.Tests.Data.Providers;

/// <summary>The Alpaca Market Data v2 client against a server that speaks its documented protocol.</summary>
public sealed class AlpacaBarProviderTests
{
    private static readonly DateOnly Day = new(2024, 1, 2);

    internal static AlpacaBarProvider Client(AlpacaTestServer server, int limit = 10_000, string? key = AlpacaTestServer.KeyId,
        string feed = "iex", int retries = 3, int perMinute = 0, int burst = 0) => new(new AlpacaOptions
    {
        KeyId = key,
        SecretKey = key is null ? null : AlpacaTestServer.SecretKey,
        BaseUrl = server.BaseUrl,
        Limit = limit,
        Feed = feed,
        Http = new ProviderHttpOptions { MaxRetries = retries, RetryDelay = TimeSpan.FromMilliseconds(10), RequestsPerMinute = perMinute, Burst = burst },
    });

    private static BarRequest Request(BarTimeframe tf, params string[] symbols) => new(symbols,
        new DateTimeOffset(UsEquitySession.ToUtc(Day, TimeOnly.MinValue), TimeSpan.Zero),
        new DateTimeOffset(UsEquitySession.ToUtc(Day.AddDays(1), TimeOnly.MinValue), TimeSpan.Zero), tf);

    private static async Task<Dictionary<string, List<ProviderBar>>> Collect(IBarProvider p, BarRequest r)
    {
        var all = new Dictionary<string, List<ProviderBar>>();
        await foreach (var page in p.FetchAsync(r))
        {
            foreach (var (s, bars) in page.Bars)
            {
                if (!all.TryGetValue(s, out var list)) all[s] = list = [];
                list.AddRange(bars);
            }
        }

        return all;
    }

    [Fact]
    public async Task Pages_across_symbols_are_followed_to_the_last_token_with_the_documented_query()
    {
        await using var server = await AlpacaTestServer.StartAsync(["AAPL", "MSFT"], Day, Day);
        using var client = Client(server, limit: 500);
        var request = Request(BarTimeframe.Minute1, "AAPL", "MSFT");
        var bars = await Collect(client, request);

        // 04:00–20:00 New York = 960 minute bars per symbol: 1920 bars in pages of 500 → 4 requests, AAPL spilling into MSFT's page.
        Assert.Equal(4, server.Requests);
        Assert.Equal(4, client.Stats.Requests);
        Assert.Equal(0, client.Stats.Retries);
        foreach (var s in new[] { "AAPL", "MSFT" })
        {
            var expected = server.Expected(s, BarTimeframe.Minute1, request.Start.UtcDateTime, request.End.UtcDateTime);
            Assert.Equal(960, expected.Count);
            Assert.Equal(expected, bars[s]);
        }

        var first = server.Log[0];
        Assert.Equal("?symbols=AAPL%2CMSFT&timeframe=1Min&start=2024-01-02T05%3A00%3A00Z&end=2024-01-03T04%3A59%3A59Z&limit=500&adjustment=raw&feed=iex&sort=asc", first);
        Assert.All(server.Log.Skip(1), q => Assert.Contains("&page_token=", q));
        Assert.DoesNotContain(server.Log, q => q.Contains(AlpacaTestServer.SecretKey));
        Assert.Contains(AlpacaTestServer.SecretKey, server.Headers);
    }

    [Fact]
    public async Task Hourly_and_daily_bars_carry_trade_count_and_vwap()
    {
        await using var server = await AlpacaTestServer.StartAsync(["AAPL"], Day, Day);
        using var client = Client(server);
        var hourly = (await Collect(client, Request(BarTimeframe.Hour1, "AAPL")))["AAPL"];
        Assert.Equal(16, hourly.Count); // 09:00Z .. 00:00Z buckets of 04:00–20:00 New York (EST, UTC-5)
        Assert.Equal(new DateTime(2024, 1, 2, 9, 0, 0, DateTimeKind.Utc), hourly[0].Timestamp.UtcDateTime);
        var daily = (await Collect(client, Request(BarTimeframe.Day1, "AAPL")))["AAPL"];
        var bar = Assert.Single(daily);
        Assert.Equal(new DateTime(2024, 1, 2, 5, 0, 0, DateTimeKind.Utc), bar.Timestamp.UtcDateTime); // New York midnight
        Assert.True(bar.TradeCount > 0 && bar.Vwap > bar.Low && bar.Vwap < bar.High);
        var regular = server.MinuteBars("AAPL").Where(b => UsEquitySession.Contains(SessionHours.Regular, b.Timestamp.UtcDateTime)).ToList();
        Assert.Equal(390, regular.Count);
        Assert.Equal(regular[0].Open, bar.Open);
        Assert.Equal(regular[^1].Close, bar.Close);
        Assert.Equal(regular.Sum(b => b.Volume), bar.Volume);
    }

    [Fact]
    public async Task An_empty_page_in_the_middle_is_followed_not_taken_for_the_end()
    {
        await using var server = await AlpacaTestServer.StartAsync(["AAPL", "MSFT"], Day, Day);
        server.EmptyPageEvery = 2;
        using var client = Client(server, limit: 500);
        var request = Request(BarTimeframe.Minute1, "AAPL", "MSFT");
        var bars = await Collect(client, request);
        Assert.Equal(5, server.Requests); // 4 data pages + 1 empty one before page 3
        Assert.Equal(1920, bars.Values.Sum(b => b.Count));
        Assert.Equal(server.Expected("MSFT", BarTimeframe.Minute1, request.Start.UtcDateTime, request.End.UtcDateTime), bars["MSFT"]);
    }

    [Fact]
    public async Task A_429_is_retried_after_the_Retry_After_delay()
    {
        await using var server = await AlpacaTestServer.StartAsync(["AAPL"], Day, Day);
        server.FaultStatus(429, "too many requests", retryAfter: 1);
        using var client = Client(server);
        var clock = Stopwatch.StartNew();
        var bars = await Collect(client, Request(BarTimeframe.Minute5, "AAPL"));
        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(0.9), $"waited {clock.Elapsed}");
        Assert.Equal(192, bars["AAPL"].Count);
        Assert.Equal(2, client.Stats.Requests);
        Assert.Equal(1, client.Stats.Retries);
    }

    [Fact]
    public async Task Server_errors_are_retried_then_succeed_or_fail_as_unavailable()
    {
        await using var server = await AlpacaTestServer.StartAsync(["AAPL"], Day, Day);
        server.FaultStatus(500, "internal server error");
        server.FaultStatus(503, "service unavailable");
        using (var client = Client(server))
        {
            var bars = await Collect(client, Request(BarTimeframe.Minute15, "AAPL"));
            Assert.Equal(64, bars["AAPL"].Count);
            Assert.Equal(2, client.Stats.Retries);
        }

        for (int i = 0; i < 4; i++) server.FaultStatus(502, "bad gateway");
        using (var client = Client(server, retries: 3))
        {
            var e = await Assert.ThrowsAsync<ProviderException>(() => Collect(client, Request(BarTimeframe.Minute15, "AAPL")));
            Assert.Equal(ProviderErrorKind.Unavailable, e.Kind);
            Assert.Equal(502, e.Status);
            Assert.Contains("\"bad gateway\"", e.Message);
            Assert.Equal(4, client.Stats.Requests);
        }
    }

    [Fact]
    public async Task A_server_that_does_not_answer_times_out_and_is_retried_then_fails_as_unavailable()
    {
        await using var server = await AlpacaTestServer.StartAsync(["AAPL"], Day, Day);
        static Task Hang(Microsoft.AspNetCore.Http.HttpContext c) => Task.Delay(TimeSpan.FromSeconds(30), c.RequestAborted)
            .ContinueWith(_ => { }, TaskScheduler.Default);
        AlpacaBarProvider Slow(int retries) => new(new AlpacaOptions
        {
            KeyId = AlpacaTestServer.KeyId, SecretKey = AlpacaTestServer.SecretKey, BaseUrl = server.BaseUrl,
            Http = new ProviderHttpOptions { MaxRetries = retries, RetryDelay = TimeSpan.FromMilliseconds(10), Timeout = TimeSpan.FromMilliseconds(300), RequestsPerMinute = 0 },
        });

        server.Fault(Hang);
        using (var client = Slow(retries: 2))
        {
            var bars = await Collect(client, Request(BarTimeframe.Minute15, "AAPL"));
            Assert.Equal(64, bars["AAPL"].Count); // the second attempt answered
            Assert.Equal(1, client.Stats.Retries);
        }

        for (int i = 0; i < 3; i++) server.Fault(Hang);
        using (var client = Slow(retries: 2))
        {
            var e = await Assert.ThrowsAsync<ProviderException>(() => Collect(client, Request(BarTimeframe.Minute15, "AAPL")));
            Assert.Equal(ProviderErrorKind.Unavailable, e.Kind);
            Assert.Contains("no answer within 0.3 s", e.Message);
            Assert.Equal(3, client.Stats.Requests);
        }
    }

    [Fact]
    public async Task Bad_or_missing_credentials_are_a_credentials_error_without_retries_or_the_secret()
    {
        await using var server = await AlpacaTestServer.StartAsync(["AAPL"], Day, Day);
        using (var client = Client(server, key: "PKWRONG"))
        {
            var e = await Assert.ThrowsAsync<ProviderException>(() => Collect(client, Request(BarTimeframe.Minute1, "AAPL")));
            Assert.Equal(ProviderErrorKind.Credentials, e.Kind);
            Assert.Equal(401, e.Status);
            Assert.Contains("request is not authorized", e.Message);
            Assert.DoesNotContain(AlpacaTestServer.SecretKey, e.Message);
            Assert.Equal(1, client.Stats.Requests);
        }

        int before = server.Requests;
        using (var client = Client(server, key: null))
        {
            var e = await Assert.ThrowsAsync<ProviderException>(() => Collect(client, Request(BarTimeframe.Minute1, "AAPL")));
            Assert.Equal(ProviderErrorKind.Credentials, e.Kind);
            Assert.Contains("APCA_API_KEY_ID", e.Message);
        }

        Assert.Equal(before, server.Requests);
    }

    [Fact]
    public async Task A_rejected_parameter_quotes_the_providers_message()
    {
        await using var server = await AlpacaTestServer.StartAsync(["AAPL"], Day, Day);
        using var client = Client(server, feed: "otc-typo");
        var e = await Assert.ThrowsAsync<ProviderException>(() => Collect(client, Request(BarTimeframe.Minute1, "AAPL")));
        Assert.Equal(ProviderErrorKind.Parameter, e.Kind);
        Assert.Equal(422, e.Status);
        Assert.Contains("\"invalid feed: otc-typo\"", e.Message);
        Assert.Equal(1, client.Stats.Requests);
    }

    [Theory]
    [InlineData("{\"bars\":{\"AAPL\":[{\"t\":\"2024-01-02T14:30:00Z\",\"o\":1", "truncated")]
    [InlineData("<html>upstream timed out</html>", "malformed JSON")]
    [InlineData("{\"bars\":{\"AAPL\":[{\"t\":\"2024-01-02T14:30:00Z\",\"o\":1,\"h\":2,\"l\":0.5,\"v\":100}]},\"next_page_token\":null}", "'bars.AAPL[0]' lacks 'c'")]
    [InlineData("{\"bars\":{\"AAPL\":[{\"t\":\"yesterday\",\"o\":1,\"h\":2,\"l\":0.5,\"c\":1,\"v\":100}]},\"next_page_token\":null}", "'bars.AAPL[0].t' is not an RFC 3339 timestamp")]
    [InlineData("{\"bars\":{\"AAPL\":[{\"t\":\"2024-01-02T14:30:00Z\",\"o\":\"1\",\"h\":2,\"l\":0.5,\"c\":1,\"v\":100}]},\"next_page_token\":null}", "'bars.AAPL[0].o' is String")]
    [InlineData("{\"bars\":[1,2],\"next_page_token\":null}", "'bars' is StartArray")]
    public async Task Malformed_payloads_are_payload_errors_naming_the_place(string body, string expected)
    {
        await using var server = await AlpacaTestServer.StartAsync(["AAPL"], Day, Day);
        server.FaultBody(body);
        using var client = Client(server);
        var e = await Assert.ThrowsAsync<ProviderException>(() => Collect(client, Request(BarTimeframe.Minute1, "AAPL")));
        Assert.Equal(ProviderErrorKind.Payload, e.Kind);
        Assert.Contains("page 1", e.Message);
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public async Task The_client_side_rate_limit_spaces_requests()
    {
        await using var server = await AlpacaTestServer.StartAsync(["AAPL"], Day, Day);
        // 600 a minute with no burst: one request every 0.1 s; 5 pages take at least 0.4 s.
        using var client = Client(server, limit: 200, perMinute: 600, burst: 1);
        var clock = Stopwatch.StartNew();
        var bars = await Collect(client, Request(BarTimeframe.Minute1, "AAPL"));
        Assert.Equal(960, bars["AAPL"].Count);
        Assert.Equal(5, server.Requests);
        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(0.38), $"took {clock.Elapsed}");
    }

    [Fact]
    public void Options_read_the_environment_before_user_secrets_and_hide_the_secret()
    {
        var env = new Dictionary<string, string?> { ["APCA_API_KEY_ID"] = "PKENV", ["APCA_API_DATA_URL"] = "http://127.0.0.1:9" };
        var secrets = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
        {
            ["APCA_API_KEY_ID"] = "PKSECRET", ["Alpaca:SecretKey"] = "s3cr3t",
        };
        var o = AlpacaOptions.FromEnvironment(secrets, environment: k => env.GetValueOrDefault(k));
        Assert.Equal("PKENV", o.KeyId);
        Assert.Equal("s3cr3t", o.SecretKey);
        Assert.Equal("http://127.0.0.1:9", o.BaseUrl);
        Assert.DoesNotContain("s3cr3t", o.ToString());
        Assert.DoesNotContain("PKENV", o.ToString());
        var none = AlpacaOptions.FromEnvironment(null, environment: _ => null);
        Assert.Equal(AlpacaOptions.DefaultBaseUrl, none.BaseUrl);
        Assert.Null(none.KeyId);
        Assert.Equal("http://override", AlpacaOptions.FromEnvironment(null, "http://override", k => env.GetValueOrDefault(k)).BaseUrl);
    }
}
