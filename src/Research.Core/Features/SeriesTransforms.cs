namespace Research.Core.Features;

/// <summary>Per-series transforms used as features: log returns, rolling volatility and rolling z-scores. Causal: the value at t uses inputs up to t.</summary>
public static class SeriesTransforms
{
    /// <summary>ln(x[t] / x[t − 1]); NaN on the first value and where either price is missing or non-positive.</summary>
    public static void LogReturns(ReadOnlySpan<double> x, Span<double> output)
    {
        if (output.Length != x.Length) throw new ArgumentException($"output has {output.Length} values; the input has {x.Length}.", nameof(output));
        if (x.Length == 0) return;
        output[0] = double.NaN;
        for (int t = 1; t < x.Length; t++) output[t] = x[t] > 0 && x[t - 1] > 0 ? Math.Log(x[t] / x[t - 1]) : double.NaN;
    }

    /// <summary>Sample standard deviation (ddof 1) of the last <paramref name="window"/> values, × √<paramref name="annualization"/>; NaN until the window is full of finite values.</summary>
    public static void RollingVolatility(ReadOnlySpan<double> x, Span<double> output, int window, double annualization = 252)
    {
        Rolling(x, output, window, (mean, sd, _) => sd * Math.Sqrt(annualization));
    }

    /// <summary>(x[t] − mean) / sd over the last <paramref name="window"/> values (ddof 1); NaN until the window is full or when sd is 0.</summary>
    public static void RollingZScore(ReadOnlySpan<double> x, Span<double> output, int window)
    {
        Rolling(x, output, window, (mean, sd, last) => sd > 0 ? (last - mean) / sd : double.NaN);
    }

    private static void Rolling(ReadOnlySpan<double> x, Span<double> output, int window, Func<double, double, double, double> f)
    {
        if (window < 2) throw new ArgumentOutOfRangeException(nameof(window), window, "window must be at least 2.");
        if (window > x.Length) throw new ArgumentException($"window = {window} is longer than the series ({x.Length} values).", nameof(window));
        if (output.Length != x.Length) throw new ArgumentException($"output has {output.Length} values; the input has {x.Length}.", nameof(output));
        for (int t = 0; t < x.Length; t++)
        {
            if (t < window - 1)
            {
                output[t] = double.NaN;
                continue;
            }

            double mean = 0;
            bool finite = true;
            for (int j = t - window + 1; j <= t; j++)
            {
                finite &= double.IsFinite(x[j]);
                mean += x[j];
            }

            if (!finite)
            {
                output[t] = double.NaN;
                continue;
            }

            mean /= window;
            double ss = 0;
            for (int j = t - window + 1; j <= t; j++) ss += (x[j] - mean) * (x[j] - mean);
            output[t] = f(mean, Math.Sqrt(ss / (window - 1)), x[t]);
        }
    }
}
