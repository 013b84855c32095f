namespace Research.Core.Sweeps;

/// <summary>Never stops a trial: every trial runs to its end.</summary>
public sealed class FifoScheduler : IScheduler
{
    /// <inheritdoc />
    public SchedulerDecision OnResult(int trialId, int step, double value) => SchedulerDecision.Continue;
}
