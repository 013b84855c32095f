using Research.Core.Configuration;
using Research.Core.Data;
using Research.Core.Data.Splits;
using Research.Core.Models;
using Research.Core.Pipeline;
using Research.Core.Pipeline.Stages;
using TorchSharp;

namespace Research.Core.Tests.Models;

/// <summary>The CNN+LSTM forecaster learns a learnable signal, finds nothing in noise, and resumes exactly.</summary>
[Collection("Torch")]
public class ForecasterTests
{
    internal static readonly ForecasterConfig Small = new()
    {
        Window = 20, ConvChannels = [8, 8], Dilations = [1, 2], Hidden = 16, Epochs = 8, BatchSize = 128,
        LearningRate = 0.005, Dropout = 0.0, Patience = 4, Threads = 1, WalkForward = false, Norm = ConvNorm.Layer, TickerEmbedding = 2,
    };

    /// <summary>Daily log returns r_t = 0.5 r_{t−1} − 0.2 r_{t−2} + 1 % · sin(2πt/7 + φ_k) + 0.2 % noise, as OHLCV bars.</summary>
    public static MarketPanel Synthetic(int tickers, int days, int seed, bool learnable = true)
    {
        var rng = new Random(seed);
        var dates = new DateOnly[days];
        var d = new DateOnly(2010, 1, 4);
        for (int t = 0; t < days; t++)
        {
            while (d.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday) d = d.AddDays(1);
            dates[t] = d;
            d = d.AddDays(1);
        }

        int n = tickers * days;
        double[] o = new double[n], h = new double[n], l = new double[n], c = new double[n], v = new double[n];
        for (int k = 0; k < tickers; k++)
        {
            double phase = rng.NextDouble() * 2 * Math.PI, price = 100, r1 = 0, r2 = 0;
            for (int t = 0; t < days; t++)
            {
                double noise = 0.002 * Gaussian(rng);
                double r = learnable ? 0.5 * r1 - 0.2 * r2 + 0.01 * Math.Sin(2 * Math.PI * t / 7 + phase) + noise : 0.01 * Gaussian(rng);
                double open = price;
                price *= Math.Exp(r);
                int i = k * days + t;
                o[i] = open;
                c[i] = price;
                h[i] = Math.Max(open, price) * 1.002;
                l[i] = Math.Min(open, price) * 0.998;
                v[i] = 1e6 * (1 + 0.1 * rng.NextDouble());
                r2 = r1;
                r1 = r;
            }
        }

        return new MarketPanel(new TradingCalendar(dates), Enumerable.Range(0, tickers).Select(i => $"S{i}").ToArray(), o, h, l, c, v);
    }

    private static double Gaussian(Random rng) => Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());

    private static (ForecastDataset Data, List<Sample> Train, List<Sample> Validation, List<Sample> Test) Prepare(MarketPanel panel,
        TrainValidationTest split, bool shuffleTargets = false)
    {
        var raw = ForecastFeatures.Compute(panel);
        var targets = ForecastFeatures.Targets(panel, 1);
        if (shuffleTargets)
        {
            var rng = new Random(5);
            foreach (var y in targets) rng.Shuffle(y);
        }

        var scaler = FeatureScaler.Fit(raw, targets, ForecastFeatures.Names.Count, split.Train.Start, split.Train.End - 1);
        var data = new ForecastDataset(scaler.Transform(raw), targets, ForecastFeatures.Names.Count, 20, 1, scaler.TargetStd);
        return (data, data.Samples(split.Train), data.Samples(split.Validation), data.Samples(split.Test));
    }

    [Fact]
    public void Learns_a_learnable_signal_beating_half_the_zero_forecast_mse()
    {
        var panel = Synthetic(6, 1500, seed: 1);
        var split = TrainValidationTest.ByFraction(panel.Calendar, 0.6, 0.2, embargo: 2);
        var (data, train, validation, _) = Prepare(panel, split);
        var result = ForecasterTrainer.Train(data, train, validation, Small, panel.TickerCount, new TrainingOptions { Epochs = Small.Epochs, Seed = 3 });
        var (pred, _) = ForecasterTrainer.Outputs(result.Model, data, validation);
        double mse = 0, zero = 0;
        for (int i = 0; i < validation.Count; i++)
        {
            double y = data.Targets[validation[i].Ticker][validation[i].Date];
            mse += Math.Pow(pred[i] * data.TargetScale - y, 2);
            zero += y * y;
        }

        Assert.True(mse < 0.5 * zero, $"validation MSE {mse / validation.Count:E3} vs zero-forecast {zero / validation.Count:E3}; " +
            string.Join("; ", result.History.Select(h => $"{h.Epoch}: {h.TrainLoss:F4}/{h.ValidationLoss:F4}")));
    }

    [Fact]
    public void Shuffled_targets_give_a_test_ic_indistinguishable_from_zero()
    {
        var panel = Synthetic(10, 700, seed: 2, learnable: false);
        var split = TrainValidationTest.ByFraction(panel.Calendar, 0.6, 0.2, embargo: 2);
        var (data, train, validation, test) = Prepare(panel, split, shuffleTargets: true);
        var result = ForecasterTrainer.Train(data, train, validation, Small with { Epochs = 4 }, panel.TickerCount, new TrainingOptions { Epochs = 4, Seed = 4 });
        var (pred, _) = ForecasterTrainer.Outputs(result.Model, data, test);
        var (mean, t, days) = ForecastMetrics.DailyIc(pred.Select(p => (double)p).ToArray(),
            test.Select(s => (double)data.Targets[s.Ticker][s.Date]).ToArray(), test.Select(s => s.Date).ToArray());
        Assert.True(days > 100, $"{days} IC days");
        Assert.True(Math.Abs(t) < 3, $"IC mean {mean:F4}, t-stat {t:F2}: a leak would show a large t");
    }

    [Fact]
    public void Walk_forward_prints_per_epoch_and_per_window_progress_with_loss_elapsed_and_eta()
    {
        var panel = Synthetic(3, 420, seed: 6);
        var split = TrainValidationTest.ByFraction(panel.Calendar, 0.6, 0.2, embargo: 2);
        var windows = WalkForward.Windows(panel.Calendar.Count, WindowMode.Rolling, trainSize: 200, testSize: 60, embargo: 2, validationSize: 50);
        Assert.True(windows.Count >= 2, $"{windows.Count} windows");
        var config = Small with { Epochs = 2, Patience = 5, WalkForward = true };
        var log = new StringWriter();
        var context = new RunContext(new RunConfig { Forecaster = config, Seed = 7 }, "test.json", TestPaths.NewTempDir("forecast-stage"), log)
        {
            Data = new MarketData(panel, new QualityReportSummary("", 0, 0, new Dictionary<string, string>(), new Dictionary<string, int>()), "hash", [], "none", TimeSpan.Zero),
            Split = split,
            Windows = windows,
        };
        new ForecastStage().Run(context);
        string output = log.ToString();
        Assert.NotNull(context.Forecast?.WalkForward);

        var number = @"[0-9]+\.[0-9]+";
        for (int i = 1; i <= windows.Count; i++)
        {
            string label = $"window {i}/{windows.Count}";
            // Every epoch of the window: its loss, time and an ETA for the whole walk-forward.
            for (int e = 1; e <= config.Epochs; e++)
                Assert.Matches($@"(?m)^    {label} epoch +{e}/{config.Epochs}  train {number}  val {number}.*  {number} s  ETA [0-9]+ s\r?$", output);
            // Then the window's summary: best losses, the window's time, the walk-forward's elapsed time and ETA.
            Assert.Matches($@"(?m)^  walk-forward {label} done: 2 epochs, best [12]  train {number}  val {number}  {number} s  elapsed {number} s  ETA [0-9]+ s\r?$", output);
        }

        Assert.Matches($@"(?m)^  walk-forward window {windows.Count}/{windows.Count} done: .*ETA 0 s\r?$", output); // nothing left after the last
        Assert.True(output.IndexOf("walk-forward window 1/", StringComparison.Ordinal) < output.IndexOf("walk-forward, stitched", StringComparison.Ordinal));
    }

    [Fact]
    public void Kill_and_resume_gives_the_same_weights_as_an_uninterrupted_run()
    {
        var panel = Synthetic(4, 500, seed: 3);
        var split = TrainValidationTest.ByFraction(panel.Calendar, 0.6, 0.2, embargo: 2);
        var (data, train, validation, _) = Prepare(panel, split);
        var cfg = Small with { Dropout = 0.2, Epochs = 4, Patience = 10 };
        var straight = ForecasterTrainer.Train(data, train, validation, cfg, 4,
            new TrainingOptions { Epochs = 4, Seed = 9, CheckpointDirectory = TestPaths.NewTempDir("ckpt") });

        string dir = TestPaths.NewTempDir("ckpt");
        var killed = ForecasterTrainer.Train(data, train, validation, cfg, 4,
            new TrainingOptions { Epochs = 4, Seed = 9, CheckpointDirectory = dir, StopAfterEpoch = 2 });
        Assert.Equal(2, killed.History.Count);
        torch.manual_seed(12345); // a new process's RNG is whatever it is; the checkpoint restores it
        var resumed = ForecasterTrainer.Train(data, train, validation, cfg, 4, new TrainingOptions { Epochs = 4, Seed = 9, CheckpointDirectory = dir });
        Assert.Equal(2, resumed.ResumedFromEpoch);
        Assert.Equal(straight.History.Select(h => h.ValidationLoss), resumed.History.Select(h => h.ValidationLoss));
        var a = straight.Model.state_dict();
        var b = resumed.Model.state_dict();
        foreach (var (name, value) in a) Assert.True(value.allclose(b[name], 0, 0), $"{name} differs after resume");
    }

    [Fact]
    public void Same_seed_same_weights_and_the_saved_model_predicts_identically()
    {
        var panel = Synthetic(3, 400, seed: 4);
        var split = TrainValidationTest.ByFraction(panel.Calendar, 0.6, 0.2, embargo: 2);
        var cfg = Small with { Epochs = 2, QuickEpochs = 2, QuickTickers = 3 };
        var one = ForecastExperiment.Run(panel, split, null, cfg, 7, quick: true, TextWriter.Null);
        var two = ForecastExperiment.Run(panel, split, null, cfg, 7, quick: true, TextWriter.Null);
        foreach (var (name, value) in one.Forecaster.Net.state_dict()) Assert.True(value.allclose(two.Forecaster.Net.state_dict()[name], 0, 0), name);
        Assert.Equal(["cnn-lstm", "zero", "last-return", "ridge"], one.Test.Select(m => m.Name));
        Assert.True(double.IsNaN(one.Test[1].DirectionalAccuracy), "the zero forecast has no direction");

        string folder = Path.Combine(TestPaths.NewTempDir(), "model");
        one.Forecaster.Save(folder, "abc123");
        Assert.Contains("research_workbench:", File.ReadAllText(Path.Combine(folder, "MLmodel")));
        using var loaded = Forecaster.Load(folder);
        var raw = ForecastFeatures.Compute(panel);
        int f = ForecastFeatures.Names.Count, t = 300;
        var window = raw[1].AsSpan((t - 19) * f, 20 * f).ToArray();
        var p1 = one.Forecaster.Predict(window, 1);
        var p2 = loaded.Predict(window, 1);
        Assert.Equal(p1, p2);
        Assert.InRange(p1.ProbabilityUp, 0, 1);
        Assert.Equal(Math.Abs(2 * p1.ProbabilityUp - 1), p1.Confidence, 12);
        var batch = loaded.PredictBatch(window.Concat(window).ToArray(), [1, 1]);
        Assert.Equal(p2, batch[1]); // one inference kernel: batch and single predictions are the same numbers
        var large = loaded.PredictBatch(Enumerable.Repeat(window, 40).SelectMany(w => w).ToArray(), Enumerable.Repeat(1, 40).ToArray()); // split across cores
        Assert.All(large, p => Assert.Equal(p2, p));
        var bad = Assert.Throws<ArgumentException>(() => loaded.Predict(window.AsSpan(1), 1));
        Assert.Contains("expected 1 window(s) of 20 days × 8 features", bad.Message);
    }

    [Fact]
    public void Features_at_t_ignore_everything_after_t_and_the_scaler_sees_only_training_dates()
    {
        var panel = Synthetic(3, 200, seed: 5);
        var raw = ForecastFeatures.Compute(panel);
        int t = 120, f = ForecastFeatures.Names.Count;

        // Change every field of every bar after t: features up to t must not move.
        double[] After(PriceField field, double factor)
        {
            var a = panel.Column(field).ToArray();
            for (int k = 0; k < 3; k++)
                for (int d = t + 1; d < 200; d++) a[k * 200 + d] *= factor;
            return a;
        }

        var changed = new MarketPanel(panel.Calendar, [.. panel.Tickers], After(PriceField.Open, 1.3), After(PriceField.High, 1.6),
            After(PriceField.Low, 1.2), After(PriceField.Close, 1.5), After(PriceField.Volume, 3));
        var raw2 = ForecastFeatures.Compute(changed);
        for (int k = 0; k < 3; k++)
        {
            Assert.Equal(raw[k].AsSpan(0, (t + 1) * f).ToArray(), raw2[k].AsSpan(0, (t + 1) * f).ToArray());
            Assert.NotEqual(raw[k].AsSpan((t + 1) * f, f).ToArray(), raw2[k].AsSpan((t + 1) * f, f).ToArray());
        }

        // The scaler fitted on dates before t is the same whatever happens after t (targets end at t too).
        var scaler = FeatureScaler.Fit(raw, ForecastFeatures.Targets(panel, 1), f, 0, t);
        var scaler2 = FeatureScaler.Fit(raw2, ForecastFeatures.Targets(changed, 1), f, 0, t);
        Assert.Equal(scaler.Mean, scaler2.Mean);
        Assert.Equal(scaler.Std, scaler2.Std);
        Assert.Equal(scaler.TargetStd, scaler2.TargetStd);
    }
}
