using System.Globalization;

namespace Research.Core.Evaluation;

/// <summary>How a metric's value is shown.</summary>
public enum MetricFormat
{
    /// <summary>A fraction shown as a percentage (0.1234 → 12.34%).</summary>
    Percent,

    /// <summary>A plain ratio with four decimals.</summary>
    Ratio,

    /// <summary>A whole number (counts, periods).</summary>
    Count,
}

/// <summary>One metric: its snake_case key (the JSON name), a readable label and its display format.</summary>
/// <param name="Key">snake_case key, as empyrical/pyfolio name it where they have it.</param>
/// <param name="Label">Label for tables.</param>
/// <param name="Format">Display format.</param>
/// <param name="NeedsBenchmark">True for metrics relative to a benchmark.</param>
public sealed record MetricInfo(string Key, string Label, MetricFormat Format, bool NeedsBenchmark = false);

/// <summary>The metrics a <see cref="PerformanceReport"/> carries, in report order, and how to show them.</summary>
public static class MetricCatalog
{
    /// <summary>Every numeric metric, in report order.</summary>
    public static IReadOnlyList<MetricInfo> All { get; } =
    [
        new("observations", "Observations", MetricFormat.Count),
        new("annual_return", "Annual return", MetricFormat.Percent),
        new("cum_returns_final", "Cumulative return", MetricFormat.Percent),
        new("annual_volatility", "Annual volatility", MetricFormat.Percent),
        new("sharpe_ratio", "Sharpe ratio", MetricFormat.Ratio),
        new("sortino_ratio", "Sortino ratio", MetricFormat.Ratio),
        new("calmar_ratio", "Calmar ratio", MetricFormat.Ratio),
        new("max_drawdown", "Max drawdown", MetricFormat.Percent),
        new("max_drawdown_duration", "Max drawdown duration (periods)", MetricFormat.Count),
        new("max_drawdown_recovery_periods", "Max drawdown recovery (periods)", MetricFormat.Count),
        new("omega_ratio", "Omega ratio", MetricFormat.Ratio),
        new("tail_ratio", "Tail ratio", MetricFormat.Ratio),
        new("stability_of_timeseries", "Stability", MetricFormat.Ratio),
        new("downside_risk", "Downside risk", MetricFormat.Percent),
        new("value_at_risk", "Daily value at risk (5%)", MetricFormat.Percent),
        new("conditional_value_at_risk", "Daily expected shortfall (5%)", MetricFormat.Percent),
        new("parametric_value_at_risk", "Gaussian VaR (5%)", MetricFormat.Percent),
        new("parametric_expected_shortfall", "Gaussian ES (5%)", MetricFormat.Percent),
        new("cornish_fisher_value_at_risk", "Cornish-Fisher VaR (5%)", MetricFormat.Percent),
        new("skew", "Skew", MetricFormat.Ratio),
        new("kurtosis", "Kurtosis (excess)", MetricFormat.Ratio),
        new("best_day", "Best day", MetricFormat.Percent),
        new("worst_day", "Worst day", MetricFormat.Percent),
        new("win_rate", "Win rate", MetricFormat.Percent),
        new("profit_factor", "Profit factor", MetricFormat.Ratio),
        new("avg_win_loss_ratio", "Avg win / avg loss", MetricFormat.Ratio),
        new("probabilistic_sharpe_ratio", "Probabilistic Sharpe (SR* = 0)", MetricFormat.Percent),
        new("deflated_sharpe_ratio", "Deflated Sharpe (for the trials)", MetricFormat.Percent),
        new("trials", "Trials (configurations tried)", MetricFormat.Count),
        new("sharpe_standard_error", "Sharpe standard error", MetricFormat.Ratio),
        new("alpha", "Alpha (annual)", MetricFormat.Percent, true),
        new("beta", "Beta", MetricFormat.Ratio, true),
        new("information_ratio", "Information ratio", MetricFormat.Ratio, true),
        new("excess_sharpe", "Excess Sharpe (per period)", MetricFormat.Ratio, true),
        new("tracking_error", "Tracking error", MetricFormat.Percent, true),
        new("avg_daily_turnover", "Avg turnover per period", MetricFormat.Percent),
        new("annual_turnover", "Annual turnover", MetricFormat.Percent),
        new("avg_exposure", "Avg exposure", MetricFormat.Percent),
        new("max_exposure", "Max exposure", MetricFormat.Percent),
        new("time_in_market", "Time in market", MetricFormat.Percent),
    ];

    /// <summary>The metrics shown by default in comparison tables.</summary>
    public static IReadOnlyList<string> Headline { get; } =
    [
        "annual_return", "cum_returns_final", "annual_volatility", "sharpe_ratio", "sortino_ratio", "calmar_ratio",
        "max_drawdown", "value_at_risk", "conditional_value_at_risk", "stability_of_timeseries", "alpha", "beta",
        "information_ratio", "probabilistic_sharpe_ratio", "deflated_sharpe_ratio", "trials",
    ];

    private static readonly Dictionary<string, MetricInfo> ByKey = All.ToDictionary(m => m.Key);

    /// <summary>The metric named <paramref name="key"/>; throws <see cref="ArgumentException"/> for an unknown key.</summary>
    public static MetricInfo Get(string key) =>
        ByKey.TryGetValue(key, out var m)
            ? m
            : throw new ArgumentException($"Unknown metric '{key}'. Known: {string.Join(", ", ByKey.Keys)}.", nameof(key));

    /// <summary>
    /// The value as text: percentages with two decimals, ratios with four, counts whole; NaN as "—", ±∞ as "∞"/"-∞".
    /// </summary>
    public static string FormatValue(MetricInfo metric, double value)
    {
        if (double.IsNaN(value)) return "—";
        if (double.IsPositiveInfinity(value)) return "∞";
        if (double.IsNegativeInfinity(value)) return "-∞";
        return metric.Format switch
        {
            MetricFormat.Percent => (value * 100).ToString("0.00", CultureInfo.InvariantCulture) + "%",
            MetricFormat.Count => value.ToString("0", CultureInfo.InvariantCulture),
            _ => value.ToString("0.0000", CultureInfo.InvariantCulture),
        };
    }
}
