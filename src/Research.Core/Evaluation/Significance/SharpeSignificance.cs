using MathNet.Numerics.Distributions;

namespace Research.Core.Evaluation.Significance;

/// <summary>Which asymptotic variance of the estimated Sharpe ratio to use.</summary>
public enum SharpeErrorModel
{
    /// <summary>Lo (2002), i.i.d. normal returns: Var(SR̂) = (1 + SR²/2) / T.</summary>
    IidNormal,

    /// <summary>
    /// Mertens (2002) / Opdyke (2007), i.i.d. returns of any distribution:
    /// Var(SR̂) = (1 - γ₃·SR + (γ₄ - 1)/4·SR²) / T with γ₃ the skewness and γ₄ the (non-excess) kurtosis.
    /// </summary>
    SkewKurtosisAdjusted,
}

/// <summary>A Sharpe ratio with its standard error and a two-sided normal confidence interval.</summary>
/// <param name="Sharpe">The estimate (annualised when built by <see cref="SharpeSignificance.ConfidenceInterval"/>).</param>
/// <param name="StandardError">Its standard error in the same units.</param>
/// <param name="Lower">Lower bound: Sharpe - z·SE.</param>
/// <param name="Upper">Upper bound: Sharpe + z·SE.</param>
/// <param name="Confidence">Coverage, e.g. 0.95.</param>
/// <param name="Model">The variance formula used.</param>
public sealed record SharpeInterval(double Sharpe, double StandardError, double Lower, double Upper, double Confidence,
    SharpeErrorModel Model);

/// <summary>
/// Is a Sharpe ratio better than luck? The probabilistic and deflated Sharpe ratios of Bailey &amp; López de Prado and
/// the asymptotic standard errors of Lo and Mertens. Every Sharpe ratio here is per period (not annualised) unless a
/// member says otherwise: mean / standard deviation (ddof = 1) of the non-NaN returns. Skewness and kurtosis are
/// SciPy's defaults (bias = True).
/// </summary>
public static class SharpeSignificance
{
    /// <summary>The Euler–Mascheroni constant γ.</summary>
    public const double EulerMascheroni = 0.5772156649015329;

    /// <summary>Per-period Sharpe ratio of the non-NaN values: mean / std (ddof = 1).</summary>
    public static double PerPeriodSharpe(ReadOnlySpan<double> returns)
    {
        var valid = NumPy.DropNaN(returns);
        return NumPy.NanMean(valid) / NumPy.NanStd(valid, 1);
    }

    /// <summary>
    /// Probabilistic Sharpe ratio (Bailey &amp; López de Prado 2012), the probability that the true Sharpe ratio
    /// exceeds <paramref name="benchmarkSharpe"/>:
    /// <c>Φ((SR - SR*)·√(T - 1) / √(1 - γ₃·SR + (γ₄ - 1)/4·SR²))</c>, with γ₄ = excess kurtosis + 3.
    /// NaN when T &lt; 2 or any input is NaN, or when the variance term is not positive.
    /// </summary>
    /// <param name="sharpe">Estimated per-period Sharpe ratio.</param>
    /// <param name="observations">T, the number of returns it was estimated from.</param>
    /// <param name="skew">Skewness γ₃ of the returns.</param>
    /// <param name="excessKurtosis">Excess kurtosis γ₄ - 3 of the returns (0 for a normal).</param>
    /// <param name="benchmarkSharpe">SR*, per period.</param>
    public static double ProbabilisticSharpeRatio(double sharpe, int observations, double skew, double excessKurtosis,
        double benchmarkSharpe = 0)
    {
        if (observations < 2) return double.NaN;
        double variance = 1 - skew * sharpe + (excessKurtosis + 2) / 4 * sharpe * sharpe;
        if (!(variance > 0)) return double.NaN;
        double z = (sharpe - benchmarkSharpe) * Math.Sqrt(observations - 1) / Math.Sqrt(variance);
        return double.IsNaN(z) ? double.NaN : Normal.CDF(0, 1, z);
    }

    /// <summary>
    /// <see cref="ProbabilisticSharpeRatio(double,int,double,double,double)"/> with the Sharpe ratio, skewness and
    /// kurtosis estimated from the non-NaN <paramref name="returns"/>.
    /// </summary>
    public static double ProbabilisticSharpeRatio(ReadOnlySpan<double> returns, double benchmarkSharpe = 0)
    {
        var valid = NumPy.DropNaN(returns);
        return ProbabilisticSharpeRatio(PerPeriodSharpe(valid), valid.Length, NumPy.Skew(valid), NumPy.Kurtosis(valid),
            benchmarkSharpe);
    }

    /// <summary>
    /// Expected maximum Sharpe ratio of <paramref name="trials"/> independent trials whose true Sharpe is 0
    /// (Bailey &amp; López de Prado 2014, from the false strategy theorem):
    /// <c>SR₀ = √V · ((1 - γ)·Φ⁻¹(1 - 1/N) + γ·Φ⁻¹(1 - 1/(N·e)))</c>, γ the Euler–Mascheroni constant. 0 for a single
    /// trial (no selection); NaN for a negative or NaN variance.
    /// </summary>
    /// <param name="trials">N, the number of independent trials tried.</param>
    /// <param name="trialSharpeVariance">V, the variance of the trials' per-period Sharpe ratios.</param>
    public static double ExpectedMaximumSharpe(int trials, double trialSharpeVariance)
    {
        if (trials < 1) throw new ArgumentOutOfRangeException(nameof(trials), trials, "At least one trial is needed.");
        if (!(trialSharpeVariance >= 0)) return double.NaN;
        if (trials == 1) return 0;
        double n = trials;
        return Math.Sqrt(trialSharpeVariance) * ((1 - EulerMascheroni) * Normal.InvCDF(0, 1, 1 - 1 / n)
                                                 + EulerMascheroni * Normal.InvCDF(0, 1, 1 - 1 / (n * Math.E)));
    }

    /// <summary>
    /// Deflated Sharpe ratio (Bailey &amp; López de Prado 2014): the probabilistic Sharpe ratio of
    /// <paramref name="returns"/> against the expected maximum Sharpe of <paramref name="trials"/> trials,
    /// <c>DSR = PSR(SR₀)</c>.
    /// </summary>
    public static double DeflatedSharpeRatio(ReadOnlySpan<double> returns, int trials, double trialSharpeVariance) =>
        ProbabilisticSharpeRatio(returns, ExpectedMaximumSharpe(trials, trialSharpeVariance));

    /// <summary>
    /// Deflated Sharpe ratio with N and V taken from the per-period Sharpe ratios of all trials tried
    /// (<paramref name="trialSharpes"/>, including the selected one): N = count, V = sample variance (ddof = 1).
    /// </summary>
    public static double DeflatedSharpeRatio(ReadOnlySpan<double> returns, ReadOnlySpan<double> trialSharpes)
    {
        if (trialSharpes.IsEmpty) throw new ArgumentException("No trial Sharpe ratios were given.", nameof(trialSharpes));
        double variance = trialSharpes.Length < 2 ? 0 : Math.Pow(NumPy.NanStd(trialSharpes, 1), 2);
        return DeflatedSharpeRatio(returns, trialSharpes.Length, variance);
    }

    /// <summary>
    /// Asymptotic standard error of a per-period Sharpe ratio estimated from <paramref name="observations"/> returns:
    /// Lo (2002) <c>√((1 + SR²/2) / T)</c>, or Mertens (2002) <c>√((1 - γ₃·SR + (γ₄ - 1)/4·SR²) / T)</c>.
    /// NaN when T &lt; 1 or the variance term is not positive.
    /// </summary>
    public static double StandardError(double sharpe, int observations, SharpeErrorModel model, double skew = 0,
        double excessKurtosis = 0)
    {
        if (observations < 1) return double.NaN;
        double v = model == SharpeErrorModel.IidNormal
            ? 1 + sharpe * sharpe / 2
            : 1 - skew * sharpe + (excessKurtosis + 2) / 4 * sharpe * sharpe;
        return v > 0 ? Math.Sqrt(v / observations) : double.NaN;
    }

    /// <summary>
    /// The annualised Sharpe ratio of the non-NaN <paramref name="returns"/> with a normal confidence interval:
    /// per-period SR and SE from <see cref="StandardError"/>, both scaled by √periods (Lo's i.i.d. annualisation),
    /// bounds SR ± Φ⁻¹((1 + confidence)/2)·SE. The estimate equals <see cref="RatioMetrics.SharpeRatio"/> with rf = 0.
    /// </summary>
    public static SharpeInterval ConfidenceInterval(ReadOnlySpan<double> returns, double confidence = 0.95,
        SharpeErrorModel model = SharpeErrorModel.SkewKurtosisAdjusted, int periods = ReturnMetrics.TradingDaysPerYear)
    {
        if (!(confidence > 0 && confidence < 1))
            throw new ArgumentOutOfRangeException(nameof(confidence), confidence, "Confidence must lie in (0, 1).");
        var valid = NumPy.DropNaN(returns);
        double sr = PerPeriodSharpe(valid);
        double se = StandardError(sr, valid.Length, model, NumPy.Skew(valid), NumPy.Kurtosis(valid));
        double scale = Math.Sqrt(periods);
        double z = Normal.InvCDF(0, 1, (1 + confidence) / 2);
        return new SharpeInterval(sr * scale, se * scale, (sr - z * se) * scale, (sr + z * se) * scale, confidence, model);
    }
}
