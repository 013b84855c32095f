using MathNet.Numerics.Distributions;

namespace Research.Core.Evaluation;

/// <summary>
/// Tail-risk measures of one-period returns. All are returns at the cutoff (a loss is negative), like empyrical's
/// <c>value_at_risk</c>; <c>cutoff</c> is the tail probability (0.05 = the worst 5 %).
/// </summary>
public static class RiskMetrics
{
    /// <summary>empyrical's default tail probability for VaR and CVaR.</summary>
    public const double DefaultCutoff = 0.05;

    /// <summary>
    /// empyrical <c>value_at_risk</c>: historical VaR, <c>np.percentile(returns, 100·cutoff)</c> with linear
    /// interpolation. Like <c>np.percentile</c> it is NaN when any value is NaN (or there are none).
    /// </summary>
    public static double ValueAtRisk(ReadOnlySpan<double> returns, double cutoff = DefaultCutoff) =>
        NumPy.Percentile(returns, 100 * cutoff);

    /// <summary>
    /// empyrical <c>conditional_value_at_risk</c> (historical expected shortfall): with k = ⌊(n - 1)·cutoff⌋, the
    /// mean of the k + 1 smallest returns (no interpolation). NaN values sort last, as in <c>np.partition</c>, so
    /// the result is NaN only when one falls among those k + 1; NaN for an empty series.
    /// </summary>
    public static double ConditionalValueAtRisk(ReadOnlySpan<double> returns, double cutoff = DefaultCutoff)
    {
        if (returns.IsEmpty) return double.NaN;
        int k = (int)((returns.Length - 1) * cutoff);
        var sorted = returns.ToArray();
        Array.Sort(sorted, static (a, b) => (double.IsNaN(a), double.IsNaN(b)) switch
        {
            (true, true) => 0,
            (true, false) => 1,
            (false, true) => -1,
            _ => a.CompareTo(b),
        });
        double sum = 0;
        for (int i = 0; i <= k; i++) sum += sorted[i];
        return sum / (k + 1);
    }

    /// <summary>
    /// Gaussian (parametric) VaR: <c>μ + σ·Φ⁻¹(cutoff)</c> with μ the mean and σ the ddof=1 standard deviation of
    /// the non-NaN returns. NaN with fewer than two values.
    /// </summary>
    public static double ParametricValueAtRisk(ReadOnlySpan<double> returns, double cutoff = DefaultCutoff)
    {
        var (mu, sigma) = Moments(returns);
        return mu + sigma * Normal.InvCDF(0, 1, cutoff);
    }

    /// <summary>
    /// Gaussian expected shortfall: <c>μ - σ·φ(Φ⁻¹(cutoff)) / cutoff</c>, the mean return below the Gaussian VaR
    /// (same μ and σ as <see cref="ParametricValueAtRisk"/>).
    /// </summary>
    public static double ParametricExpectedShortfall(ReadOnlySpan<double> returns, double cutoff = DefaultCutoff)
    {
        var (mu, sigma) = Moments(returns);
        double z = Normal.InvCDF(0, 1, cutoff);
        return mu - sigma * Normal.PDF(0, 1, z) / cutoff;
    }

    /// <summary>
    /// Cornish–Fisher (modified) VaR: <c>μ + σ·z_cf</c> with z = Φ⁻¹(cutoff), S the skew and K the excess
    /// kurtosis (SciPy defaults, bias=True) of the non-NaN returns and
    /// <c>z_cf = z + (z² - 1)S/6 + (z³ - 3z)K/24 - (2z³ - 5z)S²/36</c>.
    /// </summary>
    public static double CornishFisherValueAtRisk(ReadOnlySpan<double> returns, double cutoff = DefaultCutoff)
    {
        var valid = NumPy.DropNaN(returns);
        var (mu, sigma) = Moments(valid);
        double s = NumPy.Skew(valid), k = NumPy.Kurtosis(valid);
        double z = Normal.InvCDF(0, 1, cutoff);
        double zcf = z + (z * z - 1) * s / 6 + (z * z * z - 3 * z) * k / 24 - (2 * z * z * z - 5 * z) * s * s / 36;
        return mu + sigma * zcf;
    }

    private static (double Mu, double Sigma) Moments(ReadOnlySpan<double> returns)
    {
        if (NumPy.CountValid(returns) < 2) return (double.NaN, double.NaN);
        return (NumPy.NanMean(returns), NumPy.NanStd(returns, 1));
    }
}
