namespace Research.Sweeps.Orleans;

/// <summary>A trial handed to a worker: the lease id every later call names, the trial, what to run it with and how
/// often to heartbeat.</summary>
[GenerateSerializer, Immutable]
internal sealed record TrialLease(
    [property: Id(0)] Guid LeaseId,
    [property: Id(1)] int TrialId,
    [property: Id(2)] Dictionary<string, object> Parameters,
    [property: Id(3)] string ObjectiveSpec,
    [property: Id(4)] string DataHash,
    [property: Id(5)] TimeSpan HeartbeatInterval);
