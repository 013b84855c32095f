using Orleans.Concurrency;
using Orleans.Runtime;

namespace Research.Sweeps.Orleans;

/// <summary>Forwards a sweep's calls to its <see cref="SweepCoordinator"/> in this (the coordinator's) silo. Reentrant:
/// the coordinator is thread-safe and lease requests may wait.</summary>
[CoordinatorPlacement, Reentrant]
internal sealed class SweepCoordinatorGrain(CoordinatorRegistry registry) : Grain, ISweepCoordinatorGrain
{
    private SweepCoordinator Coordinator => registry.Get(this.GetPrimaryKeyString())
        ?? throw new InvalidOperationException($"This silo does not coordinate sweep \"{this.GetPrimaryKeyString()}\".");

    /// <inheritdoc />
    public Task<LeaseReply> Lease(string workerId, SiloAddress silo, TimeSpan wait) => Coordinator.LeaseAsync(workerId, silo, wait);

    /// <inheritdoc />
    public Task<LeaseDecision> Report(Guid leaseId, int step, double value) => Task.FromResult(Coordinator.Report(leaseId, step, value));

    /// <inheritdoc />
    public Task<bool> Heartbeat(Guid leaseId) => Task.FromResult(Coordinator.Heartbeat(leaseId));

    /// <inheritdoc />
    public Task<bool> Complete(Guid leaseId, TrialOutcome outcome) => Task.FromResult(Coordinator.Complete(leaseId, outcome));

    /// <inheritdoc />
    public Task Return(Guid leaseId, string reason)
    {
        Coordinator.Return(leaseId, reason);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task Refuse(Guid leaseId, string workerId, string reason)
    {
        Coordinator.Refuse(leaseId, workerId, reason);
        return Task.CompletedTask;
    }
}
