using Research.Core.Data;
using Research.Core.Data.Splits;
using Research.Core.Environments;
using Research.Core.Features;
using Research.Core.Models;
using Research.Core.Tests.Backtesting;
using Research.Core.Tests.Models;

namespace Research.Core.Tests.Environments;

[Collection("Torch")]
public class StockTradingEnvTests
{
    private static MarketPanel Two(double[] a, double[] b) =>
        new(Panels.Days(a.Length), ["A", "B"], [.. a, .. b], [.. a, .. b], [.. a, .. b], [.. a, .. b], [.. a.Select(_ => 1e6), .. b.Select(_ => 1e6)]);

    [Fact]
    public void A_step_trades_at_the_close_and_rewards_the_change_in_value()
    {
        var panel = Two([10, 11, 12], [20, 20, 18]);
        var env = new StockTradingEnv(panel, 0, 3, new TradingEnvConfig { InitialCash = 10_000, HMax = 100, BuyCostPct = 0.001, SellCostPct = 0.001, RewardScaling = 1 });
        var s0 = env.Reset();
        Assert.Equal([10_000, 10, 20, 0, 0], s0);
        var r = env.Step([1.0, 0.25]);
        // Buys 100 A at 10 and 25 B at 20 (costs 1.0 + 0.5); next close: A 11, B 20.
        Assert.Equal(10_000 - 1000 - 1 - 500 - 0.5, r.State[0], 9);
        Assert.Equal([11, 20, 100, 25], r.State[1..]);
        Assert.Equal(100 * 1 - 1.5, r.Reward, 9);
        Assert.Equal(1.5, r.Costs, 12);
        Assert.False(r.Done);
        var last = env.Step([-1.0, -1.0]);
        // Sells 100 A at 11 and 25 B at 20 (a sell beyond the holding is cut); costs 1.1 + 0.5.
        Assert.Equal(0, last.State[3]);
        Assert.Equal(0, last.State[4]);
        Assert.Equal(-1.6, last.Reward, 9);
        Assert.True(last.Done);
        Assert.Throws<InvalidOperationException>(() => env.Step([0.0, 0.0]));
    }

    [Fact]
    public void Turbulence_at_the_threshold_sells_everything_and_blocks_buying()
    {
        var panel = Two([10, 10, 10, 10], [20, 20, 20, 20]);
        var env = new StockTradingEnv(panel, 0, 4, new TradingEnvConfig { InitialCash = 10_000, TurbulenceThreshold = 50 }, turbulence: [0, 60, 0, 0]);
        env.Reset();
        env.Step([1.0, 1.0]);
        var r = env.Step([1.0, 1.0]);
        Assert.Equal(0, r.State[3]);
        Assert.Equal(0, r.State[4]);
        Assert.Equal(2, r.Trades);
    }

    [Fact]
    public void The_hybrid_state_carries_the_forecasters_predictions_made_with_bars_up_to_the_day()
    {
        var panel = ForecasterTests.Synthetic(3, 400, seed: 4);
        var split = TrainValidationTest.ByFraction(panel.Calendar, 0.6, 0.2, embargo: 2);
        var cfg = ForecasterTests.Small with { Epochs = 1, QuickEpochs = 1, QuickTickers = 3 };
        var result = ForecastExperiment.Run(panel, split, null, cfg, 7, quick: true, TextWriter.Null);
        var signals = ForecastSignals.Compute(result.Forecaster, panel);

        // The signals equal the experiment's own test-block forecasts.
        var set = result.TestForecasts;
        for (int i = 0; i < set.Samples.Count; i += 37)
        {
            var s = set.Samples[i];
            Assert.Equal(set.Predicted[i], signals.ExpectedReturn[s.Ticker * panel.DateCount + s.Date], 5);
        }

        var features = FeaturePipeline.Compute(panel, new Research.Core.Configuration.FeaturesConfig { Indicators = ["rsi_30"], Turbulence = false, Vix = null, Volatility = [], ZScore = [] });
        var env = new StockTradingEnv(panel, split.Test.Start, split.Test.End, new TradingEnvConfig(), features, signals);
        var state = env.Reset();
        Assert.Equal(1 + 3 * (2 + 2 + 3), env.StateSize);
        Assert.Equal(env.StateSize, state.Length);
        int t = split.Test.Start, n = panel.DateCount, at = 1 + 3 * 2 + 3 * 2;
        for (int j = 0; j < 3; j++)
        {
            Assert.Equal(signals.ExpectedReturn[j * n + t], state[at + j]);
            Assert.Equal(signals.ProbabilityUp[j * n + t], state[at + 3 + j]);
            Assert.InRange(state[at + 3 + j], 0, 1);
        }

        // No look-ahead: signals at day t do not change when bars after t change.
        var later = ForecasterTests.Synthetic(3, 400, seed: 99);
        var fields = Enumerable.Range(0, 5).Select(f => panel.Column((PriceField)f).ToArray()).ToArray();
        for (int f = 0; f < 5; f++) for (int j = 0; j < 3; j++) for (int u = 301; u < 400; u++) fields[f][j * 400 + u] = later[(PriceField)f, j, u];
        var changed = new MarketPanel(panel.Calendar, [.. panel.Tickers], fields[0], fields[1], fields[2], fields[3], fields[4]);
        var again = ForecastSignals.Compute(result.Forecaster, changed);
        for (int j = 0; j < 3; j++) Assert.Equal(signals.ExpectedReturn[j * n + 300], again.ExpectedReturn[j * n + 300]);
    }

    [Fact]
    public void Bad_input_is_named()
    {
        var panel = Two([10, 11, 12], [20, 20, 18]);
        Assert.Equal("HMax", Assert.ThrowsAny<ArgumentException>(() => new StockTradingEnv(panel, 0, 3, new TradingEnvConfig { HMax = 0 })).ParamName);
        var env = new StockTradingEnv(panel, 0, 3, new TradingEnvConfig());
        Assert.Equal("action", Assert.Throws<ArgumentException>(() => env.Step([1.0])).ParamName);
    }
}
