namespace Research.Core.Evaluation;

/// <summary>
/// Risk-adjusted return ratios with empyrical 0.5.5's exact definitions. <c>periods</c> is the annualisation factor
/// (252 for daily data); <c>riskFree</c> and <c>requiredReturn</c> are per-period rates, as empyrical's.
/// </summary>
public static class RatioMetrics
{
    /// <summary>
    /// empyrical <c>sharpe_ratio</c>: <c>nanmean(r - rf) / nanstd(r - rf, ddof=1) · √periods</c>. NaN for fewer than
    /// two entries; with zero deviation the IEEE quotient (±∞, or NaN when the mean is also 0), as NumPy gives.
    /// </summary>
    public static double SharpeRatio(ReadOnlySpan<double> returns, double riskFree = 0,
        int periods = ReturnMetrics.TradingDaysPerYear)
    {
        if (returns.Length < 2) return double.NaN;
        var adjusted = Adjust(returns, riskFree);
        return NumPy.NanMean(adjusted) / NumPy.NanStd(adjusted, 1) * Math.Sqrt(periods);
    }

    /// <summary>
    /// empyrical <c>downside_risk</c>: <c>√(nanmean(min(r - required, 0)²)) · √periods</c>, the root-mean-square of
    /// the shortfalls over all (non-NaN) periods, zeros included. NaN for an empty series.
    /// </summary>
    public static double DownsideRisk(ReadOnlySpan<double> returns, double requiredReturn = 0,
        int periods = ReturnMetrics.TradingDaysPerYear)
    {
        if (returns.IsEmpty) return double.NaN;
        double sum = 0;
        int n = 0;
        foreach (double r in returns)
        {
            if (double.IsNaN(r)) continue;
            double d = Math.Min(r - requiredReturn, 0);
            sum += d * d;
            n++;
        }

        return n == 0 ? double.NaN : Math.Sqrt(sum / n) * Math.Sqrt(periods);
    }

    /// <summary>
    /// empyrical <c>sortino_ratio</c>: <c>nanmean(r - required) · periods / downside_risk(r, required, periods)</c>.
    /// NaN for fewer than two entries; +∞ when nothing fell below <paramref name="requiredReturn"/> and the mean
    /// excess is positive (NaN when it is 0).
    /// </summary>
    public static double SortinoRatio(ReadOnlySpan<double> returns, double requiredReturn = 0,
        int periods = ReturnMetrics.TradingDaysPerYear)
    {
        if (returns.Length < 2) return double.NaN;
        double averageAnnual = NumPy.NanMean(Adjust(returns, requiredReturn)) * periods;
        return averageAnnual / DownsideRisk(returns, requiredReturn, periods);
    }

    /// <summary>
    /// empyrical <c>calmar_ratio</c>: <c>annual_return / |max_drawdown|</c> when the maximum drawdown is negative,
    /// otherwise NaN; an infinite quotient is also reported as NaN.
    /// </summary>
    public static double CalmarRatio(ReadOnlySpan<double> returns, int periods = ReturnMetrics.TradingDaysPerYear)
    {
        double maxDd = Drawdown.MaxDrawdown(returns);
        if (!(maxDd < 0)) return double.NaN;
        double ratio = ReturnMetrics.AnnualReturn(returns, periods) / Math.Abs(maxDd);
        return double.IsInfinity(ratio) ? double.NaN : ratio;
    }

    /// <summary>
    /// empyrical <c>omega_ratio</c>: with threshold τ = (1 + requiredReturn)^(1/annualization) - 1 (τ =
    /// requiredReturn when <paramref name="annualization"/> is 1) and x = r - rf - τ, the ratio Σ x⁺ / Σ x⁻ (NaN
    /// values fall out of both sums). NaN for fewer than two entries, for requiredReturn ≤ -1, or when there is no
    /// shortfall.
    /// </summary>
    public static double OmegaRatio(ReadOnlySpan<double> returns, double riskFree = 0, double requiredReturn = 0,
        int annualization = ReturnMetrics.TradingDaysPerYear)
    {
        if (returns.Length < 2) return double.NaN;
        double threshold;
        if (annualization == 1) threshold = requiredReturn;
        else if (requiredReturn <= -1) return double.NaN;
        else threshold = Math.Pow(1 + requiredReturn, 1.0 / annualization) - 1;

        double numerator = 0, denominator = 0;
        foreach (double r in returns)
        {
            double x = r - riskFree - threshold;
            if (x > 0) numerator += x;
            else if (x < 0) denominator -= x;
        }

        return denominator > 0 ? numerator / denominator : double.NaN;
    }

    /// <summary>
    /// empyrical <c>tail_ratio</c>: <c>|percentile(r, 95)| / |percentile(r, 5)|</c> over the non-NaN values, NumPy's
    /// linear interpolation. NaN when there are no values; ±∞/NaN by IEEE division when the 5th percentile is 0.
    /// </summary>
    public static double TailRatio(ReadOnlySpan<double> returns)
    {
        var valid = NumPy.DropNaN(returns);
        if (valid.Length < 1) return double.NaN;
        Array.Sort(valid);
        return Math.Abs(NumPy.PercentileOfSorted(valid, 95)) / Math.Abs(NumPy.PercentileOfSorted(valid, 5));
    }

    internal static double[] Adjust(ReadOnlySpan<double> returns, double by)
    {
        var result = new double[returns.Length];
        for (int i = 0; i < returns.Length; i++) result[i] = returns[i] - by;
        return result;
    }
}
