namespace Research.Core.Evaluation;

/// <summary>
/// Statistics of a strategy against a benchmark (empyrical's "factor returns"). Both series must already be aligned
/// position by position (same length; see <see cref="ReturnSeries.InnerJoin"/>); a length mismatch is a caller error
/// and throws <see cref="ArgumentException"/>. Data edge cases give NaN, never an exception.
/// </summary>
public static class BenchmarkMetrics
{
    /// <summary>
    /// empyrical <c>beta</c> (0.5.5 <c>beta_aligned</c>): Cov(r, b) / Var(b) with both moments over n (not n-1),
    /// the benchmark masked where the strategy return is NaN and NaN products skipped. NaN for an empty strategy,
    /// a benchmark shorter than two, or a benchmark variance below 1e-30. (empyrical 0.5.5 ignores the risk-free
    /// rate here; a constant rate does not change the covariance.)
    /// </summary>
    public static double Beta(ReadOnlySpan<double> returns, ReadOnlySpan<double> benchmark)
    {
        CheckAligned(returns, benchmark);
        if (returns.Length < 1 || benchmark.Length < 2) return double.NaN;
        var independent = new double[returns.Length];
        for (int i = 0; i < returns.Length; i++) independent[i] = double.IsNaN(returns[i]) ? double.NaN : benchmark[i];
        double indMean = NumPy.NanMean(independent);
        double cov = 0, var = 0;
        int nCov = 0, nVar = 0;
        for (int i = 0; i < independent.Length; i++)
        {
            double residual = independent[i] - indMean;
            if (double.IsNaN(residual)) continue;
            var += residual * residual;
            nVar++;
            double product = residual * returns[i];
            if (double.IsNaN(product)) continue;
            cov += product;
            nCov++;
        }

        double covariance = nCov == 0 ? double.NaN : cov / nCov;
        double variance = nVar == 0 ? double.NaN : var / nVar;
        if (!(variance >= 1.0e-30)) return double.NaN;
        return covariance / variance;
    }

    /// <summary>
    /// empyrical <c>alpha</c>: the annualised mean residual return,
    /// <c>(1 + nanmean((r - rf) - β·(b - rf)))^periods - 1</c> with β from <see cref="Beta"/> (compounded, not
    /// multiplied, as empyrical does). NaN for fewer than two entries or a NaN beta.
    /// </summary>
    public static double Alpha(ReadOnlySpan<double> returns, ReadOnlySpan<double> benchmark, double riskFree = 0,
        int periods = ReturnMetrics.TradingDaysPerYear) =>
        AlphaBeta(returns, benchmark, riskFree, periods).Alpha;

    /// <summary>empyrical <c>alpha_beta</c>: <see cref="Alpha"/> and <see cref="Beta"/> together.</summary>
    public static (double Alpha, double Beta) AlphaBeta(ReadOnlySpan<double> returns, ReadOnlySpan<double> benchmark,
        double riskFree = 0, int periods = ReturnMetrics.TradingDaysPerYear)
    {
        double beta = Beta(returns, benchmark);
        if (returns.Length < 2) return (double.NaN, beta);
        double sum = 0;
        int n = 0;
        for (int i = 0; i < returns.Length; i++)
        {
            double residual = returns[i] - riskFree - beta * (benchmark[i] - riskFree);
            if (double.IsNaN(residual)) continue;
            sum += residual;
            n++;
        }

        double mean = n == 0 ? double.NaN : sum / n;
        return (Math.Pow(mean + 1, periods) - 1, beta);
    }

    /// <summary>
    /// empyrical <c>excess_sharpe</c> (the per-period information ratio): <c>nanmean(r - b) / nanstd(r - b, ddof=1)</c>,
    /// with a NaN deviation read as 0 (<c>np.nan_to_num</c>). NaN for fewer than two entries.
    /// </summary>
    public static double ExcessSharpe(ReadOnlySpan<double> returns, ReadOnlySpan<double> benchmark)
    {
        CheckAligned(returns, benchmark);
        if (returns.Length < 2) return double.NaN;
        var active = Active(returns, benchmark);
        double te = NumPy.NanStd(active, 1);
        if (double.IsNaN(te)) te = 0;
        return NumPy.NanMean(active) / te;
    }

    /// <summary>
    /// Annualised information ratio: <see cref="ExcessSharpe"/> · √periods, i.e. mean active return over tracking
    /// error, both annualised (the same ratio QuantConnect and most reports quote). NaN for fewer than two entries.
    /// </summary>
    public static double InformationRatio(ReadOnlySpan<double> returns, ReadOnlySpan<double> benchmark,
        int periods = ReturnMetrics.TradingDaysPerYear) =>
        ExcessSharpe(returns, benchmark) * Math.Sqrt(periods);

    /// <summary>
    /// Annualised tracking error: <c>nanstd(r - b, ddof=1) · √periods</c>. NaN for fewer than two entries.
    /// </summary>
    public static double TrackingError(ReadOnlySpan<double> returns, ReadOnlySpan<double> benchmark,
        int periods = ReturnMetrics.TradingDaysPerYear)
    {
        CheckAligned(returns, benchmark);
        if (returns.Length < 2) return double.NaN;
        return NumPy.NanStd(Active(returns, benchmark), 1) * Math.Sqrt(periods);
    }

    private static double[] Active(ReadOnlySpan<double> returns, ReadOnlySpan<double> benchmark)
    {
        var active = new double[returns.Length];
        for (int i = 0; i < returns.Length; i++) active[i] = returns[i] - benchmark[i];
        return active;
    }

    internal static void CheckAligned(ReadOnlySpan<double> returns, ReadOnlySpan<double> benchmark)
    {
        if (returns.Length != benchmark.Length)
        {
            throw new ArgumentException(
                $"The benchmark has {benchmark.Length} values for {returns.Length} returns; align them by date first.",
                nameof(benchmark));
        }
    }
}
