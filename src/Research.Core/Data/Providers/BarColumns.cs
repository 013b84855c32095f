namespace Research.Core.Data.Providers;

/// <summary>
/// One symbol's bars of one timeframe as columns, strictly increasing in time (UTC bar starts). Missing fields
/// (trade count and VWAP from Yahoo, adjusted close from Alpaca) hold NaN.
/// </summary>
public sealed class BarColumns
{
    /// <summary>Creates columns; every array has the length of <paramref name="times"/>.</summary>
    public BarColumns(DateTime[] times, double[] open, double[] high, double[] low, double[] close, double[] volume,
        double[] tradeCount, double[] vwap, double[] adjClose)
    {
        int n = times.Length;
        if (new[] { open, high, low, close, volume, tradeCount, vwap, adjClose }.Any(a => a.Length != n))
            throw new ArgumentException($"every bar column must have {n} values.", nameof(times));
        Times = times;
        Open = open;
        High = high;
        Low = low;
        Close = close;
        Volume = volume;
        TradeCount = tradeCount;
        Vwap = vwap;
        AdjClose = adjClose;
    }

    /// <summary>No bars.</summary>
    public static BarColumns Empty { get; } = new([], [], [], [], [], [], [], [], []);

    /// <summary>Bar starts, UTC, strictly increasing.</summary>
    public DateTime[] Times { get; }

    /// <summary>Open prices.</summary>
    public double[] Open { get; }

    /// <summary>High prices.</summary>
    public double[] High { get; }

    /// <summary>Low prices.</summary>
    public double[] Low { get; }

    /// <summary>Close prices.</summary>
    public double[] Close { get; }

    /// <summary>Volumes.</summary>
    public double[] Volume { get; }

    /// <summary>Trade counts, or NaN.</summary>
    public double[] TradeCount { get; }

    /// <summary>Volume-weighted average prices, or NaN.</summary>
    public double[] Vwap { get; }

    /// <summary>Adjusted closes, or NaN.</summary>
    public double[] AdjClose { get; }

    /// <summary>Number of bars.</summary>
    public int Count => Times.Length;

    /// <summary>True when any bar has a trade count or VWAP (Alpaca).</summary>
    public bool HasTradeStats => TradeCount.Any(double.IsFinite) || Vwap.Any(double.IsFinite);

    /// <summary>True when any bar has an adjusted close (Yahoo).</summary>
    public bool HasAdjClose => AdjClose.Any(double.IsFinite);

    /// <summary>Columns from provider bars, sorted by time; of bars sharing a timestamp the last one wins.</summary>
    public static BarColumns From(IEnumerable<ProviderBar> bars)
    {
        var byTime = new SortedDictionary<DateTime, ProviderBar>();
        foreach (var b in bars) byTime[b.Timestamp.UtcDateTime] = b;
        return FromSorted(byTime.Values.ToArray());
    }

    /// <summary>
    /// This and <paramref name="newer"/> merged on time: bars of <paramref name="newer"/> replace bars with the same
    /// timestamp.
    /// </summary>
    public BarColumns Merge(BarColumns newer)
    {
        if (newer.Count == 0) return this;
        if (Count == 0) return newer;
        var byTime = new SortedDictionary<DateTime, ProviderBar>();
        for (int i = 0; i < Count; i++) byTime[Times[i]] = Bar(i);
        for (int i = 0; i < newer.Count; i++) byTime[newer.Times[i]] = newer.Bar(i);
        return FromSorted(byTime.Values.ToArray());
    }

    /// <summary>The bars with start times in [<paramref name="start"/>, <paramref name="end"/>).</summary>
    public BarColumns Between(DateTime start, DateTime end)
    {
        int a = LowerBound(start), b = LowerBound(end);
        if (a == 0 && b == Count) return this;
        return new BarColumns(Times[a..b], Open[a..b], High[a..b], Low[a..b], Close[a..b], Volume[a..b],
            TradeCount[a..b], Vwap[a..b], AdjClose[a..b]);
    }

    /// <summary>Bar <paramref name="i"/> as a <see cref="ProviderBar"/>.</summary>
    public ProviderBar Bar(int i) => new(new DateTimeOffset(Times[i], TimeSpan.Zero), Open[i], High[i], Low[i], Close[i],
        Volume[i], TradeCount[i], Vwap[i], AdjClose[i]);

    /// <summary>
    /// The bars as a <see cref="BarSeries"/> for the quality checker: intraday bars keyed by instant, daily bars by
    /// their New York session date. The adjusted close is kept only when every bar has one.
    /// </summary>
    public BarSeries ToSeries(string ticker, string source, bool intraday)
    {
        var lines = Enumerable.Range(2, Count).ToArray(); // row i is line i + 2 of the CSV form (after the header)
        var adj = Count > 0 && AdjClose.All(double.IsFinite) ? (double[])AdjClose.Clone() : null;
        return intraday
            ? BarSeries.Intraday(ticker, source, (DateTime[])Times.Clone(), (double[])Open.Clone(), (double[])High.Clone(),
                (double[])Low.Clone(), (double[])Close.Clone(), (double[])Volume.Clone(), adj, lines)
            : new BarSeries(ticker, source, Times.Select(UsEquitySession.SessionDate).ToArray(), (double[])Open.Clone(),
                (double[])High.Clone(), (double[])Low.Clone(), (double[])Close.Clone(), (double[])Volume.Clone(), adj, lines);
    }

    private int LowerBound(DateTime t)
    {
        int lo = 0, hi = Count;
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            if (Times[mid] < t) lo = mid + 1;
            else hi = mid;
        }

        return lo;
    }

    private static BarColumns FromSorted(ProviderBar[] b) => new(
        b.Select(x => x.Timestamp.UtcDateTime).ToArray(), b.Select(x => x.Open).ToArray(), b.Select(x => x.High).ToArray(),
        b.Select(x => x.Low).ToArray(), b.Select(x => x.Close).ToArray(), b.Select(x => x.Volume).ToArray(),
        b.Select(x => x.TradeCount).ToArray(), b.Select(x => x.Vwap).ToArray(), b.Select(x => x.AdjClose).ToArray());
}
