using Research.Core.Evaluation;

namespace Research.Core.Tests.Evaluation;

/// <summary>Every empyrical-defined metric against values printed by empyrical 0.5.5 itself (see ReferenceSeries).</summary>
public class EmpyricalParityTests
{
    public static TheoryData<string> Cases => ["S1", "golden300", "golden300-nan"];

    private static (double[] R, double[] B, Dictionary<string, double> Expected) Load(string name)
    {
        switch (name)
        {
            case "S1":
                return (ReferenceSeries.S1, ReferenceSeries.B1, ReferenceSeries.S1Expected);
            case "golden300":
                return (ReferenceSeries.Strategy(300), ReferenceSeries.Benchmark(300), ReferenceSeries.Golden300);
            default:
                var r = ReferenceSeries.Strategy(300);
                var b = ReferenceSeries.Benchmark(300);
                r[3] = r[50] = r[120] = double.NaN;
                b[7] = b[50] = double.NaN;
                return (r, b, ReferenceSeries.Golden300WithNaN);
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Matches_empyrical(string name)
    {
        var (r, b, e) = Load(name);
        Near.Equal(e["cum_returns_final"], ReturnMetrics.CumReturnsFinal(r), what: "cum_returns_final");
        Near.Equal(e["annual_return"], ReturnMetrics.AnnualReturn(r), what: "annual_return");
        Near.Equal(e["annual_volatility"], ReturnMetrics.AnnualVolatility(r), what: "annual_volatility");
        Near.Equal(e["sharpe_ratio"], RatioMetrics.SharpeRatio(r), what: "sharpe_ratio");
        Near.Equal(e["sharpe_ratio_rf"], RatioMetrics.SharpeRatio(r, 0.0001), what: "sharpe_ratio_rf");
        Near.Equal(e["sortino_ratio"], RatioMetrics.SortinoRatio(r), what: "sortino_ratio");
        Near.Equal(e["sortino_ratio_req"], RatioMetrics.SortinoRatio(r, 0.001), what: "sortino_ratio_req");
        Near.Equal(e["downside_risk"], RatioMetrics.DownsideRisk(r), what: "downside_risk");
        Near.Equal(e["calmar_ratio"], RatioMetrics.CalmarRatio(r), what: "calmar_ratio");
        Near.Equal(e["max_drawdown"], Drawdown.MaxDrawdown(r), what: "max_drawdown");
        Near.Equal(e["omega_ratio"], RatioMetrics.OmegaRatio(r), what: "omega_ratio");
        Near.Equal(e["omega_ratio_rf_req"], RatioMetrics.OmegaRatio(r, 0.0001, 0.05), what: "omega_ratio_rf_req");
        Near.Equal(e["tail_ratio"], RatioMetrics.TailRatio(r), what: "tail_ratio");
        Near.Equal(e["stability_of_timeseries"], ReturnMetrics.StabilityOfTimeseries(r), what: "stability");
        Near.Equal(e["value_at_risk"], RiskMetrics.ValueAtRisk(r), what: "value_at_risk");
        Near.Equal(e["value_at_risk_01"], RiskMetrics.ValueAtRisk(r, 0.01), what: "value_at_risk_01");
        Near.Equal(e["conditional_value_at_risk"], RiskMetrics.ConditionalValueAtRisk(r), what: "cvar");
        Near.Equal(e["skew"], ReturnMetrics.Skew(r), what: "skew");
        Near.Equal(e["kurtosis"], ReturnMetrics.Kurtosis(r), what: "kurtosis");
        var (alpha, beta) = BenchmarkMetrics.AlphaBeta(r, b);
        Near.Equal(e["alpha"], alpha, what: "alpha");
        Near.Equal(e["beta"], beta, what: "beta");
        Near.Equal(e["alpha_rf"], BenchmarkMetrics.Alpha(r, b, 0.0001), what: "alpha_rf");
        Near.Equal(e["excess_sharpe"], BenchmarkMetrics.ExcessSharpe(r, b), what: "excess_sharpe");
        if (e.TryGetValue("roll_len", out double len))
        {
            var rs = Rolling.SharpeRatio(r);
            var rb = Rolling.Beta(r, b);
            Assert.Equal((int)len, rs.Length);
            Assert.Equal((int)len, rb.Length);
            Near.Equal(e["roll_sharpe_first"], rs[0], what: "roll_sharpe_first");
            Near.Equal(e["roll_sharpe_last"], rs[^1], what: "roll_sharpe_last");
            Near.Equal(e["roll_beta_first"], rb[0], what: "roll_beta_first");
            Near.Equal(e["roll_beta_last"], rb[^1], what: "roll_beta_last");
        }
    }

    [Fact]
    public void Report_carries_the_same_values_and_information_ratio_is_annualised_excess_sharpe()
    {
        var r = ReferenceSeries.Strategy(300);
        var b = ReferenceSeries.Benchmark(300);
        var report = PerformanceMetrics.Compute(r, b);
        var e = ReferenceSeries.Golden300;
        foreach (var key in new[] { "annual_return", "sharpe_ratio", "sortino_ratio", "max_drawdown", "alpha", "beta", "value_at_risk" })
            Near.Equal(e[key], report[key], what: key);
        Near.Equal(e["excess_sharpe"] * Math.Sqrt(252), report["information_ratio"], what: "information_ratio");
        Assert.Equal(300, report.Observations);
        Assert.Equal(300, report.BenchmarkObservations);
        Assert.Equal(MetricCatalog.All.Select(m => m.Key), report.Values.Select(kv => kv.Key));
    }
}
