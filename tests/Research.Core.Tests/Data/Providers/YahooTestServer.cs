using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Research.Core.Tests.Data.Providers;

/// <summary>A symbol the fake Yahoo serves: its seed (the shape of its synthetic prices) and price level.</summary>
/// <param name="Symbol">Ticker.</param>
/// <param name="Seed">Seed of the synthetic series.</param>
/// <param name="Price">Typical price level.</param>
/// <param name="ExDividend">Bars before this instant have adjclose = close × <paramref name="AdjFactor"/> (null: never).</param>
/// <param name="AdjFactor">Adjustment factor before <paramref name="ExDividend"/>.</param>
internal sealed record YahooTestSymbol(string Symbol, int Seed, double Price, DateTimeOffset? ExDividend = null, double AdjFactor = 0.99);

/// <summary>
/// One entry of a chart response as the fake sends it: a null price means "no trade in that interval" (Yahoo sends such
/// entries all-null; a partly-null one is a malformed payload, and can be planted with <see cref="YahooTestServer.SetBar"/>).
/// </summary>
internal sealed record YahooTestBar(long Time, double? Open, double? High, double? Low, double? Close, long? Volume, double? AdjClose)
{
    /// <summary>True when every price is present.</summary>
    public bool IsComplete => Open is not null && High is not null && Low is not null && Close is not null;

    /// <summary>Bar start, UTC.</summary>
    public DateTimeOffset Timestamp => DateTimeOffset.FromUnixTimeSeconds(Time);
}

/// <summary>One request the fake received.</summary>
/// <param name="Path">Request path (escaped as sent).</param>
/// <param name="Query">Raw query string, with its leading '?'.</param>
/// <param name="Headers">Request headers (names lower case; values joined with ", ").</param>
internal sealed record YahooTestRequest(string Path, string Query, IReadOnlyDictionary<string, string> Headers)
{
    /// <summary>The query parameters, decoded.</summary>
    public IReadOnlyDictionary<string, string> QueryParameters =>
        Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(Query).ToDictionary(p => p.Key, p => p.Value.ToString(), StringComparer.Ordinal);

    /// <summary>A header's value, or null.</summary>
    public string? Header(string name) => Headers.TryGetValue(name.ToLowerInvariant(), out var v) ? v : null;
}

/// <summary>A scripted answer the fake gives instead of its normal one (one per request, in queue order).</summary>
internal abstract record YahooFault
{
    /// <summary>429 "Too Many Requests" (plain text), with a Retry-After header when <paramref name="retryAfterSeconds"/> is set.</summary>
    public static YahooFault TooManyRequests(int? retryAfterSeconds = null) => new Canned(429, "text/plain", "Too Many Requests",
        retryAfterSeconds is { } s ? new Dictionary<string, string> { ["Retry-After"] = s.ToString(CultureInfo.InvariantCulture) } : null);

    /// <summary>A bare status with an HTML body, as Yahoo's edge answers 5xx.</summary>
    public static YahooFault Status(int status, string? body = null) =>
        new Canned(status, "text/html", body ?? $"<html><body><h1>{status}</h1>Service unavailable.</body></html>", null);

    /// <summary>A 200 whose body is HTML, not JSON.</summary>
    public static YahooFault NotJson() =>
        new Canned(200, "text/html; charset=utf-8", "<!DOCTYPE html><html><head><title>Yahoo</title></head><body>Will be right back...</body></html>", null);

    /// <summary>A 200 with <c>chart.error</c> set and no result.</summary>
    public static YahooFault ChartError(string code, string description) =>
        new Canned(200, "application/json", YahooTestServer.ErrorBody("chart", code, description), null);

    /// <summary>Any status, content type and body.</summary>
    public static YahooFault Raw(int status, string contentType, string body) => new Canned(status, contentType, body, null);

    /// <summary>The normal answer's JSON cut after <paramref name="bytes"/> bytes (the HTTP message itself is complete).</summary>
    public static YahooFault Truncated(int bytes = 200) => new TruncatedJson(bytes);

    /// <summary>Headers promising the whole normal body, then half of it and a dropped connection.</summary>
    public static YahooFault DroppedConnection() => new Dropped();

    internal sealed record Canned(int StatusCode, string ContentType, string Body, IReadOnlyDictionary<string, string>? Headers) : YahooFault;

    internal sealed record TruncatedJson(int Bytes) : YahooFault;

    internal sealed record Dropped : YahooFault;
}

/// <summary>
/// An in-process fake of Yahoo Finance's v8 chart API on Kestrel (http://127.0.0.1, a free port):
/// <c>GET /v8/finance/chart/{symbol}?period1=&amp;period2=&amp;interval=&amp;includePrePost=</c> answers
/// <c>{"chart": {"result": [{"meta", "timestamp", "indicators": {"quote": [...], "adjclose": [...]}}], "error": null}}</c>
/// from a deterministic synthetic dataset (weekday sessions in America/New_York; daily bars stamped at the 09:30 open,
/// intraday ones at their start; some intraday entries all-null, as Yahoo sends intervals without a trade), filtered
/// to [period1, period2). Errors follow Yahoo: unknown symbol 404, bad interval or period 422, more than 8 days of 1m
/// bars 422, no User-Agent 429 plain text, unknown path 404 with a <c>finance.error</c> body. Scripted
/// <see cref="YahooFault"/>s are consumed one per request before normal handling; every request is logged.
/// </summary>
internal sealed class YahooTestServer : IAsyncDisposable
{
    /// <summary>The intervals Yahoo lists as valid.</summary>
    public static readonly string[] ValidIntervals = ["1m", "2m", "5m", "15m", "30m", "60m", "90m", "1h", "1d", "5d", "1wk", "1mo", "3mo"];

    private static readonly TimeZoneInfo NewYork = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");
    private readonly WebApplication _app;
    private readonly Dictionary<string, YahooTestSymbol> _symbols;
    private readonly ConcurrentQueue<YahooFault> _faults = new();
    private readonly ConcurrentQueue<YahooTestRequest> _requests = new();
    private readonly ConcurrentDictionary<(string Symbol, long Time), YahooTestBar> _overrides = new();
    private int _requestCount;

    private YahooTestServer(WebApplication app, IEnumerable<YahooTestSymbol> symbols)
    {
        _app = app;
        _symbols = symbols.ToDictionary(s => s.Symbol, StringComparer.Ordinal);
    }

    /// <summary>The default symbols: AAPL (ex-dividend 2024-02-09), MSFT and SPY.</summary>
    public static IReadOnlyList<YahooTestSymbol> DefaultSymbols { get; } =
    [
        new("AAPL", 11, 185.0, new DateTimeOffset(2024, 2, 9, 14, 30, 0, TimeSpan.Zero), 0.995),
        new("MSFT", 23, 400.0),
        new("SPY", 37, 480.0),
    ];

    /// <summary>Base URL, e.g. <c>http://127.0.0.1:41234</c> (no trailing slash).</summary>
    public string BaseUrl { get; private set; } = "";

    /// <summary>Requests received so far (faulted ones included).</summary>
    public int RequestCount => Volatile.Read(ref _requestCount);

    /// <summary>Every request received, in arrival order.</summary>
    public IReadOnlyList<YahooTestRequest> Requests => [.. _requests];

    /// <summary>Scripted faults not yet consumed.</summary>
    public int PendingFaults => _faults.Count;

    /// <summary>Starts a server for <paramref name="symbols"/> (<see cref="DefaultSymbols"/> when none).</summary>
    public static async Task<YahooTestServer> StartAsync(params YahooTestSymbol[] symbols)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var server = new YahooTestServer(app, symbols.Length == 0 ? DefaultSymbols : symbols);
        app.Use(server.Intercept);
        app.MapGet("/v8/finance/chart/{symbol}", (HttpContext ctx, string symbol) => server.Chart(ctx, symbol));
        app.MapFallback((HttpContext ctx) =>
            Write(ctx.Response, 404, "application/json", ErrorBody("finance", "Not Found", "HTTP 404 Not Found")));
        await app.StartAsync();
        server.BaseUrl = app.Urls.First().TrimEnd('/');
        return server;
    }

    /// <summary>Queues faults, answered in order to the next requests (one each).</summary>
    public void Enqueue(params YahooFault[] faults)
    {
        foreach (var f in faults) _faults.Enqueue(f);
    }

    /// <summary>Replaces (or adds) the entry of <paramref name="symbol"/> at <paramref name="bar"/>'s time, for every interval.</summary>
    public void SetBar(string symbol, YahooTestBar bar) => _overrides[(symbol, bar.Time)] = bar;

    /// <summary>
    /// The entries the server sends for a request (all-null ones included), oldest first: weekday sessions,
    /// regular hours only unless <paramref name="includePrePost"/> (04:00-20:00) for intraday intervals.
    /// </summary>
    public IReadOnlyList<YahooTestBar> Bars(string symbol, string interval, DateTimeOffset start, DateTimeOffset end, bool includePrePost = true) =>
        Bars(_symbols[symbol], interval, start.ToUnixTimeSeconds(), end.ToUnixTimeSeconds(), includePrePost);

    /// <summary>The complete (non-null) bars of <see cref="Bars(string, string, DateTimeOffset, DateTimeOffset, bool)"/>.</summary>
    public IReadOnlyList<YahooTestBar> CompleteBars(string symbol, string interval, DateTimeOffset start, DateTimeOffset end, bool includePrePost = true) =>
        [.. Bars(symbol, interval, start, end, includePrePost).Where(b => b.IsComplete)];

    /// <summary>Yahoo's error body <c>{"&lt;root&gt;": {"result": null, "error": {"code", "description"}}}</c>.</summary>
    public static string ErrorBody(string root, string code, string description) => new JsonObject
    {
        [root] = new JsonObject { ["result"] = null, ["error"] = new JsonObject { ["code"] = code, ["description"] = description } },
    }.ToJsonString();

    private async Task Intercept(HttpContext ctx, RequestDelegate next)
    {
        Interlocked.Increment(ref _requestCount);
        var headers = ctx.Request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString(), StringComparer.Ordinal);
        _requests.Enqueue(new YahooTestRequest(ctx.Request.Path.ToUriComponent(), ctx.Request.QueryString.Value ?? "", headers));
        if (_faults.TryDequeue(out var fault))
        {
            await Fault(ctx, fault);
            return;
        }

        if (string.IsNullOrWhiteSpace(ctx.Request.Headers.UserAgent))
        {
            await Write(ctx.Response, 429, "text/plain", "Too Many Requests");
            return;
        }

        await next(ctx);
    }

    private async Task Fault(HttpContext ctx, YahooFault fault)
    {
        switch (fault)
        {
            case YahooFault.Canned c:
                foreach (var (k, v) in c.Headers ?? new Dictionary<string, string>()) ctx.Response.Headers[k] = v;
                await Write(ctx.Response, c.StatusCode, c.ContentType, c.Body);
                break;
            case YahooFault.TruncatedJson t:
            {
                var (_, _, body) = Answer(ctx);
                await Write(ctx.Response, 200, "application/json", body[..Math.Min(t.Bytes, body.Length - 1)]);
                break;
            }

            case YahooFault.Dropped:
            {
                var (_, _, body) = Answer(ctx);
                var bytes = Encoding.UTF8.GetBytes(body);
                ctx.Response.StatusCode = 200;
                ctx.Response.ContentType = "application/json";
                ctx.Response.ContentLength = bytes.Length;
                await ctx.Response.Body.WriteAsync(bytes.AsMemory(0, bytes.Length / 2));
                await ctx.Response.Body.FlushAsync();
                ctx.Abort();
                break;
            }
        }
    }

    private Task Chart(HttpContext ctx, string symbol)
    {
        var (status, type, body) = Answer(ctx, symbol);
        return Write(ctx.Response, status, type, body);
    }

    private (int Status, string ContentType, string Body) Answer(HttpContext ctx, string? symbol = null)
    {
        symbol ??= Uri.UnescapeDataString(ctx.Request.Path.Value?.Split('/').LastOrDefault() ?? "");
        var q = ctx.Request.Query;
        string interval = q["interval"].ToString() is { Length: > 0 } i ? i : "1d";
        if (!ValidIntervals.Contains(interval, StringComparer.Ordinal))
            return Unprocessable($"Invalid input - interval={interval} is not supported. Valid intervals: [{string.Join(", ", ValidIntervals)}]");
        if (interval is "5d" or "1wk" or "1mo" or "3mo")
            return Unprocessable($"Invalid input - interval={interval} is not served by this test server.");
        if (!long.TryParse(q["period1"], NumberStyles.Integer, CultureInfo.InvariantCulture, out long p1)
            || !long.TryParse(q["period2"], NumberStyles.Integer, CultureInfo.InvariantCulture, out long p2))
        {
            return Unprocessable($"Invalid input - period1={q["period1"]} and period2={q["period2"]} must be Unix times in seconds.");
        }

        if (p2 < p1)
        {
            return Unprocessable(string.Create(CultureInfo.InvariantCulture,
                $"Invalid input - start date cannot be after end date. startDate = {p1}, endDate = {p2}"));
        }

        if (interval == "1m" && p2 - p1 > 8 * 86400)
            return Unprocessable("Only 8 days worth of 1m granularity data are allowed to be fetched per request.");
        if (!_symbols.TryGetValue(symbol, out var spec))
            return (404, "application/json", ErrorBody("chart", "Not Found", "No data found, symbol may be delisted"));
        bool prePost = !string.Equals(q["includePrePost"], "false", StringComparison.OrdinalIgnoreCase);
        bool adjusted = !string.Equals(q["includeAdjustedClose"], "false", StringComparison.OrdinalIgnoreCase);
        return (200, "application/json;charset=utf-8", ChartBody(spec, interval, p1, p2, prePost, adjusted));
    }

    private static (int, string, string) Unprocessable(string description) =>
        (422, "application/json", ErrorBody("chart", "Unprocessable Entity", description));

    private string ChartBody(YahooTestSymbol spec, string interval, long p1, long p2, bool prePost, bool adjusted)
    {
        var bars = Bars(spec, interval, p1, p2, prePost);
        var offset = NewYork.GetUtcOffset(DateTimeOffset.FromUnixTimeSeconds(p2));
        var meta = new JsonObject
        {
            ["currency"] = "USD",
            ["symbol"] = spec.Symbol,
            ["exchangeName"] = "NMS",
            ["fullExchangeName"] = "NasdaqGS",
            ["instrumentType"] = "EQUITY",
            ["firstTradeDate"] = 345479400,
            ["regularMarketTime"] = p2,
            ["hasPrePostMarketData"] = true,
            ["gmtoffset"] = (long)offset.TotalSeconds,
            ["timezone"] = offset == TimeSpan.FromHours(-5) ? "EST" : "EDT",
            ["exchangeTimezoneName"] = "America/New_York",
            ["regularMarketPrice"] = bars.LastOrDefault(b => b.Close is not null)?.Close ?? spec.Price,
            ["priceHint"] = 2,
            ["dataGranularity"] = interval,
            ["range"] = "",
            ["validRanges"] = new JsonArray("1d", "5d", "1mo", "3mo", "6mo", "1y", "2y", "5y", "10y", "ytd", "max"),
        };
        var result = new JsonObject { ["meta"] = meta };
        if (bars.Count > 0)
        {
            result["timestamp"] = new JsonArray([.. bars.Select(b => (JsonNode?)b.Time)]);
            var quote = new JsonObject
            {
                ["open"] = Column(bars, b => b.Open),
                ["high"] = Column(bars, b => b.High),
                ["low"] = Column(bars, b => b.Low),
                ["close"] = Column(bars, b => b.Close),
                ["volume"] = new JsonArray([.. bars.Select(b => b.Volume is { } v ? (JsonNode?)v : null)]),
            };
            var indicators = new JsonObject { ["quote"] = new JsonArray(quote) };
            if (interval == "1d" && adjusted)
                indicators["adjclose"] = new JsonArray(new JsonObject { ["adjclose"] = Column(bars, b => b.AdjClose) });
            result["indicators"] = indicators;
        }
        else
        {
            // Yahoo's answer for a range without bars: no timestamp, empty quote.
            result["indicators"] = new JsonObject { ["quote"] = new JsonArray(new JsonObject()) };
        }

        return new JsonObject { ["chart"] = new JsonObject { ["result"] = new JsonArray(result), ["error"] = null } }.ToJsonString();
    }

    private static JsonArray Column(IEnumerable<YahooTestBar> bars, Func<YahooTestBar, double?> field) =>
        new([.. bars.Select(b => field(b) is { } v ? (JsonNode?)v : null)]);

    private List<YahooTestBar> Bars(YahooTestSymbol spec, string interval, long p1, long p2, bool prePost)
    {
        var list = new List<YahooTestBar>();
        if (p2 <= p1) return list;
        int minutes = interval switch
        {
            "1m" => 1, "2m" => 2, "5m" => 5, "15m" => 15, "30m" => 30, "60m" or "1h" => 60, "90m" => 90, _ => 0,
        };
        var first = TimeZoneInfo.ConvertTime(DateTimeOffset.FromUnixTimeSeconds(p1), NewYork).Date.AddDays(-1);
        var last = TimeZoneInfo.ConvertTime(DateTimeOffset.FromUnixTimeSeconds(p2), NewYork).Date.AddDays(1);
        for (var day = first; day <= last; day = day.AddDays(1))
        {
            if (day.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday) continue;
            if (minutes == 0)
            {
                long t = Utc(day.AddHours(9.5));
                if (t >= p1 && t < p2) list.Add(Entry(spec, t, day, daily: true));
                continue;
            }

            var from = day.AddHours(prePost ? 4 : 9.5);
            var to = day.AddHours(prePost ? 20 : 16);
            // Yahoo aligns intraday bars to the 09:30 open; pre-market bars count back from it.
            var open = day.AddHours(9.5);
            var s = open.AddMinutes(-minutes * Math.Floor((open - from).TotalMinutes / minutes));
            for (; s < to; s = s.AddMinutes(minutes))
            {
                long t = Utc(s);
                if (t >= p1 && t < p2) list.Add(Entry(spec, t, day, daily: false));
            }
        }

        return list;
    }

    private YahooTestBar Entry(YahooTestSymbol spec, long t, DateTime day, bool daily)
    {
        if (_overrides.TryGetValue((spec.Symbol, t), out var planted)) return planted;
        ulong h = Mix((ulong)spec.Seed * 0x9E3779B97F4A7C15UL ^ (ulong)t);
        if (!daily && h % 29 == 0) return new YahooTestBar(t, null, null, null, null, null, null); // no trade
        double d = (day - new DateTime(2000, 1, 1)).TotalDays;
        double level = spec.Price * Math.Exp(0.15 * Math.Sin(2 * Math.PI * d / 61 + spec.Seed) + 0.04 * Math.Sin(2 * Math.PI * d / 7.3 + 2 * spec.Seed));
        double scale = daily ? 0.012 : 0.0015;
        double mid = daily ? level : level * (1 + 0.004 * Math.Sin(t / 1800.0 + spec.Seed));
        double open = Math.Round(mid * (1 + scale * (Unit(h, 0) - 0.5)), 4);
        double close = Math.Round(mid * (1 + scale * (Unit(h, 1) - 0.5)), 4);
        double high = Math.Round(Math.Max(open, close) * (1 + scale * Unit(h, 2) / 2), 4);
        double low = Math.Round(Math.Min(open, close) * (1 - scale * Unit(h, 3) / 2), 4);
        long volume = (long)((daily ? 40_000_000 : 150_000) * (0.5 + Unit(h, 4)));
        double factor = spec.ExDividend is { } ex && t < ex.ToUnixTimeSeconds() ? spec.AdjFactor : 1.0;
        return new YahooTestBar(t, open, high, low, close, volume, Math.Round(close * factor, 4));
    }

    private static long Utc(DateTime newYorkLocal) =>
        new DateTimeOffset(newYorkLocal, NewYork.GetUtcOffset(newYorkLocal)).ToUnixTimeSeconds();

    private static double Unit(ulong h, int k) => (Mix(h + (ulong)k * 0xBF58476D1CE4E5B9UL) >> 11) * (1.0 / (1UL << 53));

    private static ulong Mix(ulong z)
    {
        z += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    private static Task Write(HttpResponse response, int status, string contentType, string body)
    {
        response.StatusCode = status;
        response.ContentType = contentType;
        return response.WriteAsync(body);
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
