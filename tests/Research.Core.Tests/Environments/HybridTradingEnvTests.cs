using Research.Core.Data;
using Research.Core.Data.Splits;
using Research.Core.Environments;
using Research.Core.Environments.Trading;
using Research.Core.Features;
using Research.Core.Models;
using Research.Core.Tests.Models;

namespace Research.Core.Tests.Environments;

[Collection("Torch")]
public class HybridTradingEnvTests
{
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
        var env = new HybridTradingEnv(panel, split.Test.Start, split.Test.End, new TradingEnvConfig(), signals, features);
        var (obs, _) = env.Reset();
        int m = features.Names.Count;
        Assert.Equal(1 + 3 * (2 + m + 3), env.StateSize);
        Assert.Equal(env.StateSize, obs.Length);
        Assert.Equal(1 + 3 * (2 + m), env.ExpectedReturnOffset);
        int t = split.Test.Start, n = panel.DateCount, at = env.ExpectedReturnOffset;
        var state = env.State;
        for (int j = 0; j < 3; j++)
        {
            Assert.Equal(signals.ExpectedReturn[j * n + t], state[at + j]);
            Assert.Equal(signals.ProbabilityUp[j * n + t], state[at + 3 + j]);
            Assert.Equal((float)signals.ExpectedReturn[j * n + t], obs[at + j]);
            Assert.InRange(state[at + 3 + j], 0, 1);
        }

        // A step moves the blocks to the next day's signals.
        env.Step(0f, 0f, 0f);
        for (int j = 0; j < 3; j++) Assert.Equal(signals.Confidence[j * n + t + 1], env.State[at + 6 + j]);

        // No look-ahead: signals at day t do not change when bars after t change.
        var later = ForecasterTests.Synthetic(3, 400, seed: 99);
        var fields = Enumerable.Range(0, 5).Select(f => panel.Column((PriceField)f).ToArray()).ToArray();
        for (int f = 0; f < 5; f++) for (int j = 0; j < 3; j++) for (int u = 301; u < 400; u++) fields[f][j * 400 + u] = later[(PriceField)f, j, u];
        var changed = new MarketPanel(panel.Calendar, [.. panel.Tickers], fields[0], fields[1], fields[2], fields[3], fields[4]);
        var again = ForecastSignals.Compute(result.Forecaster, changed);
        for (int j = 0; j < 3; j++) Assert.Equal(signals.ExpectedReturn[j * n + 300], again.ExpectedReturn[j * n + 300]);
    }
}
