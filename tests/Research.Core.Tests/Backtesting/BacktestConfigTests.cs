using Research.Core.Backtesting;
using Research.Core.Backtesting.Costs;
using Research.Core.Backtesting.Strategies;
using Research.Core.Configuration;
using Research.Core.Data;
using Research.Core.Risk;

namespace Research.Core.Tests.Backtesting;

public class BacktestConfigTests
{
    [Fact]
    public void The_shipped_config_maps_to_the_cost_model_and_risk_limits()
    {
        var b = ConfigLoader.Load(Path.Combine(TestPaths.RepoRoot, "experiments", "default.json")).Backtest;
        var costs = b.Costs();
        Assert.Equal(0.0005, costs.CommissionPct);
        Assert.Equal(2, costs.HalfSpreadBps);
        Assert.Equal(SlippageKind.FixedBps, costs.Slippage);
        Assert.Equal(1, costs.SlippageValue);
        Assert.Equal(ImpactKind.SquareRoot, costs.Impact);
        var limits = b.Limits(123)!;
        Assert.Equal(0.1, limits.MaxPositionPct);
        Assert.Equal(0.15, limits.StopLoss);
        Assert.True(double.IsNaN(limits.TakeProfit));
        Assert.True(double.IsPositiveInfinity(limits.MaxOrderValue));
        Assert.Equal(DrawdownAction.ScaleDown, limits.DrawdownAction);
        Assert.Equal(123, limits.TurbulenceThreshold);
        Assert.Equal(SignalSizing.Kelly, b.ModelSizing);
        Assert.Null((b with { Risk = false }).Limits(1));
    }

    [Fact]
    public void Kebab_case_values_select_each_model()
    {
        var c = ConfigLoader.Parse("""
            { "backtest": { "commissionPct": 0, "commissionPerShare": 0.005, "commissionMinimum": 1, "slippage": "volatility-scaled",
              "slippageSigmas": 0.2, "impact": "almgren-chriss", "permanentCoefficient": 0.3, "fill": "same-close",
              "drawdownAction": "flatten-and-halt", "modelSizing": "top-k", "modelTopK": 3, "maxConcentration": 0.3 } }
            """, "x.json").Backtest;
        var costs = c.Costs();
        Assert.Equal((0.005, 1.0, 0.0), (costs.CommissionPerShare, costs.CommissionMinimum, costs.CommissionPct));
        Assert.Equal((SlippageKind.VolatilityScaled, 0.2), (costs.Slippage, costs.SlippageValue));
        Assert.Equal((ImpactKind.AlmgrenChriss, 0.3), (costs.Impact, costs.PermanentCoefficient));
        Assert.Equal(FillTiming.SameClose, c.Fill);
        Assert.Equal(DrawdownAction.FlattenAndHalt, c.Limits(double.NaN)!.DrawdownAction);
        Assert.Equal(0.3, c.Limits(double.NaN)!.MaxConcentration);
        Assert.Equal((SignalSizing.TopK, 3), (c.ModelSizing, c.ModelTopK));
    }

    [Fact]
    public void Bad_keys_and_values_are_named()
    {
        var e = Assert.Throws<DataFormatException>(() => ConfigLoader.Parse("{\n  \"backtest\": {\n    \"comission\": 0.001\n  }\n}", "x.json"));
        Assert.Equal(3, e.Line);
        Assert.Contains("comission", e.Message);
        Assert.Throws<DataFormatException>(() => ConfigLoader.Parse("{\"backtest\": {\"impact\": \"cubic\"}}", "y.json"));
        Assert.Equal("backtest.halfSpreadBps", Invalid(new BacktestConfig { HalfSpreadBps = -1 }));
        Assert.Equal("backtest.commissionPerShare", Invalid(new BacktestConfig { CommissionPerShare = 0.005 })); // and commissionPct
        Assert.Equal("backtest.maxLeverage", Invalid(new BacktestConfig { MaxLeverage = 0 }));
        Assert.Equal("backtest.trailingStop", Invalid(new BacktestConfig { TrailingStop = -0.1 }));
        Assert.Equal("backtest.maxDrawdown", Invalid(new BacktestConfig { MaxDrawdown = 1.5 }));
        Assert.Equal("backtest.modelTopK", Invalid(new BacktestConfig { ModelTopK = 0 }));
        Assert.Equal("backtest.initialCash", Invalid(new BacktestConfig { InitialCash = double.PositiveInfinity }));
    }

    private static string Invalid(BacktestConfig b) => Assert.Throws<ConfigException>(() => new RunConfig { Backtest = b }.Validate()).Path;
}
