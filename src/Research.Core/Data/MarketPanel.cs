namespace Research.Core.Data;

/// <summary>
/// Daily bars for many tickers on one trading calendar: date × ticker × open/high/low/close/volume
/// [/adjusted close]. Stored as contiguous ticker-major arrays (all dates of ticker 0, then ticker 1, ...), so one
/// ticker's series is a <see cref="ReadOnlySpan{T}"/> with no copying. A ticker without a bar on a date holds NaN.
/// </summary>
public sealed class MarketPanel
{
    private readonly double[][] _fields;

    /// <summary>Creates a panel; each field array has <c>tickers.Length × calendar.Count</c> values, ticker-major.</summary>
    public MarketPanel(TradingCalendar calendar, string[] tickers, double[] open, double[] high, double[] low,
        double[] close, double[] volume, double[]? adjClose = null)
    {
        int n = calendar.Count * tickers.Length;
        foreach (var (a, name) in new[] { (open, "open"), (high, "high"), (low, "low"), (close, "close"), (volume, "volume") })
        {
            if (a.Length != n)
            {
                throw new ArgumentException($"The {name} array has {a.Length} values; expected {tickers.Length} tickers × {calendar.Count} dates = {n}.", name);
            }
        }

        if (adjClose is not null && adjClose.Length != n)
        {
            throw new ArgumentException($"The adjClose array has {adjClose.Length} values; expected {n}.", nameof(adjClose));
        }

        if (tickers.Distinct(StringComparer.Ordinal).Count() != tickers.Length)
        {
            throw new ArgumentException("Tickers must be distinct.", nameof(tickers));
        }

        Calendar = calendar;
        Tickers = tickers;
        _fields = [open, high, low, close, volume, adjClose ?? []];
        HasAdjClose = adjClose is not null;
    }

    /// <summary>The trading dates.</summary>
    public TradingCalendar Calendar { get; }

    /// <summary>Ticker symbols, in column order.</summary>
    public IReadOnlyList<string> Tickers { get; }

    /// <summary>Number of dates.</summary>
    public int DateCount => Calendar.Count;

    /// <summary>Number of tickers.</summary>
    public int TickerCount => Tickers.Count;

    /// <summary>True when an adjusted-close column is present.</summary>
    public bool HasAdjClose { get; }

    /// <summary>Index of <paramref name="ticker"/>; throws naming the ticker when absent.</summary>
    public int TickerIndex(string ticker)
    {
        for (int i = 0; i < Tickers.Count; i++)
        {
            if (string.Equals(Tickers[i], ticker, StringComparison.OrdinalIgnoreCase)) return i;
        }

        throw new ArgumentException($"Ticker '{ticker}' is not in the panel ({string.Join(", ", Tickers)}).", nameof(ticker));
    }

    /// <summary>One ticker's series of <paramref name="field"/>, a view with no copy.</summary>
    public ReadOnlySpan<double> Series(PriceField field, int ticker) =>
        Field(field).AsSpan(ticker * DateCount, DateCount);

    /// <summary>The whole ticker-major array of <paramref name="field"/>.</summary>
    public ReadOnlySpan<double> Column(PriceField field) => Field(field);

    /// <summary>The value of <paramref name="field"/> for a ticker on a date index.</summary>
    public double this[PriceField field, int ticker, int date] => Field(field)[ticker * DateCount + date];

    /// <summary>The values of <paramref name="field"/> for every ticker on date index <paramref name="date"/> (a cross-section).</summary>
    public double[] CrossSection(PriceField field, int date)
    {
        var a = Field(field);
        var r = new double[TickerCount];
        for (int k = 0; k < r.Length; k++) r[k] = a[k * DateCount + date];
        return r;
    }

    /// <summary>The panel restricted to the dates in [start, end).</summary>
    public MarketPanel SliceDates(int start, int end)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(start);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(end, DateCount);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(start, end);
        int len = end - start;
        double[] Cut(double[] a)
        {
            var r = new double[len * TickerCount];
            for (int k = 0; k < TickerCount; k++) Array.Copy(a, k * DateCount + start, r, k * len, len);
            return r;
        }

        return new MarketPanel(Calendar.Slice(start, end), [.. Tickers], Cut(_fields[0]), Cut(_fields[1]),
            Cut(_fields[2]), Cut(_fields[3]), Cut(_fields[4]), HasAdjClose ? Cut(_fields[5]) : null);
    }

    /// <summary>The panel restricted to <paramref name="tickers"/>, in that order.</summary>
    public MarketPanel SelectTickers(IEnumerable<string> tickers)
    {
        var idx = tickers.Select(TickerIndex).ToArray();
        double[] Pick(double[] a)
        {
            var r = new double[idx.Length * DateCount];
            for (int j = 0; j < idx.Length; j++) Array.Copy(a, idx[j] * DateCount, r, j * DateCount, DateCount);
            return r;
        }

        return new MarketPanel(Calendar, idx.Select(i => Tickers[i]).ToArray(), Pick(_fields[0]), Pick(_fields[1]),
            Pick(_fields[2]), Pick(_fields[3]), Pick(_fields[4]), HasAdjClose ? Pick(_fields[5]) : null);
    }

    private double[] Field(PriceField field)
    {
        if (field == PriceField.AdjClose && !HasAdjClose)
        {
            throw new InvalidOperationException("This panel has no adjusted-close column.");
        }

        return _fields[(int)field];
    }
}
