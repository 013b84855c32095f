using Research.Core.Backtesting;
using Research.Core.Configuration;
using Research.Core.Data;
using Research.Core.Data.Splits;

using Research.Core.IO;

namespace Research.Core.Pipeline;

/// <summary>What the stages of a run share: the config, the output folder, the log, and each stage's results.</summary>
public sealed class RunContext
{
    /// <summary>Creates the context of one run.</summary>
    public RunContext(RunConfig config, string configPath, string runDirectory, TextWriter log)
    {
        Config = config;
        ConfigPath = configPath;
        RunDirectory = runDirectory;
        Log = log;
    }

    /// <summary>The validated config.</summary>
    public RunConfig Config { get; }

    /// <summary>The config file the run came from.</summary>
    public string ConfigPath { get; }

    /// <summary>The folder this run writes its artifacts to.</summary>
    public string RunDirectory { get; }

    /// <summary>Progress and summaries go here.</summary>
    public TextWriter Log { get; }

    /// <summary>The loaded data (set by the data stage).</summary>
    public MarketData? Data { get; set; }

    /// <summary>The train/validation/test split (set by the split stage).</summary>
    public TrainValidationTest? Split { get; set; }

    /// <summary>Walk-forward windows (set by the split stage).</summary>
    public IReadOnlyList<WalkForwardWindow>? Windows { get; set; }

    /// <summary>The market index on the panel calendar, when the config names one.</summary>
    public double[]? BenchmarkIndex { get; set; }

    /// <summary>The event-driven backtests of the run, by curve name (set by the backtest stage).</summary>
    public Dictionary<string, Backtesting.BacktestResult> Backtests { get; } = new(StringComparer.Ordinal);

    /// <summary>
    /// Model signals for the backtest stage to trade, besides the forecaster's own (which it adds itself): a model stage
    /// that runs before it registers its signals here.
    /// </summary>
    public List<Backtesting.Strategies.SignalSource> SignalSources { get; } = [];

    /// <summary>
    /// Strategies that trade themselves (e.g. the RL agents), registered by a stage before the backtest stage; it runs
    /// them over the test block with the same options as the signal strategies.
    /// </summary>
    public List<Backtesting.IStrategy> Strategies { get; } = [];

    /// <summary>
    /// Per curve: the per-period Sharpe ratios of every configuration tried to arrive at it (its count is N, their
    /// variance V of the deflated Sharpe ratio). Curves not listed are one trial.
    /// </summary>
    public Dictionary<string, double[]> Trials { get; } = new(StringComparer.Ordinal);

    /// <summary>Features after normalisation (fitted on the train block), set by the features stage.</summary>
    public Features.FeatureSet? Features { get; set; }

    /// <summary>Features before normalisation, set by the features stage.</summary>
    public Features.FeatureSet? RawFeatures { get; set; }

    /// <summary>Every strategy and benchmark curve over the test block, in the order they were added.</summary>
    public List<EquityCurve> TestCurves { get; } = [];

    /// <summary>Name of the curve in <see cref="TestCurves"/> that is the market benchmark (alpha, beta and the tearsheet's reference), if any.</summary>
    public string? BenchmarkCurve { get; set; }

    /// <summary>Name of the curve the run is about (the tearsheet's subject); the first non-benchmark curve when unset.</summary>
    public string? PrimaryCurve { get; set; }

    /// <summary>Full performance reports of every curve over the test block (set by the summary stage).</summary>
    public Dictionary<string, Evaluation.PerformanceReport> Reports { get; } = new(StringComparer.Ordinal);

    /// <summary>The MLflow tracker the run logs to, or null for an untracked run.</summary>
    public Tracking.Tracker? Tracker { get; init; }

    /// <summary>The run's parent MLflow run (set by the pipeline when <see cref="Tracker"/> is set).</summary>
    public Tracking.ActiveRun? TrackedRun { get; set; }

    /// <summary>The nested MLflow run of the stage in progress, for per-step metrics (e.g. per epoch).</summary>
    public Tracking.ActiveRun? StageRun { get; set; }

    /// <summary>The shuffled-target probe's permutation seed (<see cref="ForecasterConfig.ShuffleTargetSeed"/>); null: a normal run.</summary>
    public int? ShuffleTargetSeed => Config.Forecaster.ShuffleTargetSeed;

    /// <summary>Called after each forecaster training epoch (e.g. a sweep trial reporting to its scheduler).</summary>
    public Action<Models.EpochReport>? OnForecastEpoch { get; init; }

    /// <summary>Cancels the run's long loops (forecaster training stops between batches).</summary>
    public CancellationToken Cancellation { get; init; }

    /// <summary>The forecaster and its out-of-sample forecasts (set by the forecast stage).</summary>
    public Models.ForecastResult? Forecast { get; set; }

    /// <summary>Numbers worth keeping from each stage (stage.metric → value), for the run summary and the tracker.</summary>
    public Dictionary<string, double> Metrics { get; } = new(StringComparer.Ordinal);

    /// <summary>Artifacts written by the stages, relative to <see cref="RunDirectory"/>.</summary>
    public List<string> Artifacts { get; } = [];

    /// <summary>Provider credentials from .NET user secrets (the environment variables take precedence), or null.</summary>
    public IDictionary<string, string?>? Secrets { get; init; }

    /// <summary>Bars per year of the loaded data (252 for daily bars; 252 × bars per session intraday), for annualising.</summary>
    public int PeriodsPerYear => Data is null ? 252 : (int)Data.Panel.Calendar.PeriodsPerYear;

    /// <summary>The loaded data; throws when the data stage has not run.</summary>
    public MarketData RequireData() => Data ?? throw new InvalidOperationException("The data stage has not run.");

    /// <summary>The split, or an error saying the split stage has not run.</summary>
    public TrainValidationTest RequireSplit() => Split ?? throw new InvalidOperationException("The split stage has not run.");

    /// <summary>Writes <paramref name="content"/> to <paramref name="relativePath"/> in the run folder atomically and records it.</summary>
    public string WriteArtifact(string relativePath, string content)
    {
        string path = Path.Combine(RunDirectory, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        AtomicFile.WriteAllText(path, content);
        Artifacts.Add(relativePath);
        return path;
    }
}
