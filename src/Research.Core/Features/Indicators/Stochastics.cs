namespace Research.Core.Features.Indicators;

/// <summary>Stochastic oscillators with TA-Lib's definitions (STOCH, STOCHF, STOCHRSI).</summary>
public static class Stochastics
{
    /// <summary>Lookback of <see cref="Stoch"/>.</summary>
    public static int StochLookback(int fastK = 5, int slowK = 3, MaType slowKType = MaType.Sma, int slowD = 3, MaType slowDType = MaType.Sma) =>
        fastK - 1 + MovingAverages.MaLookback(slowK, slowKType) + MovingAverages.MaLookback(slowD, slowDType);

    /// <summary>Slow stochastic (TA_STOCH): fast %K = 100·(close − lowest)/(highest − lowest) (0 without range), smoothed into slow %K and slow %D.</summary>
    public static void Stoch(ReadOnlySpan<double> high, ReadOnlySpan<double> low, ReadOnlySpan<double> close, Span<double> slowKOut, Span<double> slowDOut,
        int fastK = 5, int slowK = 3, MaType slowKType = MaType.Sma, int slowD = 3, MaType slowDType = MaType.Sma)
    {
        Ta.Period(fastK, 1, nameof(fastK), close.Length);
        Ta.Period(slowK, 1, nameof(slowK), close.Length);
        Ta.Period(slowD, 1, nameof(slowD), close.Length);
        Ta.SameLength(close.Length, slowKOut, nameof(slowKOut));
        Ta.SameLength(close.Length, slowDOut, nameof(slowDOut));
        int n = close.Length;
        using var scratch = Scratch.Begin();
        var k = Scratch.Uninitialized(n);
        FastK(high, low, close, k, fastK);
        var sk = Scratch.Uninitialized(n);
        Smooth(k, sk, fastK - 1, slowK, slowKType);
        var sd = Scratch.Uninitialized(n);
        Smooth(sk, sd, fastK - 1 + MovingAverages.MaLookback(slowK, slowKType), slowD, slowDType);
        int lookback = StochLookback(fastK, slowK, slowKType, slowD, slowDType);
        Ta.WarmUp(slowKOut, lookback);
        Ta.WarmUp(slowDOut, lookback);
        for (int t = lookback; t < n; t++)
        {
            slowKOut[t] = sk[t];
            slowDOut[t] = sd[t];
        }
    }

    /// <summary>Lookback of <see cref="StochF"/>.</summary>
    public static int StochFLookback(int fastK = 5, int fastD = 3, MaType fastDType = MaType.Sma) =>
        fastK - 1 + MovingAverages.MaLookback(fastD, fastDType);

    /// <summary>Fast stochastic (TA_STOCHF): fast %K and its moving average %D.</summary>
    public static void StochF(ReadOnlySpan<double> high, ReadOnlySpan<double> low, ReadOnlySpan<double> close, Span<double> fastKOut, Span<double> fastDOut,
        int fastK = 5, int fastD = 3, MaType fastDType = MaType.Sma)
    {
        Ta.Period(fastK, 1, nameof(fastK), close.Length);
        Ta.Period(fastD, 1, nameof(fastD), close.Length);
        Ta.SameLength(close.Length, fastKOut, nameof(fastKOut));
        Ta.SameLength(close.Length, fastDOut, nameof(fastDOut));
        int n = close.Length;
        using var scratch = Scratch.Begin();
        var k = Scratch.Uninitialized(n);
        FastK(high, low, close, k, fastK);
        var d = Scratch.Uninitialized(n);
        Smooth(k, d, fastK - 1, fastD, fastDType);
        int lookback = StochFLookback(fastK, fastD, fastDType);
        Ta.WarmUp(fastKOut, lookback);
        Ta.WarmUp(fastDOut, lookback);
        for (int t = lookback; t < n; t++)
        {
            fastKOut[t] = k[t];
            fastDOut[t] = d[t];
        }
    }

    /// <summary>Lookback of <see cref="StochRsi"/>: RSI's plus STOCHF's.</summary>
    public static int StochRsiLookback(int period = 14, int fastK = 5, int fastD = 3, MaType fastDType = MaType.Sma) =>
        Momentum.RsiLookback(period) + StochFLookback(fastK, fastD, fastDType);

    /// <summary>Stochastic RSI (TA_STOCHRSI): the fast stochastic of RSI(<paramref name="period"/>).</summary>
    public static void StochRsi(ReadOnlySpan<double> input, Span<double> fastKOut, Span<double> fastDOut,
        int period = 14, int fastK = 5, int fastD = 3, MaType fastDType = MaType.Sma)
    {
        Ta.Period(period, 2, nameof(period), input.Length);
        Ta.Period(fastK, 1, nameof(fastK), input.Length);
        Ta.Period(fastD, 1, nameof(fastD), input.Length);
        Ta.SameLength(input.Length, fastKOut, nameof(fastKOut));
        Ta.SameLength(input.Length, fastDOut, nameof(fastDOut));
        int n = input.Length, lookback = StochRsiLookback(period, fastK, fastD, fastDType);
        Ta.WarmUp(fastKOut, lookback);
        Ta.WarmUp(fastDOut, lookback);
        if (lookback >= n) return;
        using var scratch = Scratch.Begin();
        var rsi = Scratch.Doubles(n);
        Momentum.Rsi(input, rsi, period);
        var r = rsi.AsSpan(period);
        var k = Scratch.Doubles(r.Length);
        var d = Scratch.Doubles(r.Length);
        StochF(r, r, r, k, d, fastK, fastD, fastDType);
        for (int t = lookback; t < n; t++)
        {
            fastKOut[t] = k[t - period];
            fastDOut[t] = d[t - period];
        }
    }

    private static void FastK(ReadOnlySpan<double> high, ReadOnlySpan<double> low, ReadOnlySpan<double> close, Span<double> k, int period)
    {
        Ta.WarmUp(k, period - 1);
        using var scratch = Scratch.Begin();
        var hi = Scratch.Uninitialized(close.Length);
        var lo = Scratch.Uninitialized(close.Length);
        Window.Max(high, period, hi);
        Window.Min(low, period, lo);
        for (int t = period - 1; t < close.Length; t++)
        {
            double diff = (hi[t] - lo[t]) / 100.0;
            k[t] = diff != 0 ? (close[t] - lo[t]) / diff : 0;
        }
    }

    /// <summary>A moving average of a series whose first valid value is at <paramref name="first"/>.</summary>
    private static void Smooth(double[] x, double[] output, int first, int period, MaType type)
    {
        Array.Fill(output, double.NaN);
        if (first >= x.Length) return;
        if (period == 1)
        {
            Array.Copy(x, first, output, first, x.Length - first);
            return;
        }

        if (x.Length - first < period) return;
        MovingAverages.Ma(x.AsSpan(first), output.AsSpan(first), period, type);
    }
}
