using Research.Core.Tracking;

namespace Research.Core.Sweeps;

/// <summary>How <see cref="SweepRunner"/> runs a sweep; unset overrides keep the sweep file's values.</summary>
public sealed record SweepRunOptions
{
    /// <summary>Overrides <c>algorithm</c> (grid, random, tpe).</summary>
    public string? Algorithm { get; init; }

    /// <summary>Overrides <c>seed</c>.</summary>
    public int? Seed { get; init; }

    /// <summary>Overrides <c>num_samples</c> (also over the quick cap).</summary>
    public int? NumSamples { get; init; }

    /// <summary>Quick smoke budget: at most <see cref="SweepRunner.QuickSamples"/> trials and, for a pipeline
    /// objective, the config's quick mode (<c>forecaster.quickEpochs</c> epochs on <c>forecaster.quickTickers</c> tickers).</summary>
    public bool Quick { get; init; }

    /// <summary>Continue the sweep in the sweep folder (without it an existing state is an error).</summary>
    public bool Resume { get; init; }

    /// <summary>Parent of the sweep folder, which is <c>&lt;OutputRoot&gt;/&lt;sweep name&gt;</c>.</summary>
    public string OutputRoot { get; init; } = SweepRunner.DefaultOutputRoot;

    /// <summary>Where to log (null: no MLflow logging).</summary>
    public Tracker? Tracker { get; init; }

    /// <summary>Where trials run (null: this process).</summary>
    public ISweepExecutor? Executor { get; init; }

    /// <summary>A C# objective instead of the sweep file's (e.g. from a notebook); null: <see cref="SweepObjectives.Create"/>.</summary>
    public SweepObjective? Objective { get; init; }

    /// <summary>Progress lines go here (null: none).</summary>
    public TextWriter? Progress { get; init; }

    /// <summary>Time between progress lines while no trial finishes (a line is also printed when one does, at most one a second).</summary>
    public TimeSpan ProgressInterval { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>Called after each trial is finished and logged.</summary>
    public Action<TrialRecord>? OnTrialFinished { get; init; }
}
