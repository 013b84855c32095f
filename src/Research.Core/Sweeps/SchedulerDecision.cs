namespace Research.Core.Sweeps;

/// <summary>What a scheduler tells a trial after an intermediate result.</summary>
public enum SchedulerDecision
{
    /// <summary>Keep training.</summary>
    Continue,

    /// <summary>Stop now; the trial ends as <see cref="TrialState.Killed"/>.</summary>
    Stop,
}
