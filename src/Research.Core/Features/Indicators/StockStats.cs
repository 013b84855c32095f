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

    /// <summary>Two or three adjusted-EWM passes interleaved (independent chains overlap; identical results).</summary>
    internal static void AdjustedEwm(ReadOnlySpan<double> x1, Span<double> o1, double a1, ReadOnlySpan<double> x2, Span<double> o2, double a2,
        ReadOnlySpan<double> x3, Span<double> o3, double a3)
    {
        int n = x1.Length;
        if (n == 0) return;
        bool third = x3.Length == n;
        double m1 = x1[0], m2 = x2[0], m3 = third ? x3[0] : 0, w1 = 1, w2 = 1, w3 = 1, f1 = 1 - a1, f2 = 1 - a2, f3 = 1 - a3;
        o1[0] = m1;
        o2[0] = m2;
        if (third) o3[0] = m3;
        for (int t = 1; t < n; t++)
        {
            w1 *= f1;
            w2 *= f2;
            if (m1 != x1[t]) m1 = (w1 * m1 + x1[t]) / (w1 + 1);
            if (m2 != x2[t]) m2 = (w2 * m2 + x2[t]) / (w2 + 1);
            w1 += 1;
            w2 += 1;
            o1[t] = m1;
            o2[t] = m2;
            if (third)
            {
                w3 *= f3;
                if (m3 != x3[t]) m3 = (w3 * m3 + x3[t]) / (w3 + 1);
                w3 += 1;
                o3[t] = m3;
            }
        }
    }

    /// <summary>stockstats <c>macd</c>: EMA(12) − EMA(26) of closes, both pandas span-EMAs from the first bar.</summary>
    public static void Macd(ReadOnlySpan<double> close, Span<double> output, int fast = 12, int slow = 26)
    {
        Ta.Period(fast, 1, nameof(fast), close.Length);
        Ta.Period(slow, 1, nameof(slow), close.Length);
        using var scratch = Scratch.Begin();
        var f = Scratch.Doubles(close.Length);
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

    /// <summary>stockstats <c>boll_ub</c>/<c>boll_lb</c>: SMA(20) ± 2 sample standard deviations (ddof 1; NaN on the first bar).</summary>
    public static void Bollinger(ReadOnlySpan<double> close, Span<double> upper, Span<double> lower, int period = 20, double k = 2)
    {
        Ta.Period(period, 1, nameof(period), close.Length);
        Ta.SameLength(close.Length, upper, nameof(upper));
        Ta.SameLength(close.Length, lower, nameof(lower));
        // Running sums of deviations from the first close keep the cancellation small.
        double origin = close.Length > 0 ? close[0] : 0, s1 = 0, s2 = 0;
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

            int n = Math.Min(t + 1, period);
            double mean = s1 / n;
            double variance = n > 1 ? Math.Max(0, (s2 - s1 * mean) / (n - 1)) : double.NaN;
            double sd = Math.Sqrt(variance);
            upper[t] = origin + mean + k * sd;
            lower[t] = origin + mean - k * sd;
        }
    }

    /// <summary>stockstats <c>rsi_N</c>: Wilder-style means as pandas <c>ewm(alpha=1/N, adjust=True)</c> from the first bar; 50 on the first bar and when flat.</summary>
    public static void Rsi(ReadOnlySpan<double> close, Span<double> output, int period = 30)
    {
        Ta.Period(period, 1, nameof(period), close.Length);
        Ta.SameLength(close.Length, output);
        int n = close.Length;
        using var scratch = Scratch.Begin();
        var up = Scratch.Doubles(n);
        var down = Scratch.Doubles(n);
        for (int t = 1; t < n; t++)
        {
            double d = close[t] - close[t - 1];
            up[t] = d > 0 ? d : 0;
            down[t] = d < 0 ? -d : 0;
        }

        var u = Scratch.Doubles(n);
        var v = Scratch.Doubles(n);
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
        var tp = Scratch.Doubles(n);
        for (int t = 0; t < n; t++) tp[t] = (close[t] + high[t] + low[t]) / 3.0;
        var sma = Scratch.Doubles(n);
        Sma(tp, sma, period);
        for (int t = 0; t < n; t++)
        {
            double mad = 0;
            if (t >= period - 1)
            {
                var window = tp.AsSpan(t - period + 1, period);
                double mean = 0;
                foreach (var v in window) mean += v;
                mean /= period;
                mad = Ta.SumAbsDeviation(window, mean) / period;
            }

            double divisor = 0.015 * mad;
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
        var pdm = Scratch.Doubles(n);
        var ndm = Scratch.Doubles(n);
        var tr = Scratch.Doubles(n);
        for (int t = 0; t < n; t++)
        {
            double hd = t == 0 ? 0 : high[t] - high[t - 1];
            double ld = t == 0 ? 0 : -(low[t] - low[t - 1]);
            pdm[t] = hd > 0 && hd > ld ? hd : 0;
            ndm[t] = ld > 0 && ld > hd ? ld : 0;
            double prevClose = t == 0 ? close[0] : close[t - 1];
            tr[t] = Math.Max(high[t] - low[t], Math.Max(Math.Abs(high[t] - prevClose), Math.Abs(low[t] - prevClose)));
        }

        var p = Scratch.Doubles(n);
        var m = Scratch.Doubles(n);
        var a = Scratch.Doubles(n);
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
}
