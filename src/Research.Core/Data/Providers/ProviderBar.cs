namespace Research.Core.Data.Providers;

/// <summary>
/// One bar as a provider returns it. <see cref="Timestamp"/> is the bar's start in UTC (for daily bars, the
/// session's date at midnight New York time expressed in UTC, as Alpaca stamps them, or Yahoo's session open).
/// Fields a provider does not send are <see cref="double.NaN"/>.
/// </summary>
/// <param name="Timestamp">Bar start, UTC.</param>
/// <param name="Open">Open price.</param>
/// <param name="High">High price.</param>
/// <param name="Low">Low price.</param>
/// <param name="Close">Close price.</param>
/// <param name="Volume">Volume.</param>
/// <param name="TradeCount">Number of trades (Alpaca's <c>n</c>), or NaN.</param>
/// <param name="Vwap">Volume-weighted average price (Alpaca's <c>vw</c>), or NaN.</param>
/// <param name="AdjClose">Adjusted close (Yahoo's <c>adjclose</c>), or NaN.</param>
public readonly record struct ProviderBar(DateTimeOffset Timestamp, double Open, double High, double Low, double Close,
    double Volume, double TradeCount = double.NaN, double Vwap = double.NaN, double AdjClose = double.NaN);

/// <summary>A historical-bars request: symbols, the half-open UTC range [Start, End), and a timeframe.</summary>
/// <param name="Symbols">Ticker symbols (upper case).</param>
/// <param name="Start">First instant wanted (inclusive), UTC.</param>
/// <param name="End">Instant after the last one wanted (exclusive), UTC.</param>
/// <param name="Timeframe">Bar timeframe.</param>
public sealed record BarRequest(IReadOnlyList<string> Symbols, DateTimeOffset Start, DateTimeOffset End, BarTimeframe Timeframe);

/// <summary>One page of a response: bars by symbol (oldest first), as they arrived.</summary>
/// <param name="Bars">Bars by symbol; a symbol may be absent or appear on several consecutive pages.</param>
public sealed record BarPage(IReadOnlyDictionary<string, IReadOnlyList<ProviderBar>> Bars)
{
    /// <summary>Total bars on the page.</summary>
    public int Count => Bars.Values.Sum(b => b.Count);
}

/// <summary>Counters a provider keeps across calls: HTTP requests sent (retries included) and retries.</summary>
public sealed class ProviderStats
{
    private int _requests;
    private int _retries;

    /// <summary>HTTP requests sent, retries included.</summary>
    public int Requests => Volatile.Read(ref _requests);

    /// <summary>Requests that were retries (429, 5xx, timeouts).</summary>
    public int Retries => Volatile.Read(ref _retries);

    /// <summary>Counts one request.</summary>
    public void CountRequest() => Interlocked.Increment(ref _requests);

    /// <summary>Counts one retry.</summary>
    public void CountRetry() => Interlocked.Increment(ref _retries);
}

/// <summary>A source of historical bars (Alpaca, Yahoo, a local folder).</summary>
public interface IBarProvider
{
    /// <summary>The provider's name as the CLI spells it (<c>alpaca</c>, <c>yahoo</c>, <c>local</c>).</summary>
    string Name { get; }

    /// <summary>Requests sent and retries so far.</summary>
    ProviderStats Stats { get; }

    /// <summary>
    /// Streams the bars of <paramref name="request"/> page by page (oldest first within a symbol). Throws a
    /// <see cref="ProviderException"/> naming the provider, status and message on any failure; pages already yielded
    /// are the caller's to keep or discard.
    /// </summary>
    IAsyncEnumerable<BarPage> FetchAsync(BarRequest request, CancellationToken cancellationToken = default);

    /// <summary>The longest range one request of <paramref name="timeframe"/> may span (fetches are cut to fit).</summary>
    TimeSpan MaxRequestSpan(BarTimeframe timeframe) => TimeSpan.MaxValue;
}
