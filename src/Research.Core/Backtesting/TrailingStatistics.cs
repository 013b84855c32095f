namespace Research.Core.Backtesting;

/// <summary>
/// The cost model's and the ADV limit's inputs for a fill on bar t: σ of bar returns and average volume over the
/// window of bars before it (bars [max(1, t − window), t), nothing of the fill bar itself), by rolling sums. The engine
/// and the serving pre-trade check both take them from here.
/// </summary>
public static class TrailingStatistics
{
    /// <summary>
    /// Writes σ and ADV for bars 0 … <paramref name="sigma"/>.Length − 1 of one ticker's <paramref name="close"/> and
    /// <paramref name="volume"/>; the outputs may be one longer than the series, the extra value being for the bar after
    /// the last (what its fill would see). NaN where fewer than two returns (σ) or no volume (ADV) are in the window.
    /// </summary>
    public static void Compute(ReadOnlySpan<double> close, ReadOnlySpan<double> volume, int window, Span<double> sigma, Span<double> adv)
    {
        int n = close.Length, length = sigma.Length;
        if (volume.Length != n) throw new ArgumentException($"volume has {volume.Length} bars; close has {n}.", nameof(volume));
        if (adv.Length != length || length > n + 1) throw new ArgumentException($"sigma and adv need the same length, at most {n + 1}; got {length} and {adv.Length}.", nameof(adv));
        double s = 0, s2 = 0, v = 0;
        int m = 0, mv = 0;
        for (int t = 0; t < length; t++)
        {
            sigma[t] = m > 1 ? Math.Sqrt(Math.Max(0, (s2 - s * s / m) / (m - 1))) : double.NaN;
            adv[t] = mv > 0 ? v / mv : double.NaN;
            if (t >= 1 && t < n) Add(t, 1, close, volume);
            if (t - window >= 1) Add(t - window, -1, close, volume);
        }

        void Add(int i, int sign, ReadOnlySpan<double> c, ReadOnlySpan<double> vol)
        {
            double a = c[i - 1], b = c[i];
            if (a > 0 && b > 0)
            {
                double r = b / a - 1;
                s += sign * r;
                s2 += sign * r * r;
                m += sign;
            }

            if (vol[i] >= 0)
            {
                v += sign * vol[i];
                mv += sign;
            }
        }
    }
}
