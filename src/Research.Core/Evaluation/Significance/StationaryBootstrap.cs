namespace Research.Core.Evaluation.Significance;

/// <summary>A statistic of a return series (e.g. an annualised Sharpe ratio).</summary>
public delegate double ReturnStatistic(ReadOnlySpan<double> returns);

/// <summary>A bootstrap percentile interval.</summary>
/// <param name="Estimate">The statistic on the original (NaN-free) series.</param>
/// <param name="Lower">The (1 - confidence)/2 percentile of the resampled statistics (NumPy linear interpolation).</param>
/// <param name="Upper">The (1 + confidence)/2 percentile.</param>
/// <param name="StandardError">Standard deviation (ddof = 1) of the resampled statistics.</param>
/// <param name="Resamples">Resamples drawn.</param>
/// <param name="ValidResamples">Resamples whose statistic was not NaN (the percentiles use these).</param>
/// <param name="Confidence">Coverage, e.g. 0.95.</param>
/// <param name="ExpectedBlockLength">Mean block length L of the stationary bootstrap.</param>
/// <param name="Seed">Seed of the generator; the same seed and inputs give the same interval.</param>
public sealed record BootstrapInterval(double Estimate, double Lower, double Upper, double StandardError, int Resamples,
    int ValidResamples, double Confidence, double ExpectedBlockLength, ulong Seed);

/// <summary>
/// The stationary bootstrap of Politis &amp; Romano (1994): resamples built from blocks that start at uniformly random
/// positions and have geometric lengths with mean L (a new block starts with probability 1/L at each step),
/// wrapping around the end of the series. It keeps the serial dependence of returns that an i.i.d. bootstrap
/// destroys.
/// </summary>
public static class StationaryBootstrap
{
    /// <summary>
    /// Indices of one resample of length <paramref name="n"/>: i₀ ~ U{0..n-1}; then with probability 1/L a fresh
    /// uniform index, otherwise (iₜ₋₁ + 1) mod n.
    /// </summary>
    public static int[] ResampleIndices(int n, double expectedBlockLength, SeededRandom random)
    {
        if (n < 1) throw new ArgumentOutOfRangeException(nameof(n), n, "The series is empty.");
        if (!(expectedBlockLength >= 1))
            throw new ArgumentOutOfRangeException(nameof(expectedBlockLength), expectedBlockLength,
                "The expected block length must be at least 1.");
        double p = 1 / expectedBlockLength;
        var idx = new int[n];
        idx[0] = random.NextInt(n);
        for (int t = 1; t < n; t++)
            idx[t] = random.NextDouble() < p ? random.NextInt(n) : (idx[t - 1] + 1) % n;
        return idx;
    }

    /// <summary>
    /// Percentile confidence interval of <paramref name="statistic"/> over <paramref name="resamples"/> stationary
    /// bootstrap resamples of the non-NaN <paramref name="returns"/>.
    /// </summary>
    public static BootstrapInterval ConfidenceInterval(ReadOnlySpan<double> returns, ReturnStatistic statistic,
        double expectedBlockLength, int resamples = 1000, double confidence = 0.95, ulong seed = 42)
    {
        if (resamples < 2) throw new ArgumentOutOfRangeException(nameof(resamples), resamples, "Need at least 2 resamples.");
        if (!(confidence > 0 && confidence < 1))
            throw new ArgumentOutOfRangeException(nameof(confidence), confidence, "Confidence must lie in (0, 1).");
        var data = NumPy.DropNaN(returns);
        if (data.Length == 0)
            return new BootstrapInterval(double.NaN, double.NaN, double.NaN, double.NaN, resamples, 0, confidence,
                expectedBlockLength, seed);
        var random = new SeededRandom(seed);
        var stats = new List<double>(resamples);
        var sample = new double[data.Length];
        for (int b = 0; b < resamples; b++)
        {
            var idx = ResampleIndices(data.Length, expectedBlockLength, random);
            for (int i = 0; i < idx.Length; i++) sample[i] = data[idx[i]];
            double s = statistic(sample);
            if (!double.IsNaN(s)) stats.Add(s);
        }

        var sorted = stats.ToArray();
        Array.Sort(sorted);
        double alpha = (1 - confidence) / 2;
        return new BootstrapInterval(statistic(data),
            NumPy.PercentileOfSorted(sorted, 100 * alpha), NumPy.PercentileOfSorted(sorted, 100 * (1 - alpha)),
            NumPy.NanStd(sorted, 1), resamples, sorted.Length, confidence, expectedBlockLength, seed);
    }

    /// <summary>Bootstrap interval of the annualised Sharpe ratio (<see cref="RatioMetrics.SharpeRatio"/>, rf = 0).</summary>
    public static BootstrapInterval SharpeConfidenceInterval(ReadOnlySpan<double> returns, double expectedBlockLength,
        int resamples = 1000, double confidence = 0.95, ulong seed = 42, int periods = ReturnMetrics.TradingDaysPerYear) =>
        ConfidenceInterval(returns, r => RatioMetrics.SharpeRatio(r, 0, periods), expectedBlockLength, resamples,
            confidence, seed);
}
