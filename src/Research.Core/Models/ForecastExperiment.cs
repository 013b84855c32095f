using System.Diagnostics;
using System.Globalization;
using Research.Core.Configuration;
using Research.Core.Data;
using Research.Core.Data.Splits;
using Research.Core.Monitoring;

namespace Research.Core.Models;

/// <summary>Out-of-sample forecasts: per sample, the forecast and the outcome.</summary>
/// <param name="Samples">Which ticker and date each row is.</param>
/// <param name="Predicted">Expected log returns.</param>
/// <param name="Probability">Calibrated up probabilities.</param>
/// <param name="Actual">Realised log returns.</param>
public sealed record ForecastSet(IReadOnlyList<Sample> Samples, double[] Predicted, double[] Probability, double[] Actual);

/// <summary>What <see cref="ForecastExperiment.Run"/> produced.</summary>
/// <param name="Forecaster">The model trained on the train block (best validation epoch).</param>
/// <param name="Training">Training history.</param>
/// <param name="Tickers">Tickers used (quick mode: a subset).</param>
/// <param name="Test">Model then baselines on the test block.</param>
/// <param name="TestForecasts">The model's test-block forecasts.</param>
/// <param name="WalkForward">Model then baselines on the stitched walk-forward out-of-sample forecasts, if run.</param>
/// <param name="WalkForwardForecasts">The stitched walk-forward forecasts, if run.</param>
public sealed record ForecastResult(Forecaster Forecaster, TrainingResult Training, IReadOnlyList<string> Tickers,
    IReadOnlyList<ForecastMetrics> Test, ForecastSet TestForecasts, IReadOnlyList<ForecastMetrics>? WalkForward, ForecastSet? WalkForwardForecasts);

/// <summary>
/// The forecaster's experiment: features from the panel, normalisation fitted on the training block, training with
/// early stopping on validation, Platt calibration on validation, and scores on the test block next to three naive
/// baselines fitted on the same data (zero return, last return, ridge on the same windows). Optionally retrains on
/// every walk-forward window and scores the stitched out-of-sample forecasts the same way.
/// </summary>
public static class ForecastExperiment
{
    /// <summary>
    /// Runs the experiment. With <paramref name="permutationSeed"/> set it is the shuffled-target leakage probe: every
    /// ticker's train and validation targets are permuted across dates (<see cref="TargetPermutation"/>; per walk-forward
    /// window, its own train and validation blocks), features untouched and test targets real, so the test IC should be ≈ 0.
    /// <paramref name="cancellation"/> stops training between batches.
    /// </summary>
    public static ForecastResult Run(MarketPanel panel, TrainValidationTest split, IReadOnlyList<WalkForwardWindow>? windows,
        ForecasterConfig config, int seed, bool quick, TextWriter log, Action<EpochReport>? onEpoch = null, string? checkpointDirectory = null,
        int? permutationSeed = null, CancellationToken cancellation = default)
    {
        if (quick && panel.TickerCount > config.QuickTickers) panel = panel.SelectTickers(panel.Tickers.Take(config.QuickTickers));
        int epochs = quick ? config.QuickEpochs : config.Epochs;
        var names = ForecastFeatures.NamesWith(config.Indicators);
        var raw = ForecastFeatures.Compute(panel, config.Indicators);
        var targets = ForecastFeatures.Targets(panel, config.Horizon);
        int f = names.Count;

        var learnTargets = permutationSeed is { } ps ? TargetPermutation.Permute(targets, [split.Train, split.Validation], config.Horizon, ps) : targets;
        var (data, scaler) = Prepare(raw, learnTargets, f, config, split.Train);
        var train = data.Samples(split.Train);
        var validation = data.Samples(split.Validation);
        var test = data.Samples(split.Test);
        log.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  {panel.TickerCount} tickers, {f} features × {config.Window}-day windows, horizon {config.Horizon}d: {train.Count:N0} train / {validation.Count:N0} validation / {test.Count:N0} test samples"));
        var training = ForecasterTrainer.Train(data, train, validation, config, panel.TickerCount,
            new TrainingOptions { Epochs = epochs, Seed = seed, Log = log, OnEpoch = onEpoch, CheckpointDirectory = checkpointDirectory, Cancellation = cancellation });
        var calibration = Calibrate(training.Model, data, validation);
        var metadata = new ForecasterMetadata(names, panel.Tickers, config.Window, config.Horizon, scaler, calibration, config,
            panel.Calendar[split.Train.End - 1]);
        var forecaster = new Forecaster(training.Model, metadata) { Reference = FeatureReference.Fit(raw, names, split.Train.Start, split.Train.End) };
        var (testMetrics, testSet) = Score(forecaster, data, train, validation, test, config);

        IReadOnlyList<ForecastMetrics>? walkMetrics = null;
        ForecastSet? walkSet = null;
        if (config.WalkForward && !quick && windows is { Count: > 0 })
            (walkMetrics, walkSet) = WalkForward(raw, targets, f, panel.TickerCount, windows, config, seed, log, permutationSeed);
        return new ForecastResult(forecaster, training, panel.Tickers, testMetrics, testSet, walkMetrics, walkSet);
    }

    /// <summary>
    /// Scores a saved forecaster on the test block of <paramref name="split"/> next to the baselines, normalising with
    /// the model's own scaler (no refit) and fitting the baselines on the training block.
    /// </summary>
    public static (IReadOnlyList<ForecastMetrics> Metrics, ForecastSet Forecasts) Evaluate(Forecaster forecaster, MarketPanel panel, TrainValidationTest split)
    {
        var m = forecaster.Metadata;
        var missing = m.Tickers.Where(t => !panel.Tickers.Contains(t)).ToList();
        if (missing.Count > 0) throw new ArgumentException($"the data lacks the model's tickers: {string.Join(", ", missing)}.", nameof(panel));
        panel = panel.SelectTickers(m.Tickers);
        var raw = ForecastFeatures.Compute(panel, m.Config.Indicators);
        var targets = ForecastFeatures.Targets(panel, m.Horizon);
        var data = new ForecastDataset(m.Scaler.Transform(raw), targets, m.Features.Count, m.Window, m.Horizon, m.Scaler.TargetStd);
        var (metrics, set) = Score(forecaster, data, data.Samples(split.Train), data.Samples(split.Validation), data.Samples(split.Test), m.Config);
        return (metrics, set);
    }

    private static (ForecastDataset, FeatureScaler) Prepare(float[][] raw, float[][] targets, int f, ForecasterConfig config, DateSplit train)
    {
        var scaler = FeatureScaler.Fit(raw, targets, f, train.Start, Math.Max(train.Start + 1, train.End - config.Horizon));
        return (new ForecastDataset(scaler.Transform(raw), targets, f, config.Window, config.Horizon, scaler.TargetStd), scaler);
    }

    private static PlattCalibration Calibrate(CnnLstmNet model, ForecastDataset data, IReadOnlyList<Sample> validation)
    {
        var (_, logits) = ForecasterTrainer.Outputs(model, data, validation);
        return PlattCalibration.Fit(logits.Select(l => (double)l).ToArray(), validation.Select(s => data.Targets[s.Ticker][s.Date] > 0 ? 1.0 : 0.0).ToArray());
    }

    private static (IReadOnlyList<ForecastMetrics>, ForecastSet) Score(Forecaster forecaster, ForecastDataset data,
        IReadOnlyList<Sample> train, IReadOnlyList<Sample> validation, IReadOnlyList<Sample> test, ForecasterConfig config)
    {
        var (r, l) = ForecasterTrainer.Outputs(forecaster.Net, data, test);
        var model = new double[test.Count];
        var prob = new double[test.Count];
        for (int i = 0; i < test.Count; i++)
        {
            var p = forecaster.Make(r[i], l[i]);
            model[i] = p.ExpectedReturn;
            prob[i] = p.ProbabilityUp;
        }

        var actual = test.Select(s => (double)data.Targets[s.Ticker][s.Date]).ToArray();
        var set = new ForecastSet(test, model, prob, actual);
        return (Baselines(data, train, validation, test, config, set), set);
    }

    /// <summary>The model's metrics followed by the zero, last-return and ridge baselines on the same samples.</summary>
    private static List<ForecastMetrics> Baselines(ForecastDataset data, IReadOnlyList<Sample> train, IReadOnlyList<Sample> validation,
        IReadOnlyList<Sample> test, ForecasterConfig config, ForecastSet model)
    {
        var dates = test.Select(s => s.Date).ToArray();
        var actual = model.Actual;
        double upRate = train.Count(s => data.Targets[s.Ticker][s.Date] > 0) / (double)train.Count;
        var validationUp = validation.Select(s => data.Targets[s.Ticker][s.Date] > 0 ? 1.0 : 0.0).ToArray();

        double Last(Sample s) => s.Date - config.Horizon >= 0 ? data.Targets[s.Ticker][s.Date - config.Horizon] : 0;
        var lastCal = PlattCalibration.Fit(validation.Select(s => Last(s) / data.TargetScale).ToArray(), validationUp);
        var last = test.Select(Last).Select(v => float.IsFinite((float)v) ? v : 0).ToArray();

        var ridge = RidgeBaseline.Fit(data, train, config.RidgeLambda);
        var ridgeCal = PlattCalibration.Fit(ridge.Predict(data, validation), validationUp);
        var ridgeScaled = ridge.Predict(data, test);

        return
        [
            ForecastMetrics.Compute("cnn-lstm", model.Predicted, model.Probability, actual, dates),
            ForecastMetrics.Compute("zero", new double[test.Count], Enumerable.Repeat(upRate, test.Count).ToArray(), actual, dates),
            ForecastMetrics.Compute("last-return", last, last.Select(v => lastCal.Probability(v / data.TargetScale)).ToArray(), actual, dates),
            ForecastMetrics.Compute("ridge", ridgeScaled.Select(v => v * data.TargetScale).ToArray(), ridgeScaled.Select(ridgeCal.Probability).ToArray(), actual, dates),
        ];
    }

    private static (IReadOnlyList<ForecastMetrics>, ForecastSet) WalkForward(float[][] raw, float[][] targets, int f, int tickers,
        IReadOnlyList<WalkForwardWindow> windows, ForecasterConfig config, int seed, TextWriter log, int? permutationSeed)
    {
        var sets = new List<(ForecastDataset Data, List<Sample> Train, List<Sample> Validation, List<Sample> Test, ForecastSet Model)>();
        var clock = Stopwatch.StartNew();
        for (int position = 0; position < windows.Count; position++)
        {
            var w = windows[position];
            int later = windows.Count - position - 1;
            var windowTargets = permutationSeed is { } ps
                ? TargetPermutation.Permute(targets, [w.Train, w.Validation], config.Horizon, unchecked(ps + w.Index + 1))
                : targets;
            var (data, scaler) = Prepare(raw, windowTargets, f, config, w.Train);
            var train = data.Samples(w.Train);
            var validation = data.Samples(w.Validation);
            var test = data.Samples(w.Test);
            if (train.Count == 0 || validation.Count == 0 || test.Count == 0) continue;
            string label = $"window {w.Index + 1}/{windows.Count}";
            log.WriteLine($"  walk-forward {label}: {train.Count:N0} train, {test.Count:N0} test samples");
            var windowClock = Stopwatch.StartNew();
            var training = ForecasterTrainer.Train(data, train, validation, config, tickers, new TrainingOptions
            {
                Epochs = config.Epochs, Seed = seed + w.Index + 1, Log = log, ProgressPrefix = $"    {label} ", LaterEpochs = later * config.Epochs,
            });
            var forecaster = new Forecaster(training.Model, new ForecasterMetadata(ForecastFeatures.NamesWith(config.Indicators), [], config.Window, config.Horizon, scaler,
                Calibrate(training.Model, data, validation), config, default));
            var (_, set) = Score(forecaster, data, train, validation, test, config);
            sets.Add((data, train, validation, test, set));
            forecaster.Dispose();
            log.WriteLine(WindowLine(label, training, windowClock.Elapsed, clock.Elapsed, position + 1, later));
        }

        // Stitch: concatenate every window's out-of-sample forecasts, model and baselines alike.
        var samples = sets.SelectMany(s => s.Test).ToList();
        var actual = sets.SelectMany(s => s.Model.Actual).ToArray();
        var dates = samples.Select(s => s.Date).ToArray();
        var stitched = new ForecastSet(samples, sets.SelectMany(s => s.Model.Predicted).ToArray(), sets.SelectMany(s => s.Model.Probability).ToArray(), actual);
        var metrics = new List<ForecastMetrics> { ForecastMetrics.Compute("cnn-lstm", stitched.Predicted, stitched.Probability, actual, dates) };
        foreach (var name in new[] { "zero", "last-return", "ridge" })
        {
            // Re-score each baseline over the stitched set from its per-window predictions.
            var pred = new List<double>();
            var prob = new List<double>();
            for (int i = 0; i < sets.Count; i++)
            {
                var (p, q) = BaselinePredictions(sets[i].Data, sets[i].Train, sets[i].Validation, sets[i].Test, config, name);
                pred.AddRange(p);
                prob.AddRange(q);
            }

            metrics.Add(ForecastMetrics.Compute(name, pred.ToArray(), prob.ToArray(), actual, dates));
        }

        return (metrics, stitched);
    }

    /// <summary>
    /// The line closing a walk-forward window: its best epoch and losses, its time, and the walk-forward's elapsed
    /// time and ETA (the mean time of the windows so far times the windows left).
    /// </summary>
    internal static string WindowLine(string label, TrainingResult training, TimeSpan window, TimeSpan elapsed, int done, int remaining)
    {
        var best = training.History.First(h => h.Epoch == training.BestEpoch);
        var last = training.History[^1];
        double eta = elapsed.TotalSeconds / done * remaining;
        return string.Create(CultureInfo.InvariantCulture,
            $"  walk-forward {label} done: {last.Epoch} epochs{(training.StoppedEarly ? " (stopped early)" : "")}, best {best.Epoch}  train {best.TrainLoss:F4}  val {best.ValidationLoss:F4}  {window.TotalSeconds:F1} s  elapsed {elapsed.TotalSeconds:F1} s  ETA {eta:F0} s");
    }

    private static (double[] Predicted, double[] Probability) BaselinePredictions(ForecastDataset data, List<Sample> train,
        List<Sample> validation, List<Sample> test, ForecasterConfig config, string name)
    {
        var validationUp = validation.Select(s => data.Targets[s.Ticker][s.Date] > 0 ? 1.0 : 0.0).ToArray();
        switch (name)
        {
            case "zero":
                double upRate = train.Count(s => data.Targets[s.Ticker][s.Date] > 0) / (double)train.Count;
                return (new double[test.Count], Enumerable.Repeat(upRate, test.Count).ToArray());
            case "last-return":
                double Last(Sample s) => s.Date - config.Horizon >= 0 && float.IsFinite(data.Targets[s.Ticker][s.Date - config.Horizon]) ? data.Targets[s.Ticker][s.Date - config.Horizon] : 0;
                var cal = PlattCalibration.Fit(validation.Select(s => Last(s) / data.TargetScale).ToArray(), validationUp);
                var last = test.Select(Last).ToArray();
                return (last, last.Select(v => cal.Probability(v / data.TargetScale)).ToArray());
            default:
                var ridge = RidgeBaseline.Fit(data, train, config.RidgeLambda);
                var rc = PlattCalibration.Fit(ridge.Predict(data, validation), validationUp);
                var scaled = ridge.Predict(data, test);
                return (scaled.Select(v => v * data.TargetScale).ToArray(), scaled.Select(rc.Probability).ToArray());
        }
    }
}
