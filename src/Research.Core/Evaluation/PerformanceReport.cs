namespace Research.Core.Evaluation;

/// <summary>
/// The full metric set of one return series (and optionally a benchmark and backtester series), as computed by
/// <see cref="PerformanceMetrics"/>.Compute. Values are NaN where a metric is undefined for the data (see each
/// function's documentation) or where its input was not given.
/// </summary>
public sealed class PerformanceReport
{
    private readonly Dictionary<string, double> _values;

    internal PerformanceReport(Dictionary<string, double> values, DrawdownInfo maxDrawdown, MetricsOptions options,
        int? benchmarkObservations, string? benchmarkName)
    {
        _values = values;
        MaxDrawdownDetails = maxDrawdown;
        Options = options;
        BenchmarkObservations = benchmarkObservations;
        BenchmarkName = benchmarkName;
    }

    /// <summary>The value of metric <paramref name="key"/> (a key of <see cref="MetricCatalog.All"/>).</summary>
    public double this[string key] =>
        _values.TryGetValue(key, out double v) ? v : throw new KeyNotFoundException($"Unknown metric '{key}'.");

    /// <summary>Every metric in <see cref="MetricCatalog.All"/> order, keyed by its snake_case name.</summary>
    public IReadOnlyList<KeyValuePair<string, double>> Values =>
        [.. MetricCatalog.All.Select(m => new KeyValuePair<string, double>(m.Key, _values[m.Key]))];

    /// <summary>Peak, trough and recovery of the maximum drawdown.</summary>
    public DrawdownInfo MaxDrawdownDetails { get; }

    /// <summary>The conventions used.</summary>
    public MetricsOptions Options { get; }

    /// <summary>Number of returns the benchmark metrics used (after alignment); null without a benchmark.</summary>
    public int? BenchmarkObservations { get; }

    /// <summary>The benchmark's name; null without a benchmark.</summary>
    public string? BenchmarkName { get; }

    /// <summary>Number of returns.</summary>
    public int Observations => (int)_values["observations"];

    /// <summary>empyrical <c>annual_return</c>.</summary>
    public double AnnualReturn => _values["annual_return"];

    /// <summary>empyrical <c>cum_returns_final</c>.</summary>
    public double CumReturnsFinal => _values["cum_returns_final"];

    /// <summary>empyrical <c>annual_volatility</c>.</summary>
    public double AnnualVolatility => _values["annual_volatility"];

    /// <summary>empyrical <c>sharpe_ratio</c>.</summary>
    public double SharpeRatio => _values["sharpe_ratio"];

    /// <summary>empyrical <c>sortino_ratio</c>.</summary>
    public double SortinoRatio => _values["sortino_ratio"];

    /// <summary>empyrical <c>calmar_ratio</c>.</summary>
    public double CalmarRatio => _values["calmar_ratio"];

    /// <summary>empyrical <c>max_drawdown</c>.</summary>
    public double MaxDrawdown => _values["max_drawdown"];

    /// <summary>empyrical <c>value_at_risk</c> at the options' cutoff.</summary>
    public double ValueAtRisk => _values["value_at_risk"];

    /// <summary>empyrical <c>conditional_value_at_risk</c> at the options' cutoff.</summary>
    public double ConditionalValueAtRisk => _values["conditional_value_at_risk"];

    /// <summary>empyrical <c>alpha</c>; NaN without a benchmark.</summary>
    public double Alpha => _values["alpha"];

    /// <summary>empyrical <c>beta</c>; NaN without a benchmark.</summary>
    public double Beta => _values["beta"];

    /// <summary>Probabilistic Sharpe ratio against SR* = 0.</summary>
    public double ProbabilisticSharpeRatio => _values["probabilistic_sharpe_ratio"];
}
