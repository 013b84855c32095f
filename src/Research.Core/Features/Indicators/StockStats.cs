using System.Runtime.Intrinsics;

namespace Research.Core.Features.Indicators;

/// <summary>
/// FinRL's default indicators with stockstats' definitions (stockstats as of 2025, the version FinRL installs): pandas
/// adjusted exponential means from the first bar, rolling windows with <c>min_periods=1</c>, sample standard
/// deviation. They differ from TA-Lib's namesakes in seeding and warm-up; docs/features.md lists the differences.
/// </summary>
public static class StockStats
{
    /// <summary>pandas <c>ewm(alpha, adjust=True, min_periods=0).mean()</c> over a series without NaN.</summary>
    public static void AdjustedEwm(ReadOnlySpan<double> x, Span<double> output, double alpha)
    {
        Ta.SameLength(x.Length, output);
        if (x.Length == 0) return;
        double mean = x[0], oldWeight = 1, factor = 1 - alpha;
        output[0] = mean;
        for (int t = 1; t < x.Length; t++)
        {
            oldWeight *= factor;
            if (mean != x[t]) mean = (oldWeight * mean + x[t]) / (oldWeight + 1);
            oldWeight += 1;
            output[t] = mean;
        }
    }

    /// <summary>
    /// Two or three adjusted-EWM passes at once, one per lane of a vector (lane i: series i with its own weight); each
    /// lane performs the scalar pass's operations, so results are identical. The recursion is latency-bound, so the
    /// chains share one division per bar instead of taking one each. A third series is used when x3 has the length.
    /// </summary>
    internal static void AdjustedEwm(ReadOnlySpan<double> x1, Span<double> o1, double a1, ReadOnlySpan<double> x2, Span<double> o2, double a2,
        ReadOnlySpan<double> x3, Span<double> o3, double a3)
    {
        int n = x1.Length;
        if (n == 0) return;
        bool third = x3.Length == n;
        var mean = Vector256.Create(x1[0], x2[0], third ? x3[0] : 0, 0);
        var weight = Vector256<double>.One;
        var factor = Vector256.Create(1 - a1, 1 - a2, 1 - a3, 0);
        o1[0] = mean.GetElement(0);
        o2[0] = mean.GetElement(1);
        if (third) o3[0] = mean.GetElement(2);
        for (int t = 1; t < n; t++)
        {
            var x = Vector256.Create(x1[t], x2[t], third ? x3[t] : 0, 0);
            weight *= factor;
            var next = (weight * mean + x) / (weight + Vector256<double>.One);
            mean = Vector256.ConditionalSelect(Vector256.Equals(mean, x), mean, next);
            weight += Vector256<double>.One;
            o1[t] = mean.GetElement(0);
            o2[t] = mean.GetElement(1);
            if (third) o3[t] = mean.GetElement(2);
        }
    }

    /// <summary>stockstats <c>macd</c>: EMA(12) − EMA(26) of closes, both pandas span-EMAs from the first bar.</summary>
    public static void Macd(ReadOnlySpan<double> close, Span<double> output, int fast = 12, int slow = 26)
    {
        Ta.Period(fast, 1, nameof(fast), close.Length);
        Ta.Period(slow, 1, nameof(slow), close.Length);
        using var scratch = Scratch.Begin();
        var f = Scratch.Uninitialized(close.Length);
        AdjustedEwm(close, f, 2.0 / (fast + 1), close, output, 2.0 / (slow + 1), default, default, 0);
        for (int t = 0; t < close.Length; t++) output[t] = f[t] - output[t];
    }

    /// <summary>Rolling mean with <c>min_periods=1</c> (the first bars average what there is).</summary>
    public static void Sma(ReadOnlySpan<double> x, Span<double> output, int period)
    {
        Ta.Period(period, 1, nameof(period), x.Length);
        Ta.SameLength(x.Length, output);
        double s = 0;
        for (int t = 0; t < x.Length; t++)
        {
            s += x[t];
            if (t >= period) s -= x[t - period];
            output[t] = s / Math.Min(t + 1, period);
        }
    }

    /// <summary>
    /// One Bollinger band (the upper when <paramref name="upper"/>): both bands of the last series per thread are kept,
    /// keyed by its values, so <c>boll_lb</c> after <c>boll_ub</c> of the same closes copies instead of recomputing.
    /// </summary>
    internal static void BollingerBand(ReadOnlySpan<double> close, Span<double> output, int period, bool upper, double k = 2)
    {
        Ta.Period(period, 1, nameof(period), close.Length);
        Ta.SameLength(close.Length, output);
        var bands = BollingerCache.Get(close, period, k);
        (upper ? bands.Upper : bands.Lower).AsSpan(0, close.Length).CopyTo(output);
    }

    /// <summary>stockstats <c>boll_ub</c>/<c>boll_lb</c>: SMA(20) ± 2 sample standard deviations (ddof 1; NaN on the first bar).</summary>
    public static void Bollinger(ReadOnlySpan<double> close, Span<double> upper, Span<double> lower, int period = 20, double k = 2)
    {
        Ta.Period(period, 1, nameof(period), close.Length);
        Ta.SameLength(close.Length, upper, nameof(upper));
        Ta.SameLength(close.Length, lower, nameof(lower));
        if (close.Length == 0) return;
        // Running sums of deviations from the first close keep the cancellation small. The two sums are the only
        // recursion; the rest (means, variances, roots, bands) is per bar and goes four bars per vector.
        double origin = close[0];
        RunningDeviationSums(close, origin, period, upper, lower);
        BandsFromSums(upper, lower, origin, period, k);
    }

    /// <summary>s1[t], s2[t]: the sums of d and d² over the window ending at t (min_periods 1), d = close − origin.</summary>
    private static void RunningDeviationSums(ReadOnlySpan<double> close, double origin, int period, Span<double> s1Out, Span<double> s2Out)
    {
        double s1 = 0, s2 = 0;
        for (int t = 0; t < close.Length; t++)
        {
            double d = close[t] - origin;
            s1 += d;
            s2 += d * d;
            if (t >= period)
            {
                double old = close[t - period] - origin;
                s1 -= old;
                s2 -= old * old;
            }

            s1Out[t] = s1;
            s2Out[t] = s2;
        }
    }

    /// <summary>
    /// Turns the window sums (in upper and lower) into the bands in place: mean = s1/n, variance =
    /// max(0, (s2 − s1·mean)/(n − 1)) (NaN when n = 1), band = origin + mean ± k·√variance, n = min(t + 1, period).
    /// Full windows share n, so they go four at a time with the same operations as the scalar loop.
    /// </summary>
    private static void BandsFromSums(Span<double> upper, Span<double> lower, double origin, int period, double k)
    {
        int n = upper.Length, t = 0;
        for (; t < Math.Min(period - 1, n); t++) (upper[t], lower[t]) = Band(upper[t], lower[t], t + 1, origin, k);
        if (Vector256.IsHardwareAccelerated && period > 1)
        {
            var count = Vector256.Create((double)period);
            var dof = Vector256.Create((double)(period - 1));
            var o = Vector256.Create(origin);
            var kv = Vector256.Create(k);
            for (; t <= n - Vector256<double>.Count; t += Vector256<double>.Count)
            {
                var s1 = Vector256.Create((ReadOnlySpan<double>)upper[t..]);
                var s2 = Vector256.Create((ReadOnlySpan<double>)lower[t..]);
                var mean = s1 / count;
                var sd = Vector256.Sqrt(Vector256.Max(Vector256<double>.Zero, (s2 - s1 * mean) / dof));
                (o + mean + kv * sd).CopyTo(upper[t..]);
                (o + mean - kv * sd).CopyTo(lower[t..]);
            }
        }

        for (; t < n; t++) (upper[t], lower[t]) = Band(upper[t], lower[t], Math.Min(t + 1, period), origin, k);
    }

    /// <summary>One bar's bands from its window sums over <paramref name="count"/> bars.</summary>
    private static (double Upper, double Lower) Band(double s1, double s2, int count, double origin, double k)
    {
        double mean = s1 / count;
        double sd = count > 1 ? Math.Sqrt(Math.Max(0, (s2 - s1 * mean) / (count - 1))) : double.NaN;
        return (origin + mean + k * sd, origin + mean - k * sd);
    }

    /// <summary>stockstats <c>rsi_N</c>: Wilder-style means as pandas <c>ewm(alpha=1/N, adjust=True)</c> from the first bar; 50 on the first bar and when flat.</summary>
    public static void Rsi(ReadOnlySpan<double> close, Span<double> output, int period = 30)
    {
        Ta.Period(period, 1, nameof(period), close.Length);
        Ta.SameLength(close.Length, output);
        int n = close.Length;
        using var scratch = Scratch.Begin();
        var up = Scratch.Uninitialized(n);
        var down = Scratch.Uninitialized(n);
        up[0] = down[0] = 0;
        UpsDowns(close, up, down);

        var u = Scratch.Uninitialized(n);
        var v = Scratch.Uninitialized(n);
        AdjustedEwm(up, u, 1.0 / period, down, v, 1.0 / period, default, default, 0);
        for (int t = 0; t < n; t++)
        {
            double total = u[t] + v[t];
            output[t] = t == 0 || total == 0 ? 50.0 : 100 * (u[t] / total);
        }
    }

    /// <summary>stockstats <c>cci_N</c>: (TP − SMA(TP)) / (0.015 · mean absolute deviation); 0 for the first N − 1 bars, where the deviation is taken as 0.</summary>
    public static void Cci(ReadOnlySpan<double> high, ReadOnlySpan<double> low, ReadOnlySpan<double> close, Span<double> output, int period = 30)
    {
        Ta.Period(period, 1, nameof(period), close.Length);
        Ta.SameLength(close.Length, output);
        int n = close.Length;
        using var scratch = Scratch.Begin();
        var tp = Scratch.Uninitialized(n);
        TypicalPrices(high, low, close, tp);
        var sma = Scratch.Uninitialized(n);
        Sma(tp, sma, period);
        CciFromTypicalPrices(tp, sma, output, period);
    }

    /// <summary>CCI from the typical prices and their <see cref="Sma"/> (the part after the recursion, shared with the four-ticker path).</summary>
    internal static void CciFromTypicalPrices(ReadOnlySpan<double> tp, ReadOnlySpan<double> sma, Span<double> output, int period)
    {
        int n = tp.Length;
        using var scratch = Scratch.Begin();
        // The mean absolute deviation of every full window from its own mean, vectorised over windows.
        var mean = Scratch.Uninitialized(n);
        WindowSums.Sums(tp, period, mean);
        DivideFrom(mean, period - 1, period);
        var deviation = Scratch.Uninitialized(n);
        WindowSums.AbsDeviations(tp, mean, period, deviation);
        CciValues(tp, sma, deviation, period, output);
    }

    /// <summary>tp[t] = (close[t] + high[t] + low[t]) / 3, stockstats' typical price, four bars per vector.</summary>
    private static void TypicalPrices(ReadOnlySpan<double> high, ReadOnlySpan<double> low, ReadOnlySpan<double> close, Span<double> tp)
    {
        int n = close.Length, t = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var three = Vector256.Create(3.0);
            for (; t <= n - Vector256<double>.Count; t += Vector256<double>.Count)
            {
                ((Vector256.Create(close[t..]) + Vector256.Create(high[t..]) + Vector256.Create(low[t..])) / three).CopyTo(tp[t..]);
            }
        }

        for (; t < n; t++) tp[t] = (close[t] + high[t] + low[t]) / 3.0;
    }

    /// <summary>v[t] /= divisor for t ≥ <paramref name="from"/>, four values per vector (the same division per value).</summary>
    private static void DivideFrom(Span<double> v, int from, double divisor)
    {
        int t = from;
        if (Vector256.IsHardwareAccelerated)
        {
            var d = Vector256.Create(divisor);
            for (; t <= v.Length - Vector256<double>.Count; t += Vector256<double>.Count) (Vector256.Create((ReadOnlySpan<double>)v[t..]) / d).CopyTo(v[t..]);
        }

        for (; t < v.Length; t++) v[t] /= divisor;
    }

    /// <summary>
    /// CCI from its parts: mad = deviation/period (0 before the first full window), (tp − sma)/(0.015·mad), 0 where
    /// that divisor is 0. Elementwise, so four bars per vector perform the scalar expression's operations.
    /// </summary>
    private static void CciValues(ReadOnlySpan<double> tp, ReadOnlySpan<double> sma, ReadOnlySpan<double> deviation, int period, Span<double> output)
    {
        int n = tp.Length, full = period - 1, t = 0;
        for (; t < Math.Min(full, n); t++) output[t] = 0.0; // mad 0: the divisor is 0
        if (Vector256.IsHardwareAccelerated)
        {
            var p = Vector256.Create((double)period);
            var scale = Vector256.Create(0.015);
            var zero = Vector256<double>.Zero;
            for (; t <= n - Vector256<double>.Count; t += Vector256<double>.Count)
            {
                var divisor = scale * (Vector256.Create(deviation[t..]) / p);
                var value = (Vector256.Create(tp[t..]) - Vector256.Create(sma[t..])) / divisor;
                Vector256.ConditionalSelect(Vector256.Equals(divisor, zero), zero, value).CopyTo(output[t..]);
            }
        }

        for (; t < n; t++)
        {
            double divisor = 0.015 * (deviation[t] / period);
            output[t] = divisor != 0 ? (tp[t] - sma[t]) / divisor : 0.0;
        }
    }

    /// <summary>stockstats <c>dx_N</c>: 100·|+DI − −DI|/(+DI + −DI) with +DM, −DM and true range each smoothed by pandas <c>ewm(alpha=1/N, adjust=True)</c>.</summary>
    public static void Dx(ReadOnlySpan<double> high, ReadOnlySpan<double> low, ReadOnlySpan<double> close, Span<double> output, int period = 30)
    {
        Ta.Period(period, 1, nameof(period), close.Length);
        Ta.SameLength(close.Length, output);
        int n = close.Length;
        using var scratch = Scratch.Begin();
        var pdm = Scratch.Uninitialized(n);
        var ndm = Scratch.Uninitialized(n);
        var tr = Scratch.Uninitialized(n);
        // TA-Lib's one-bar moves and true range are stockstats' (up to how the same maximum is written: with the
        // previous close inside [low, high] both give high − low, outside it the distance from the far end).
        pdm[0] = ndm[0] = 0;
        BarChanges.DirectionalMovement(high, low, pdm, ndm);
        BarChanges.TrueRange(high, low, close, tr);
        tr[0] = Math.Max(high[0], close[0]) - Math.Min(low[0], close[0]);

        var p = Scratch.Uninitialized(n);
        var m = Scratch.Uninitialized(n);
        var a = Scratch.Uninitialized(n);
        if (period > 1)
        {
            AdjustedEwm(pdm, p, 1.0 / period, ndm, m, 1.0 / period, tr, a, 1.0 / period);
        }
        else
        {
            pdm.CopyTo(p, 0);
            ndm.CopyTo(m, 0);
            AdjustedEwm(tr, a, 1.0 / period);
        }
        for (int t = 0; t < n; t++)
        {
            double pdi = p[t] / a[t] * 100, ndi = m[t] / a[t] * 100;
            double divisor = pdi + ndi;
            output[t] = divisor != 0 ? Math.Abs(pdi - ndi) / divisor * 100 : 0.0;
        }
    }

    /// <summary>up[t] = d when d &gt; 0, down[t] = −d when d &lt; 0 (else 0), d = x[t] − x[t−1]: stockstats' <c>closepm</c>/<c>closenm</c>.</summary>
    private static void UpsDowns(ReadOnlySpan<double> x, Span<double> up, Span<double> down)
    {
        int n = x.Length, t = 1;
        if (Vector256.IsHardwareAccelerated)
        {
            var zero = Vector256<double>.Zero;
            for (; t <= n - Vector256<double>.Count; t += Vector256<double>.Count)
            {
                var d = Vector256.Create(x[t..]) - Vector256.Create(x[(t - 1)..]);
                Vector256.ConditionalSelect(Vector256.GreaterThan(d, zero), d, zero).CopyTo(up[t..]);
                Vector256.ConditionalSelect(Vector256.LessThan(d, zero), -d, zero).CopyTo(down[t..]);
            }
        }

        for (; t < n; t++)
        {
            double d = x[t] - x[t - 1];
            up[t] = d > 0 ? d : 0;
            down[t] = d < 0 ? -d : 0;
        }
    }

    /// <summary>Both Bollinger bands of the last closes per thread, keyed by their values, the period and k.</summary>
    private sealed class BollingerCache
    {
        [ThreadStatic] private static BollingerCache? _last;

        private BollingerCache(int n)
        {
            Key = new double[n];
            Upper = new double[n];
            Lower = new double[n];
        }

        public double[] Key { get; }

        public double[] Upper { get; }

        public double[] Lower { get; }

        public int Length { get; private set; }

        public int Period { get; private set; }

        public double K { get; private set; }

        public static BollingerCache Get(ReadOnlySpan<double> close, int period, double k)
        {
            int n = close.Length;
            var c = _last;
            if (c is not null && c.Length == n && c.Period == period && c.K.Equals(k) && close.SequenceEqual(c.Key.AsSpan(0, n))) return c;
            if (c is null || c.Key.Length < n) c = new BollingerCache(n);
            c.Length = -1; // not valid until computed (an exception leaves it invalid)
            close.CopyTo(c.Key);
            c.Period = period;
            c.K = k;
            Bollinger(close, c.Upper.AsSpan(0, n), c.Lower.AsSpan(0, n), period, k);
            c.Length = n;
            _last = c;
            return c;
        }
    }
}
