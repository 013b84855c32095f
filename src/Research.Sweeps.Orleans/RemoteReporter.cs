using Research.Core.Sweeps;

namespace Research.Sweeps.Orleans;

/// <summary>A worker-side <see cref="ITrialReporter"/>: each result goes to the coordinator grain, and a stop (or a lost
/// lease) cancels the trial's token.</summary>
internal sealed class RemoteReporter(ISweepCoordinatorGrain coordinator, Guid leaseId, CancellationTokenSource trialCts) : ITrialReporter
{
    private volatile bool _killed;
    private volatile bool _lost;

    /// <summary>Whether the scheduler stopped the trial.</summary>
    public bool Killed => _killed;

    /// <summary>Whether the lease was dropped: the result must not be sent.</summary>
    public bool Lost => _lost;

    /// <inheritdoc />
    public SchedulerDecision Report(int step, double value)
    {
        if (_killed || _lost) return SchedulerDecision.Stop;
        LeaseDecision decision;
        try
        {
            decision = coordinator.Report(leaseId, step, value).GetAwaiter().GetResult();
        }
        catch (Exception)
        {
            decision = LeaseDecision.Lost;
        }
        switch (decision)
        {
            case LeaseDecision.Continue: return SchedulerDecision.Continue;
            case LeaseDecision.Stop: _killed = true; break;
            default: _lost = true; break;
        }
        trialCts.Cancel();
        return SchedulerDecision.Stop;
    }

    /// <summary>Marks the lease dropped (a heartbeat said so) and cancels the trial.</summary>
    public void MarkLost()
    {
        _lost = true;
        trialCts.Cancel();
    }
}
