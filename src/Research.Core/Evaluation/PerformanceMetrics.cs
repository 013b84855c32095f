using Research.Core.Evaluation.Significance;

namespace Research.Core.Evaluation;

/// <summary>Computes the full metric set of a run: the entry point for pipelines, the CLI and reports.</summary>
public static class PerformanceMetrics
{
    /// <summary>
    /// All metrics of <paramref name="returns"/> (simple per-period returns, NaN allowed and treated per metric as
    /// empyrical does). The benchmark, turnover and exposure series, when given, must be aligned with the returns
    /// position by position (use <see cref="ReturnSeries.InnerJoin"/> or <see cref="ReturnSeries.Reindex"/>);
    /// <paramref name="dates"/>, when given, date the drawdown. The deflated Sharpe ratio deflates for
    /// <paramref name="trials"/> configurations tried whose per-period Sharpe ratios vary with
    /// <paramref name="trialSharpeVariance"/> (one trial: no deflation, the probabilistic Sharpe against 0).
    /// </summary>
    public static PerformanceReport Compute(ReadOnlySpan<double> returns, ReadOnlySpan<double> benchmark = default,
        MetricsOptions? options = null, ReadOnlySpan<DateOnly> dates = default, ReadOnlySpan<double> turnover = default,
        ReadOnlySpan<double> exposure = default, string? benchmarkName = null, int trials = 1, double trialSharpeVariance = 0)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(trials, 1);
        options ??= MetricsOptions.Default;
        options.Validate();
        bool hasBenchmark = !benchmark.IsEmpty || benchmarkName is not null;
        if (hasBenchmark) BenchmarkMetrics.CheckAligned(returns, benchmark);
        int p = options.Periods;
        var drawdown = Drawdown.Details(returns, dates);
        var valid = NumPy.DropNaN(returns);
        var v = new Dictionary<string, double>
        {
            ["observations"] = returns.Length,
            ["annual_return"] = ReturnMetrics.AnnualReturn(returns, p),
            ["cum_returns_final"] = ReturnMetrics.CumReturnsFinal(returns),
            ["annual_volatility"] = ReturnMetrics.AnnualVolatility(returns, p),
            ["sharpe_ratio"] = RatioMetrics.SharpeRatio(returns, options.RiskFree, p),
            ["sortino_ratio"] = RatioMetrics.SortinoRatio(returns, options.RequiredReturn, p),
            ["calmar_ratio"] = RatioMetrics.CalmarRatio(returns, p),
            ["max_drawdown"] = drawdown.MaxDrawdown,
            ["max_drawdown_duration"] = drawdown.TroughIndex < 0 ? double.NaN : drawdown.DurationPeriods(returns.Length),
            ["max_drawdown_recovery_periods"] = drawdown.RecoveryPeriods ?? double.NaN,
            ["omega_ratio"] = RatioMetrics.OmegaRatio(returns, options.RiskFree, 0, p),
            ["tail_ratio"] = RatioMetrics.TailRatio(returns),
            ["stability_of_timeseries"] = ReturnMetrics.StabilityOfTimeseries(returns),
            ["downside_risk"] = RatioMetrics.DownsideRisk(returns, options.RequiredReturn, p),
            ["value_at_risk"] = RiskMetrics.ValueAtRisk(returns, options.Cutoff),
            ["conditional_value_at_risk"] = RiskMetrics.ConditionalValueAtRisk(returns, options.Cutoff),
            ["parametric_value_at_risk"] = RiskMetrics.ParametricValueAtRisk(returns, options.Cutoff),
            ["parametric_expected_shortfall"] = RiskMetrics.ParametricExpectedShortfall(returns, options.Cutoff),
            ["cornish_fisher_value_at_risk"] = RiskMetrics.CornishFisherValueAtRisk(returns, options.Cutoff),
            ["skew"] = ReturnMetrics.Skew(returns),
            ["kurtosis"] = ReturnMetrics.Kurtosis(returns),
            ["best_day"] = ReturnMetrics.BestDay(returns),
            ["worst_day"] = ReturnMetrics.WorstDay(returns),
            ["win_rate"] = ReturnMetrics.WinRate(returns),
            ["profit_factor"] = ReturnMetrics.ProfitFactor(returns),
            ["avg_win_loss_ratio"] = ReturnMetrics.AvgWinLossRatio(returns),
            ["probabilistic_sharpe_ratio"] = SharpeSignificance.ProbabilisticSharpeRatio(valid),
            ["deflated_sharpe_ratio"] = SharpeSignificance.DeflatedSharpeRatio(valid, trials, trialSharpeVariance),
            ["trials"] = trials,
            ["sharpe_standard_error"] = valid.Length < 2
                ? double.NaN
                : SharpeSignificance.ConfidenceInterval(valid, 0.95, SharpeErrorModel.SkewKurtosisAdjusted, p).StandardError,
            ["alpha"] = double.NaN,
            ["beta"] = double.NaN,
            ["information_ratio"] = double.NaN,
            ["excess_sharpe"] = double.NaN,
            ["tracking_error"] = double.NaN,
            ["avg_daily_turnover"] = turnover.IsEmpty ? double.NaN : TradingMetrics.AverageTurnover(turnover),
            ["annual_turnover"] = turnover.IsEmpty ? double.NaN : TradingMetrics.AnnualTurnover(turnover, p),
            ["avg_exposure"] = exposure.IsEmpty ? double.NaN : TradingMetrics.AverageExposure(exposure),
            ["max_exposure"] = exposure.IsEmpty ? double.NaN : TradingMetrics.MaxExposure(exposure),
            ["time_in_market"] = exposure.IsEmpty ? double.NaN : TradingMetrics.TimeInMarket(exposure),
        };

        if (hasBenchmark)
        {
            var (alpha, beta) = BenchmarkMetrics.AlphaBeta(returns, benchmark, options.RiskFree, p);
            v["alpha"] = alpha;
            v["beta"] = beta;
            v["information_ratio"] = BenchmarkMetrics.InformationRatio(returns, benchmark, p);
            v["excess_sharpe"] = BenchmarkMetrics.ExcessSharpe(returns, benchmark);
            v["tracking_error"] = BenchmarkMetrics.TrackingError(returns, benchmark, p);
        }

        return new PerformanceReport(v, drawdown, options, hasBenchmark ? benchmark.Length : null,
            hasBenchmark ? benchmarkName ?? "benchmark" : null);
    }

    /// <summary>
    /// All metrics of a dated strategy series, with the benchmark (if any) inner-joined on date first: the
    /// benchmark metrics use only the common dates (their count is <see cref="PerformanceReport.BenchmarkObservations"/>),
    /// the others the whole strategy series.
    /// </summary>
    public static PerformanceReport Compute(ReturnSeries returns, ReturnSeries? benchmark, MetricsOptions? options = null)
    {
        var full = Compute(returns.Values, default, options, returns.Dates);
        if (benchmark is null) return full;
        var (left, right) = ReturnSeries.InnerJoin(returns, benchmark);
        var relative = Compute(left.Values, right.Values, options, left.Dates, benchmarkName: benchmark.Name);
        var merged = new Dictionary<string, double>();
        foreach (var (key, value) in full.Values) merged[key] = value;
        foreach (var m in MetricCatalog.All.Where(m => m.NeedsBenchmark)) merged[m.Key] = relative[m.Key];
        return new PerformanceReport(merged, full.MaxDrawdownDetails, full.Options, left.Count, benchmark.Name);
    }
}
