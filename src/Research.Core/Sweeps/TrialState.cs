namespace Research.Core.Sweeps;

/// <summary>Lifecycle of a trial.</summary>
public enum TrialState
{
    /// <summary>Suggested and not finished (an interrupted sweep re-runs these on resume).</summary>
    Running,

    /// <summary>The objective returned its final value.</summary>
    Completed,

    /// <summary>Stopped early by the scheduler; the value is the last one reported.</summary>
    Killed,

    /// <summary>The objective threw.</summary>
    Failed,
}
