using Research.Core.Evaluation;

namespace Research.Core.Tests.Evaluation;

/// <summary>Small series worked by hand; the NumPy-equivalent steps are in the comments.</summary>
public class HandComputedMetricsTests
{
    [Fact]
    public void Cumulative_and_annual_return()
    {
        // (1.1)(0.9) - 1 = -0.01
        Near.Equal(-0.01, ReturnMetrics.CumReturnsFinal([0.1, -0.1]));
        // periods = 2 → years = 2/2 = 1 → (0.99)^(1/1) - 1
        Near.Equal(-0.01, ReturnMetrics.AnnualReturn([0.1, -0.1], periods: 2));
        // 252 periods: years = 2/252 → 0.99^126 - 1
        Near.Equal(Math.Pow(0.99, 126) - 1, ReturnMetrics.AnnualReturn([0.1, -0.1]));
        // a single day of +1%: 1.01^252 - 1 = 11.274..., as empyrical
        Near.Equal(11.274002099240244, ReturnMetrics.AnnualReturn([0.01]), 1e-12);
        // cum_returns: [1.1 - 1, 1.1 × 0.9 - 1]
        Assert.Equal([0.1, -0.01], ReturnMetrics.CumulativeReturns([0.1, -0.1]).Select(v => Math.Round(v, 12)));
    }

    [Fact]
    public void Volatility_sharpe_sortino_downside()
    {
        // [0.01, 0.03]: mean 0.02, deviations ±0.01, var(ddof=1) = 0.0002, std = 0.0141421356, × √4 = 0.0282842712
        Near.Equal(Math.Sqrt(0.0002) * 2, ReturnMetrics.AnnualVolatility([0.01, 0.03], periods: 4), 1e-12);
        // Sharpe = 0.02 / 0.0141421356 × √4 = 2.8284271247
        Near.Equal(0.02 / Math.Sqrt(0.0002) * 2, RatioMetrics.SharpeRatio([0.01, 0.03], periods: 4), 1e-12);
        // rf = 0.01 per period: excess [0, 0.02] → mean 0.01, std 0.0141421356 → × √4
        Near.Equal(0.01 / Math.Sqrt(0.0002) * 2, RatioMetrics.SharpeRatio([0.01, 0.03], 0.01, periods: 4), 1e-12);
        // downside of [0.01, -0.02, 0.03, -0.01]: min(r, 0)² = [0, 4e-4, 0, 1e-4], mean over all 4 = 1.25e-4, √ = 0.01118034
        Near.Equal(Math.Sqrt(1.25e-4), RatioMetrics.DownsideRisk([0.01, -0.02, 0.03, -0.01], periods: 1), 1e-12);
        // Sortino = mean 0.0025 × 1 / 0.01118034 = 0.2236068
        Near.Equal(0.0025 / Math.Sqrt(1.25e-4), RatioMetrics.SortinoRatio([0.01, -0.02, 0.03, -0.01], periods: 1), 1e-12);
        // annualised: mean × 252 / (0.01118034 × √252)
        Near.Equal(0.0025 * 252 / (Math.Sqrt(1.25e-4) * Math.Sqrt(252)), RatioMetrics.SortinoRatio([0.01, -0.02, 0.03, -0.01]), 1e-12);
    }

    [Fact]
    public void Drawdown_with_dates_peak_trough_recovery()
    {
        // wealth 1 → 1.1 → 0.88 → 0.924: peak 1.1 at index 0, trough 0.88 at 1, dd = 0.88/1.1 - 1 = -0.2, no recovery
        var d = Drawdown.Details([0.1, -0.2, 0.05], [new(2024, 1, 2), new(2024, 1, 3), new(2024, 1, 4)]);
        Near.Equal(-0.2, d.MaxDrawdown, 1e-12);
        Assert.Equal((0, 1, (int?)null), (d.PeakIndex, d.TroughIndex, d.RecoveryIndex));
        Assert.Equal(new DateOnly(2024, 1, 2), d.PeakDate);
        Assert.Equal(new DateOnly(2024, 1, 3), d.TroughDate);
        Assert.Null(d.RecoveryDate);
        Assert.Equal(2, d.DurationPeriods(3)); // peak (0) to the last observation (2), not recovered

        // a first-day loss is a drawdown from the starting capital (empyrical prepends it): 0.9 → 0.945 → 1.0395
        var s = Drawdown.Details([-0.1, 0.05, 0.1, -0.01], [new(2024, 1, 2), new(2024, 1, 3), new(2024, 1, 4), new(2024, 1, 5)]);
        Near.Equal(-0.1, s.MaxDrawdown, 1e-12);
        Assert.Equal(-1, s.PeakIndex);
        Assert.Null(s.PeakDate);
        Assert.Equal(2, s.RecoveryIndex);
        Assert.Equal(new DateOnly(2024, 1, 4), s.RecoveryDate);
        Assert.Equal(2, s.RecoveryPeriods);
        Assert.Equal(3, s.DurationPeriods(4));
        Near.Equal(-0.1, Drawdown.MaxDrawdown([-0.1, 0.05, 0.1]), 1e-12);
        Assert.Equal([0.0, 0.0, -0.2, -0.16], Drawdown.Underwater([0.0, 0.1, -0.2, 0.05]).Select(v => Math.Round(v, 12)));
    }

    [Fact]
    public void Omega_tail_var_cvar()
    {
        // omega, threshold 0: gains 0.02 + 0.03 = 0.05, losses 0.01 + 0.02 = 0.03 → 5/3
        Near.Equal(5.0 / 3, RatioMetrics.OmegaRatio([0.02, -0.01, 0.03, -0.02]), 1e-12);
        // 0.01..0.10: VaR 5% at virtual index 9 × 0.05 = 0.45 → 0.01 + 0.45 × 0.01 = 0.0145
        double[] tenths = [.. Enumerable.Range(1, 10).Select(i => i / 100.0)];
        Near.Equal(0.0145, RiskMetrics.ValueAtRisk(tenths), 1e-12);
        // CVaR: k = int(9 × 0.05) = 0 → mean of the smallest one = 0.01
        Near.Equal(0.01, RiskMetrics.ConditionalValueAtRisk(tenths), 1e-12);
        // cutoff 0.25: index 2.25 → 0.03 + 0.25 × 0.01 = 0.0325; k = int(2.25) = 2 → mean(0.01, 0.02, 0.03) = 0.02
        Near.Equal(0.0325, RiskMetrics.ValueAtRisk(tenths, 0.25), 1e-12);
        Near.Equal(0.02, RiskMetrics.ConditionalValueAtRisk(tenths, 0.25), 1e-12);
        // tail: p95 at 4 × 0.95 = 3.8 → 0.02 + 0.8 × 0.03 = 0.044; p5 at 0.2 → -0.03 + 0.2 × 0.02 = -0.026
        Near.Equal(0.044 / 0.026, RatioMetrics.TailRatio([-0.03, -0.01, 0.0, 0.02, 0.05]), 1e-12);
    }

    [Fact]
    public void Parametric_and_cornish_fisher_var()
    {
        double[] r = ReferenceSeries.S1;
        // μ = 0.004, σ(ddof=1) = √(0.002166/7); z(0.05) = -1.6448536269514722
        double mu = 0.004, sigma = Math.Sqrt(0.002166 / 7), z = -1.6448536269514722;
        Near.Equal(mu + sigma * z, RiskMetrics.ParametricValueAtRisk(r), 1e-9);
        // ES = μ - σ φ(z)/0.05, φ(z) = 0.10313564037537128
        Near.Equal(mu - sigma * 0.10313564037537128 / 0.05, RiskMetrics.ParametricExpectedShortfall(r), 1e-9);
        // Cornish–Fisher with S = -0.028787548048236213, K = -1.2463506776856124 (scipy, bias=True)
        double s = -0.028787548048236213, k = -1.2463506776856124;
        double zcf = z + (z * z - 1) * s / 6 + (z * z * z - 3 * z) * k / 24 - (2 * z * z * z - 5 * z) * s * s / 36;
        Near.Equal(mu + sigma * zcf, RiskMetrics.CornishFisherValueAtRisk(r), 1e-9);
    }

    [Fact]
    public void Trade_statistics_and_moments()
    {
        double[] r = [0.01, 0, -0.02, 0.03, double.NaN];
        Near.Equal(2.0 / 3, ReturnMetrics.WinRate(r));        // 2 wins of 3 non-zero days
        Near.Equal(2.0, ReturnMetrics.ProfitFactor(r), 1e-12);  // 0.04 / 0.02
        Near.Equal(1.0, ReturnMetrics.AvgWinLossRatio(r), 1e-12); // mean win 0.02 / mean loss 0.02
        Assert.Equal(0.03, ReturnMetrics.BestDay(r));
        Assert.Equal(-0.02, ReturnMetrics.WorstDay(r));
        // [1, 2, 3, 10]: mean 4, d = [-3,-2,-1,6], m2 = 50/4, m3 = (-27-8-1+216)/4 = 45, m4 = (81+16+1+1296)/4 = 348.5
        Near.Equal(45 / Math.Pow(12.5, 1.5), ReturnMetrics.Skew([1, 2, 3, 10]), 1e-12);
        Near.Equal(348.5 / (12.5 * 12.5) - 3, ReturnMetrics.Kurtosis([1, 2, 3, 10]), 1e-12);
    }

    [Fact]
    public void Alpha_beta_information_ratio_tracking_error()
    {
        double[] b = [0.01, -0.02, 0.015, 0.0, -0.005];
        double[] twice = [.. b.Select(x => 2 * x)];
        var (alpha, beta) = BenchmarkMetrics.AlphaBeta(twice, b);
        Near.Equal(2, beta, 1e-12);
        Near.Equal(0, alpha, 1e-12);
        // r = b + 0.001: β = 1, residual 0.001 a day → (1.001)^252 - 1 (compounded as empyrical)
        var (a2, b2) = BenchmarkMetrics.AlphaBeta([.. b.Select(x => x + 0.001)], b);
        Near.Equal(1, b2, 1e-12);
        Near.Equal(Math.Pow(1.001, 252) - 1, a2, 1e-9);
        // active [0.01, -0.01]: mean 0, so IR 0; TE = std(ddof=1) = √(2e-4) × √252
        Near.Equal(0, BenchmarkMetrics.InformationRatio([0.02, 0.0], [0.01, 0.01]), 1e-12);
        Near.Equal(Math.Sqrt(2e-4) * Math.Sqrt(252), BenchmarkMetrics.TrackingError([0.02, 0.0], [0.01, 0.01]), 1e-12);
        // exactly constant active return (binary fractions): zero tracking error → +∞
        Assert.Equal(double.PositiveInfinity, BenchmarkMetrics.InformationRatio([0.5625, 0.3125], [0.5, 0.25]));
        Assert.Throws<ArgumentException>(() => BenchmarkMetrics.Beta([0.1, 0.2], [0.1]));
    }

    [Fact]
    public void Turnover_exposure_and_period_returns()
    {
        Near.Equal(0.1, TradingMetrics.AverageTurnover([0.1, 0.2, 0.0, double.NaN]), 1e-12);
        Near.Equal(25.2, TradingMetrics.AnnualTurnover([0.1, 0.2, 0.0]), 1e-12);
        Near.Equal(2.0 / 3, TradingMetrics.TimeInMarket([1.0, 0.0, 0.5]), 1e-12);
        Near.Equal(1.0, TradingMetrics.MaxExposure([1.0, -0.5, 0.5]));
        DateOnly[] dates = [new(2023, 12, 29), new(2024, 1, 2), new(2024, 1, 31), new(2024, 2, 1)];
        var monthly = PeriodReturns.Monthly(dates, [0.1, 0.1, -0.1, 0.05]);
        Assert.Equal(3, monthly.Count);
        Assert.Equal((2024, 1), (monthly[1].Year, monthly[1].Month));
        Near.Equal(1.1 * 0.9 - 1, monthly[1].Return, 1e-12);
        var yearly = PeriodReturns.Yearly(dates, [0.1, 0.1, -0.1, 0.05]);
        Near.Equal(1.1 * 0.9 * 1.05 - 1, yearly[1].Return, 1e-12);
    }
}
