namespace Research.Core.Sweeps;

/// <summary>Where an objective reports intermediate results. After <see cref="SchedulerDecision.Stop"/> the trial's
/// cancellation token is cancelled and the trial ends as <see cref="TrialState.Killed"/> whatever the objective then
/// does.</summary>
public interface ITrialReporter
{
    /// <summary>Reports the value at <paramref name="step"/> (1, 2, …) and returns the scheduler's decision.</summary>
    SchedulerDecision Report(int step, double value);
}
