using Orleans.Runtime;

namespace Research.Sweeps.Orleans;

/// <summary>A sweep's coordinator, keyed by sweep id: the grain workers talk to. It lives on the coordinator silo of
/// its sweep (<see cref="CoordinatorPlacement"/>) and forwards to the <see cref="SweepCoordinator"/> there.</summary>
internal interface ISweepCoordinatorGrain : IGrainWithStringKey
{
    /// <summary>Leases the next trial to <paramref name="workerId"/> on <paramref name="silo"/>, waiting up to
    /// <paramref name="wait"/> for one to become available.</summary>
    Task<LeaseReply> Lease(string workerId, SiloAddress silo, TimeSpan wait);

    /// <summary>Records an intermediate result of a leased trial and returns the scheduler's decision.</summary>
    Task<LeaseDecision> Report(Guid leaseId, int step, double value);

    /// <summary>Keeps a lease alive; false when it is no longer valid.</summary>
    Task<bool> Heartbeat(Guid leaseId);

    /// <summary>Finishes a leased trial; false (and ignored) when the lease is no longer valid.</summary>
    Task<bool> Complete(Guid leaseId, TrialOutcome outcome);

    /// <summary>Gives a leased trial back unrun or interrupted (a draining worker): it is re-queued.</summary>
    Task Return(Guid leaseId, string reason);

    /// <summary>Refuses a leased trial (the worker cannot run this sweep, e.g. a data hash mismatch): it is re-queued,
    /// the worker gets no more trials of this sweep and the reason is reported to the sweep's owner.</summary>
    Task Refuse(Guid leaseId, string workerId, string reason);
}
