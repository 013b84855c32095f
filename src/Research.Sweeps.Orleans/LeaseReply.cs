namespace Research.Sweeps.Orleans;

/// <summary>The answer to a lease request: the status and, when granted, the lease.</summary>
[GenerateSerializer, Immutable]
internal sealed record LeaseReply([property: Id(0)] LeaseStatus Status, [property: Id(1)] TrialLease? Lease = null);
