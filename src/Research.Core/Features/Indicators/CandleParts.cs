namespace Research.Core.Features.Indicators;

/// <summary>
/// Real bodies, ranges, shadows and their trailing window totals (TA-Lib's running period totals) for one OHLC
/// series. The last series per thread is kept, keyed by its values, so recognising several patterns on the same bars
/// computes these once.
/// </summary>
internal sealed class CandleParts
{
    [ThreadStatic] private static (double[] Key, CandleParts Parts)? _last;

    private CandleParts(int n)
    {
        Body = new double[n];
        Range = new double[n];
        Shadows = new double[n];
        Upper = new double[n];
        Lower = new double[n];
        Body10 = new double[n];
        Range10 = new double[n];
        Range5 = new double[n];
        Shadows10 = new double[n];
        BodyLong = new double[n];
        BodyShort = new double[n];
        BodyDoji = new double[n];
        ShadowVeryShort = new double[n];
        Near = new double[n];
    }

    private void Fill(ReadOnlySpan<double> open, ReadOnlySpan<double> high, ReadOnlySpan<double> low, ReadOnlySpan<double> close)
    {
        int n = close.Length;
        for (int i = 0; i < n; i++)
        {
            Body[i] = Math.Abs(close[i] - open[i]);
            Range[i] = high[i] - low[i];
            double top = close[i] >= open[i] ? close[i] : open[i], bottom = close[i] >= open[i] ? open[i] : close[i];
            Upper[i] = high[i] - top;
            Lower[i] = bottom - low[i];
            Shadows[i] = Upper[i] + Lower[i];
        }

        Trailing(Body, 10, Body10);
        Trailing(Range, 10, Range10);
        Trailing(Range, 5, Range5);
        Trailing(Shadows, 10, Shadows10);
        Averages(CandleSetting.BodyLong, BodyLong);
        Averages(CandleSetting.BodyShort, BodyShort);
        Averages(CandleSetting.BodyDoji, BodyDoji);
        Averages(CandleSetting.ShadowVeryShort, ShadowVeryShort);
        Averages(CandleSetting.Near, Near);
    }

    /// <summary>Per-bar thresholds of the default settings (<see cref="Average"/> at every bar).</summary>
    public double[] BodyLong { get; }

    /// <inheritdoc cref="BodyLong"/>
    public double[] BodyShort { get; }

    /// <inheritdoc cref="BodyLong"/>
    public double[] BodyDoji { get; }

    /// <inheritdoc cref="BodyLong"/>
    public double[] ShadowVeryShort { get; }

    /// <inheritdoc cref="BodyLong"/>
    public double[] Near { get; }

    private void Averages(CandleSetting s, double[] a)
    {
        for (int i = 0; i < a.Length; i++) a[i] = Average(s, i);
    }

    public double[] Body { get; }

    public double[] Range { get; }

    public double[] Shadows { get; }

    /// <summary>Upper shadow: high − max(open, close).</summary>
    public double[] Upper { get; }

    /// <summary>Lower shadow: min(open, close) − low.</summary>
    public double[] Lower { get; }

    private double[] Body10 { get; }

    private double[] Range10 { get; }

    private double[] Range5 { get; }

    private double[] Shadows10 { get; }

    public static CandleParts Get(ReadOnlySpan<double> open, ReadOnlySpan<double> high, ReadOnlySpan<double> low, ReadOnlySpan<double> close)
    {
        int n = close.Length;
        if (_last is { } c && c.Key.Length == 4 * n && open.SequenceEqual(c.Key.AsSpan(0, n)) && high.SequenceEqual(c.Key.AsSpan(n, n))
            && low.SequenceEqual(c.Key.AsSpan(2 * n, n)) && close.SequenceEqual(c.Key.AsSpan(3 * n, n)))
        {
            return c.Parts;
        }

        bool reuse = _last is { } r && r.Key.Length == 4 * n;
        var key = reuse ? _last!.Value.Key : new double[4 * n];
        open.CopyTo(key);
        high.CopyTo(key.AsSpan(n));
        low.CopyTo(key.AsSpan(2 * n));
        close.CopyTo(key.AsSpan(3 * n));
        var parts = reuse ? _last!.Value.Parts : new CandleParts(n);
        parts.Fill(open, high, low, close);
        _last = (key, parts);
        return parts;
    }

    /// <summary>Factor × the average range of the candles before <paramref name="i"/> (or candle i's own range for period 0).</summary>
    public double Average(CandleSetting s, int i)
    {
        double a;
        if (s.AveragePeriod == 0)
        {
            a = s.Range switch { CandleRange.RealBody => Body[i], CandleRange.HighLow => Range[i], _ => Shadows[i] };
        }
        else
        {
            double[] sums = (s.Range, s.AveragePeriod) switch
            {
                (CandleRange.RealBody, 10) => Body10,
                (CandleRange.HighLow, 10) => Range10,
                (CandleRange.HighLow, 5) => Range5,
                (CandleRange.Shadows, 10) => Shadows10,
                _ => Trailing(s.Range switch { CandleRange.RealBody => Body, CandleRange.HighLow => Range, _ => Shadows }, s.AveragePeriod, new double[Body.Length]),
            };
            a = sums[i] / s.AveragePeriod;
        }

        return s.Factor * a / (s.Range == CandleRange.Shadows ? 2.0 : 1.0);
    }

    /// <summary>s[i] = Σ x[i − p .. i − 1] as TA-Lib's running period total (NaN where the window starts before 0).</summary>
    private static double[] Trailing(double[] x, int p, double[] s)
    {
        double total = 0;
        for (int i = 0; i < x.Length; i++)
        {
            if (i < p)
            {
                s[i] = double.NaN;
                total += x[i];
                continue;
            }

            s[i] = total;
            total += x[i] - x[i - p];
        }

        return s;
    }
}
