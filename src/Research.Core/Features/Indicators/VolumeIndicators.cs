namespace Research.Core.Features.Indicators;

/// <summary>Volume indicators with TA-Lib's definitions (OBV, AD, ADOSC).</summary>
public static class VolumeIndicators
{
    /// <summary>On-balance volume (TA_OBV): starts at the first bar's volume, adds volume on up closes, subtracts on down closes.</summary>
    public static void Obv(ReadOnlySpan<double> close, ReadOnlySpan<double> volume, Span<double> output)
    {
        Ta.SameLength(close.Length, output);
        if (close.Length == 0) return;

        // The signed volumes first (a vectorised pass without branches), then their running total: adding −v is
        // subtracting v, and adding 0 leaves the total as it is.
        BarChanges.SignedVolume(close, volume, output);
        double obv = volume[0];
        output[0] = obv;
        for (int t = 1; t < close.Length; t++)
        {
            obv += output[t];
            output[t] = obv;
        }
    }

    /// <summary>Chaikin accumulation/distribution line (TA_AD): Σ ((C − L) − (H − C))/(H − L) · V, bars without range adding nothing.</summary>
    public static void Ad(ReadOnlySpan<double> high, ReadOnlySpan<double> low, ReadOnlySpan<double> close, ReadOnlySpan<double> volume, Span<double> output)
    {
        Ta.SameLength(close.Length, output);
        double ad = 0;
        for (int t = 0; t < close.Length; t++)
        {
            ad = NextAd(ad, high[t], low[t], close[t], volume[t]);
            output[t] = ad;
        }
    }

    private static double NextAd(double ad, double h, double l, double c, double v)
    {
        double range = h - l;
        return range > 0 ? ad + ((c - l) - (h - c)) / range * v : ad;
    }

    /// <summary>Lookback of <see cref="Adosc"/>: the slower EMA's.</summary>
    public static int AdoscLookback(int fast = 3, int slow = 10) => Math.Max(fast, slow) - 1;

    /// <summary>Chaikin A/D oscillator (TA_ADOSC): EMA(fast) − EMA(slow) of the A/D line, both EMAs seeded with the first A/D value.</summary>
    public static void Adosc(ReadOnlySpan<double> high, ReadOnlySpan<double> low, ReadOnlySpan<double> close, ReadOnlySpan<double> volume,
        Span<double> output, int fast = 3, int slow = 10)
    {
        Ta.Period(fast, 2, nameof(fast), close.Length);
        Ta.Period(slow, 2, nameof(slow), close.Length);
        Ta.SameLength(close.Length, output);
        int lookback = AdoscLookback(fast, slow);
        if (!Ta.WarmUp(output, lookback)) return;
        double kf = Ta.K(fast), ks = Ta.K(slow);
        double ad = NextAd(0, high[0], low[0], close[0], volume[0]);
        double ef = ad, es = ad;
        for (int t = 1; t < close.Length; t++)
        {
            ad = NextAd(ad, high[t], low[t], close[t], volume[t]);
            ef = kf * ad + (1 - kf) * ef;
            es = ks * ad + (1 - ks) * es;
            if (t >= lookback) output[t] = ef - es;
        }
    }
}
