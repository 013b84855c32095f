using Research.Core.Evaluation;
using Research.Core.Evaluation.Significance;

namespace Research.Core.Tests.Evaluation;

/// <summary>Degenerate input gives empyrical's NaN or ±∞, never an exception.</summary>
public class EdgeCaseTests
{
    [Fact]
    public void Empty_series()
    {
        double[] e = [];
        Assert.True(double.IsNaN(ReturnMetrics.CumReturnsFinal(e)));
        Assert.True(double.IsNaN(ReturnMetrics.AnnualReturn(e)));
        Assert.True(double.IsNaN(Drawdown.MaxDrawdown(e)));
        Assert.True(double.IsNaN(RatioMetrics.SharpeRatio(e)));
        Assert.True(double.IsNaN(RatioMetrics.DownsideRisk(e)));
        Assert.True(double.IsNaN(RiskMetrics.ValueAtRisk(e)));
        Assert.True(double.IsNaN(RiskMetrics.ConditionalValueAtRisk(e)));
        Assert.True(double.IsNaN(RatioMetrics.TailRatio(e)));
        var report = PerformanceMetrics.Compute(e);
        Assert.All(report.Values.Where(kv => kv.Key is not "observations" and not "trials"), kv => Assert.True(double.IsNaN(kv.Value), kv.Key));
        Assert.Equal(1, report.Values.Single(kv => kv.Key == "trials").Value); // the number of trials behind the curve, not a statistic of its returns
    }

    [Fact]
    public void Fewer_than_two_points()
    {
        double[] one = [0.01];
        Assert.True(double.IsNaN(RatioMetrics.SharpeRatio(one)));
        Assert.True(double.IsNaN(ReturnMetrics.AnnualVolatility(one)));
        Assert.True(double.IsNaN(RatioMetrics.SortinoRatio(one)));
        Assert.True(double.IsNaN(RatioMetrics.OmegaRatio(one)));
        Assert.True(double.IsNaN(RatioMetrics.CalmarRatio(one)));   // max drawdown 0 → NaN
        Assert.True(double.IsNaN(ReturnMetrics.StabilityOfTimeseries(one)));
        Assert.Equal(0.01, RiskMetrics.ValueAtRisk(one));
        Assert.Equal(1.0, RatioMetrics.TailRatio(one));
        Assert.True(double.IsNaN(SharpeSignificance.ProbabilisticSharpeRatio(one)));
        PerformanceMetrics.Compute(one, [0.02]); // no exception
    }

    [Fact]
    public void All_positive_returns()
    {
        double[] up = [0.01, 0.02, 0.005];
        Assert.Equal(double.PositiveInfinity, RatioMetrics.SortinoRatio(up)); // empyrical: inf
        Assert.Equal(0.0, RatioMetrics.DownsideRisk(up));
        Assert.True(double.IsNaN(RatioMetrics.OmegaRatio(up)));             // no shortfall → NaN
        Assert.True(double.IsNaN(RatioMetrics.CalmarRatio(up)));            // no drawdown → NaN
        Assert.Equal(0.0, Drawdown.MaxDrawdown(up));
        Assert.Equal(double.PositiveInfinity, ReturnMetrics.ProfitFactor(up));
        Assert.Equal(double.PositiveInfinity, ReturnMetrics.AvgWinLossRatio(up));
        Assert.Equal(1.0, ReturnMetrics.WinRate(up));
    }

    [Fact]
    public void Constant_and_zero_returns()
    {
        double[] flat = [0.25, 0.25, 0.25, 0.25];                          // exactly representable: std is exactly 0
        Assert.Equal(double.PositiveInfinity, RatioMetrics.SharpeRatio(flat));
        Assert.Equal(0.0, ReturnMetrics.AnnualVolatility(flat));
        Assert.True(double.IsNaN(ReturnMetrics.Skew(flat)));                // scipy >= 1.9: NaN for zero variance
        Assert.True(double.IsNaN(ReturnMetrics.Kurtosis(flat)));
        Near.Equal(1.0, ReturnMetrics.StabilityOfTimeseries(flat), 1e-12);  // a straight line of log wealth
        double[] zeros = [0, 0, 0, 0, 0];
        Assert.True(double.IsNaN(RatioMetrics.SharpeRatio(zeros)));          // 0 / 0
        Assert.True(double.IsNaN(RatioMetrics.SortinoRatio(zeros)));
        Assert.Equal(0.0, ReturnMetrics.StabilityOfTimeseries(zeros));      // linregress: r = 0 when y is constant
        Assert.True(double.IsNaN(RatioMetrics.TailRatio(zeros)));
        Assert.True(double.IsNaN(ReturnMetrics.WinRate(zeros)));
        Assert.True(double.IsNaN(BenchmarkMetrics.Beta([0.1, 0.2, 0.3], [0.01, 0.01, 0.01]))); // zero benchmark variance
    }

    [Fact]
    public void NaN_only_and_NaN_mixed()
    {
        double[] nan = [double.NaN, double.NaN];
        Assert.True(double.IsNaN(RatioMetrics.SharpeRatio(nan)));
        Assert.Equal(0.0, ReturnMetrics.AnnualReturn(nan));    // nanprod of nothing is 1, as empyrical
        Assert.Equal(0.0, Drawdown.MaxDrawdown(nan));
        Assert.Equal(0.0, ReturnMetrics.CumReturnsFinal(nan));
        Assert.True(double.IsNaN(RatioMetrics.SortinoRatio(nan)));
        Assert.True(double.IsNaN(RatioMetrics.TailRatio(nan)));
        // stability drops NaN first: [0.01, NaN] leaves one point → 0, as scipy's linregress
        Assert.Equal(0.0, ReturnMetrics.StabilityOfTimeseries([0.01, double.NaN]));
        Near.Equal(0.242512944063578, ReturnMetrics.StabilityOfTimeseries([0.01, double.NaN, 0.02, -0.01]), 1e-12);
    }

    [Fact]
    public void Property_metrics_never_throw_on_random_input()
    {
        var rng = new SeededRandom(7);
        for (int trial = 0; trial < 200; trial++)
        {
            int n = rng.NextInt(6);
            var r = new double[n];
            var b = new double[n];
            for (int i = 0; i < n; i++)
            {
                int kind = rng.NextInt(6);
                r[i] = kind switch { 0 => double.NaN, 1 => 0, 2 => 0.25, _ => rng.NextDouble() * 0.1 - 0.05 };
                b[i] = rng.NextInt(5) == 0 ? double.NaN : rng.NextDouble() * 0.1 - 0.05;
            }

            var report = PerformanceMetrics.Compute(r, b);
            Assert.Equal(n, report.Observations);
        }
    }
}
