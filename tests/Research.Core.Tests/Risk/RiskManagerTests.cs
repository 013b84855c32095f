using Research.Core.Backtesting;
using Research.Core.Backtesting.Costs;
using Research.Core.Risk;
using Research.Core.Tests.Backtesting;

namespace Research.Core.Tests.Risk;

public class RiskManagerTests
{
    [Fact]
    public void An_order_breaching_the_position_limit_is_resized_and_logged()
    {
        var panel = Panels.Flat(10, 10, 10);
        var r = Backtester.Run(panel, new Scripted(c => { if (c.Today == 0) c.Submit(new Order(0, 500)); }),
            new BacktestOptions { InitialCash = 10_000, Costs = CostModel.Zero, Risk = new RiskLimits { MaxPositionPct = 0.2 } });
        Assert.Equal(200, r.Fills.Single().Quantity); // 20% of 10,000 at 10
        var i = Assert.Single(r.Interventions);
        Assert.Equal("max-position", i.Rule);
        Assert.Equal("resized", i.Action);
        Assert.Contains("500 → 200", i.Detail);
    }

    [Fact]
    public void Stop_loss_exits_at_the_next_open()
    {
        // Buy at 100; close falls to 94 (−6%) on bar 2 → exit at bar 3's open.
        double[] p = [100, 100, 97, 94, 93, 93];
        var panel = Panels.One(p, p, p, p, p.Select(_ => 1e9).ToArray());
        var r = Backtester.Run(panel, new Scripted(c => { if (c.Today == 0) c.Submit(new Order(0, 10)); }),
            new BacktestOptions { InitialCash = 10_000, Costs = CostModel.Zero, Risk = new RiskLimits { StopLoss = 0.05 } });
        Assert.Equal(2, r.Fills.Count);
        Assert.Equal("stop-loss", r.Fills[1].Tag);
        Assert.Equal(panel.Calendar[4], r.Fills[1].Date);
        Assert.Contains(r.Interventions, i => i.Rule == "stop-loss" && i.Detail.Contains("-6.00 %", StringComparison.Ordinal));
    }

    [Fact]
    public void Trailing_stop_and_take_profit()
    {
        double[] p = [100, 100, 110, 120, 113, 113, 113];
        var panel = Panels.One(p, p, p, p, p.Select(_ => 1e9).ToArray());
        var trailing = Backtester.Run(panel, new Scripted(c => { if (c.Today == 0) c.Submit(new Order(0, 10)); }),
            new BacktestOptions { InitialCash = 10_000, Costs = CostModel.Zero, Risk = new RiskLimits { TrailingStop = 0.05 } });
        Assert.Equal("trailing-stop", trailing.Fills[1].Tag); // 113 is 5.8% below the best close 120
        var profit = Backtester.Run(panel, new Scripted(c => { if (c.Today == 0) c.Submit(new Order(0, 10)); }),
            new BacktestOptions { InitialCash = 10_000, Costs = CostModel.Zero, Risk = new RiskLimits { TakeProfit = 0.15 } });
        Assert.Equal("take-profit", profit.Fills[1].Tag);
        Assert.Equal(113, profit.Fills[1].Price); // decided at 120's close, filled at the next open
    }

    [Fact]
    public void The_drawdown_breaker_flattens_and_halts()
    {
        double[] p = [100, 100, 80, 80, 90, 100];
        var panel = Panels.One(p, p, p, p, p.Select(_ => 1e9).ToArray());
        var r = Backtester.Run(panel, new Scripted(c =>
            {
                c.TargetWeights([0.25]);
                if (c.Today == 4) c.Submit(new Order(0, 5));
            }),
            new BacktestOptions { InitialCash = 10_000, Costs = CostModel.Zero, Risk = new RiskLimits { MaxDrawdown = 0.04 } });
        var breaker = r.Interventions.First(i => i.Rule == "drawdown-breaker");
        Assert.Equal("flatten-and-halt", breaker.Action);
        Assert.Equal(0, r.Daily[^1].GrossExposure);
        Assert.Contains(r.Interventions, i => i.Rule == "drawdown-breaker" && i.Action == "rejected");
    }

    [Fact]
    public void Turbulence_above_the_threshold_takes_exposure_to_zero()
    {
        var panel = Panels.Flat(10, 10, 10, 10, 10);
        double[] turbulence = [0, 0, 500, 500, 0];
        var r = Backtester.Run(panel, new Scripted(c => c.TargetWeights([0.5])),
            new BacktestOptions { InitialCash = 10_000, Costs = CostModel.Zero, Turbulence = turbulence, Risk = new RiskLimits { TurbulenceThreshold = 100, MaxPositionPct = 1 } });
        Assert.Equal(0, r.Daily[3].GrossExposure);
        Assert.Contains(r.Interventions, i => i.Rule == "turbulence" && i.Detail.Contains("500.0 > 100.0", StringComparison.Ordinal));
        Assert.True(r.Daily[^1].GrossExposure == 0); // back in at the next open after the last bar: not yet
    }

    [Fact]
    public void Volatility_targeting_and_Kelly_sizing()
    {
        var manager = new RiskManager(new RiskLimits { TargetVolatility = 0.10, VolatilityLookback = 4, KellyFraction = 0.5, KellyCap = 0.1 });
        double[] returns = [0.02, -0.02, 0.02, -0.02];
        double vol = Math.Sqrt(returns.Select(x => x * x).Sum() / 3 * 252);
        Assert.Equal(0.10 / vol, manager.ExposureScale(new DateOnly(2021, 1, 4), returns, double.NaN), 12);
        Assert.Equal(0.1, manager.KellyWeight(0.001, 0.0004)); // 0.5 × 2.5 capped at 0.1
        Assert.Equal(0.5 * 0.00002 / 0.0004, manager.KellyWeight(0.00002, 0.0004), 12);
        Assert.Equal(0, manager.KellyWeight(double.NaN, 0.0004));
    }

    [Fact]
    public void Bad_limits_name_the_setting()
    {
        Assert.Equal("MaxPositionPct", Assert.ThrowsAny<ArgumentException>(() => new RiskManager(new RiskLimits { MaxPositionPct = 0 })).ParamName);
        Assert.Equal("StopLoss", Assert.ThrowsAny<ArgumentException>(() => new RiskManager(new RiskLimits { StopLoss = -0.1 })).ParamName);
    }
}
