using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Research.Core.Data;
using Research.Core.Data.Providers;

namespace Research.Core.Tests.Data.Providers;

/// <summary>
/// An in-process HTTP server that speaks Alpaca Market Data v2's historical stock bars protocol on 127.0.0.1:
/// <c>GET /v2/stocks/bars</c> with the key headers, query <c>symbols, timeframe, start, end (inclusive), limit, adjustment,
/// feed, sort, page_token</c>, bars ordered by symbol then time, <c>limit</c> bars per page across symbols and an opaque
/// <c>next_page_token</c>; errors as <c>{"code", "message"}</c> with 401/403/422/429. Holds deterministic synthetic
/// 1-minute bars (04:00–20:00 New York on weekdays, so the session filter has work) aggregated to coarser timeframes.
/// Faults are scripted per request.
/// </summary>
internal sealed class AlpacaTestServer : IAsyncDisposable
{
    public const string KeyId = "PKTEST0000000000";
    public const string SecretKey = "test-secret-never-logged";

    private readonly WebApplication _app;
    private readonly Dictionary<string, ProviderBar[]> _minutes = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<Func<HttpContext, Task>> _faults = new();
    private readonly ConcurrentQueue<string> _log = new();
    private readonly ConcurrentDictionary<int, int> _failAt = new();
    private int _requests;

    private AlpacaTestServer(WebApplication app) => _app = app;

    /// <summary>Base URL, e.g. http://127.0.0.1:41234.</summary>
    public string BaseUrl { get; private set; } = "";

    /// <summary>Requests received (faults included).</summary>
    public int Requests => Volatile.Read(ref _requests);

    /// <summary>Query strings of the requests, in order.</summary>
    public IReadOnlyList<string> Log => [.. _log];

    /// <summary>Every header value the server saw (to check secrets stay in headers).</summary>
    public ConcurrentBag<string> Headers { get; } = [];

    /// <summary>Insert an empty page (bars {}, a next token) before every n-th page; 0 = never.</summary>
    public int EmptyPageEvery { get; set; }

    /// <summary>Starts a server with 1-minute bars of <paramref name="symbols"/> on the weekdays from..to.</summary>
    public static async Task<AlpacaTestServer> StartAsync(IReadOnlyList<string> symbols, DateOnly from, DateOnly to)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var server = new AlpacaTestServer(app);
        for (int k = 0; k < symbols.Count; k++) server._minutes[symbols[k]] = Minutes(from, to, 100 + 50 * k, k + 1);
        app.MapGet("/v2/stocks/bars", server.Bars);
        await app.StartAsync();
        server.BaseUrl = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return server;
    }

    /// <summary>The 1-minute bars the server holds for a symbol.</summary>
    public IReadOnlyList<ProviderBar> MinuteBars(string symbol) => _minutes[symbol];

    /// <summary>Queues a fault: the next request gets it instead of data.</summary>
    public void Fault(Func<HttpContext, Task> fault) => _faults.Enqueue(fault);

    /// <summary>Queues an error response with Alpaca's body.</summary>
    public void FaultStatus(int status, string message, int? retryAfter = null) => Fault(async c =>
    {
        c.Response.StatusCode = status;
        if (retryAfter is { } s) c.Response.Headers.RetryAfter = s.ToString(CultureInfo.InvariantCulture);
        await c.Response.WriteAsJsonAsync(new { code = status * 100000 + 10000, message });
    });

    /// <summary>Requests number <paramref name="first"/> .. first + times - 1 (counting from 1) get <paramref name="status"/>.</summary>
    public void FailAt(int first, int times, int status)
    {
        for (int i = 0; i < times; i++) _failAt[first + i] = status;
    }

    /// <summary>Queues a 200 whose body is <paramref name="body"/> verbatim.</summary>
    public void FaultBody(string body) => Fault(async c =>
    {
        c.Response.ContentType = "application/json";
        await c.Response.WriteAsync(body);
    });

    /// <summary>The bars of <paramref name="symbol"/> the server serves for a timeframe, in [start, end).</summary>
    public IReadOnlyList<ProviderBar> Expected(string symbol, BarTimeframe tf, DateTime start, DateTime end) =>
        Aggregate(_minutes[symbol], tf).Where(b => b.Timestamp.UtcDateTime >= start && b.Timestamp.UtcDateTime < end).ToList();

    private async Task Bars(HttpContext c)
    {
        int number = Interlocked.Increment(ref _requests);
        _log.Enqueue(c.Request.QueryString.Value ?? "");
        foreach (var h in c.Request.Headers) Headers.Add(h.Value.ToString());
        if (_failAt.TryRemove(number, out int status))
        {
            c.Response.StatusCode = status;
            await c.Response.WriteAsJsonAsync(new { code = status * 100000, message = "scripted failure" });
            return;
        }

        if (_faults.TryDequeue(out var fault))
        {
            await fault(c);
            return;
        }

        if (c.Request.Headers["APCA-API-KEY-ID"] != KeyId || c.Request.Headers["APCA-API-SECRET-KEY"] != SecretKey)
        {
            c.Response.StatusCode = 401;
            await c.Response.WriteAsJsonAsync(new { code = 40110000, message = "request is not authorized" });
            return;
        }

        var q = c.Request.Query;
        async Task Reject(string message)
        {
            c.Response.StatusCode = 422;
            await c.Response.WriteAsJsonAsync(new { code = 42210000, message });
        }

        string[] symbols = (q["symbols"].ToString()).Split(',', StringSplitOptions.RemoveEmptyEntries);
        if (symbols.Length == 0) { await Reject("missing symbols"); return; }
        BarTimeframe tf;
        try { tf = BarTimeframe.All.Single(t => t.Name == q["timeframe"]); }
        catch (InvalidOperationException) { await Reject($"invalid timeframe: {q["timeframe"]}"); return; }
        if (!DateTimeOffset.TryParse(q["start"], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var start)) { await Reject("invalid start"); return; }
        if (!DateTimeOffset.TryParse(q["end"], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var end)) { await Reject("invalid end"); return; }
        if (end < start) { await Reject("end should not be before start"); return; }
        if (!int.TryParse(q["limit"], out int limit) || limit is < 1 or > 10000) { await Reject("invalid limit: must be between 1 and 10000"); return; }
        if (q["feed"] is var feed && !(feed == "iex" || feed == "sip")) { await Reject($"invalid feed: {feed}"); return; }
        if (q["adjustment"] is var adj && !(adj == "raw" || adj == "split" || adj == "dividend" || adj == "all")) { await Reject($"invalid adjustment: {adj}"); return; }
        if (q["sort"] != "asc") { await Reject("invalid sort"); return; }
        int offset = 0, empties = 0;
        if (q["page_token"].ToString() is { Length: > 0 } token)
        {
            var parts = Encoding.UTF8.GetString(Convert.FromBase64String(token)).Split(':');
            offset = int.Parse(parts[0], CultureInfo.InvariantCulture);
            empties = int.Parse(parts[1], CultureInfo.InvariantCulture);
        }

        var all = symbols.Where(_minutes.ContainsKey).OrderBy(s => s, StringComparer.Ordinal)
            .SelectMany(s => Aggregate(_minutes[s], tf).Where(b => b.Timestamp >= start && b.Timestamp <= end).Select(b => (Symbol: s, Bar: b)))
            .ToList();
        int pageNo = offset / limit;
        var bars = new Dictionary<string, List<object>>();
        string? next;
        if (EmptyPageEvery > 0 && pageNo > 0 && pageNo % EmptyPageEvery == 0 && empties == 0)
        {
            next = Token(offset, 1); // an empty page mid-pagination, then the data page it stood in for
        }
        else
        {
            foreach (var (s, b) in all.Skip(offset).Take(limit))
            {
                if (!bars.TryGetValue(s, out var list)) bars[s] = list = [];
                list.Add(new Dictionary<string, object>
                {
                    ["t"] = b.Timestamp.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
                    ["o"] = b.Open, ["h"] = b.High, ["l"] = b.Low, ["c"] = b.Close, ["v"] = b.Volume, ["n"] = b.TradeCount, ["vw"] = b.Vwap,
                });
            }

            next = offset + limit < all.Count ? Token(offset + limit, 0) : null;
        }

        c.Response.ContentType = "application/json";
        await c.Response.WriteAsync(JsonSerializer.Serialize(new Dictionary<string, object?> { ["bars"] = bars, ["next_page_token"] = next }));
    }

    private static string Token(int offset, int empties) => Convert.ToBase64String(Encoding.UTF8.GetBytes($"{offset}:{empties}"));

    /// <summary>Synthetic minute bars 04:00–20:00 New York on weekdays: a seeded random walk, whole-cent prices.</summary>
    private static ProviderBar[] Minutes(DateOnly from, DateOnly to, double price, int seed)
    {
        var rng = new Random(seed);
        var bars = new List<ProviderBar>();
        for (var d = from; d <= to; d = d.AddDays(1))
        {
            if (d.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday) continue;
            var t = UsEquitySession.ToUtc(d, new TimeOnly(4, 0));
            var stop = UsEquitySession.ToUtc(d, new TimeOnly(20, 0));
            for (; t < stop; t = t.AddMinutes(1))
            {
                double open = price;
                price = Math.Max(1, Math.Round(price * (1 + 0.0008 * (rng.NextDouble() * 2 - 1)), 2));
                double high = Math.Round(Math.Max(open, price) + 0.01 * rng.Next(0, 4), 2);
                double low = Math.Round(Math.Min(open, price) - 0.01 * rng.Next(0, 4), 2);
                double volume = 100 * rng.Next(1, 50);
                bars.Add(new ProviderBar(new DateTimeOffset(t, TimeSpan.Zero), open, high, low, price, volume,
                    rng.Next(1, 40), Math.Round((open + price + high + low) / 4, 4)));
            }
        }

        return [.. bars];
    }

    /// <summary>Minute bars aggregated to a timeframe: intraday buckets from the hour; daily bars of regular hours stamped at New York midnight.</summary>
    private static IEnumerable<ProviderBar> Aggregate(ProviderBar[] minutes, BarTimeframe tf)
    {
        if (tf == BarTimeframe.Minute1) return minutes;
        Func<ProviderBar, DateTime> key = tf.IsDaily
            ? b => UsEquitySession.ToUtc(UsEquitySession.SessionDate(b.Timestamp.UtcDateTime), TimeOnly.MinValue)
            : b => new DateTime(b.Timestamp.UtcDateTime.Ticks / tf.Duration.Ticks * tf.Duration.Ticks, DateTimeKind.Utc);
        var source = tf.IsDaily ? minutes.Where(b => UsEquitySession.Contains(SessionHours.Regular, b.Timestamp.UtcDateTime)) : minutes;
        return source.GroupBy(key).Select(g => new ProviderBar(new DateTimeOffset(g.Key, TimeSpan.Zero), g.First().Open,
            g.Max(b => b.High), g.Min(b => b.Low), g.Last().Close, g.Sum(b => b.Volume), g.Sum(b => b.TradeCount),
            Math.Round(g.Sum(b => b.Vwap * b.Volume) / g.Sum(b => b.Volume), 4)));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
