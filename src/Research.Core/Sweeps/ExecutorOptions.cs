namespace Research.Core.Sweeps;

/// <summary>Settings of <see cref="LocalExecutor"/>.</summary>
public sealed record ExecutorOptions
{
    /// <summary>Trials in the sweep, finished ones of a resumed run included.</summary>
    public int MaxTrials { get; init; } = 20;

    /// <summary>Trials run at once (default: the processor count).</summary>
    public int MaxConcurrency { get; init; } = Environment.ProcessorCount;

    /// <summary>Folder of the state file; null: nothing persisted, no resume.</summary>
    public string? StateDirectory { get; init; }

    /// <summary>Called (serialised) after each trial finishes and the state is saved.</summary>
    public Action<TrialRecord>? OnTrialFinished { get; init; }
}
