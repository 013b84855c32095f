namespace Research.Core.Configuration;

/// <summary>
/// An experiment: everything <c>research run</c> needs, read from <c>experiments/*.json</c>. Each pipeline stage
/// owns one section; a missing optional section means that stage runs with its defaults.
/// </summary>
public sealed record RunConfig
{
    /// <summary>A config this one extends (path relative to this file); resolved away by <see cref="ConfigLoader.Load"/>.</summary>
    public string? Extends { get; init; }

    /// <summary>Experiment name (the MLflow experiment and the run folder prefix).</summary>
    public string Name { get; init; } = "default";

    /// <summary>Seed for every random number generator in the run.</summary>
    public int Seed { get; init; } = 42;

    /// <summary>Quick mode: smaller models and fewer epochs, for CI and notebooks.</summary>
    public bool Quick { get; init; }

    /// <summary>Where results go: a folder, relative to the working directory.</summary>
    public string Output { get; init; } = "runs";

    /// <summary>Input data and its quality policy.</summary>
    public DataConfig Data { get; init; } = new();

    /// <summary>Train/validation/test split.</summary>
    public SplitConfig Split { get; init; } = new();

    /// <summary>Walk-forward windows.</summary>
    public WalkForwardConfig WalkForward { get; init; } = new();

    /// <summary>The event-driven backtests of the run's strategies.</summary>
    public BacktestConfig Backtest { get; init; } = new();

    /// <summary>Benchmark portfolios.</summary>
    public BenchmarkConfig Benchmarks { get; init; } = new();

    /// <summary>Technical indicators, turbulence and normalisation.</summary>
    public FeaturesConfig Features { get; init; } = new();

    /// <summary>The CNN+LSTM forecaster.</summary>
    public ForecasterConfig Forecaster { get; init; } = new();

    /// <summary>Reinforcement-learning agents and FinRL's ensemble on the hybrid environment.</summary>
    public RlConfig Rl { get; init; } = new();

    /// <summary>Checks every setting; throws <see cref="ConfigException"/> naming the first bad one.</summary>
    public RunConfig Validate()
    {
        if (string.IsNullOrWhiteSpace(Name)) throw new ConfigException("name", "must not be empty.");
        Data.Validate("data");
        Split.Validate("split");
        WalkForward.Validate("walkForward");
        Benchmarks.Validate("benchmarks");
        Backtest.Validate("backtest");
        Features.Validate("features");
        Forecaster.Validate("forecaster");
        Rl.Validate("rl");
        return this;
    }
}
