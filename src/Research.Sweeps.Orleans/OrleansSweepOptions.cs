namespace Research.Sweeps.Orleans;

/// <summary>The distributed part of a sweep's settings (the rest is <see cref="Research.Core.Sweeps.ExecutorOptions"/>).</summary>
public sealed record OrleansSweepOptions
{
    /// <summary>The cluster the coordinator silo joins.</summary>
    public required SweepClusterOptions Cluster { get; init; }

    /// <summary>The sweep's id, unique in the cluster while it runs: workers find the sweep by it, and a restarted
    /// coordinator keeps it.</summary>
    public required string SweepId { get; init; }

    /// <summary>What workers run, resolved by each worker's resolver (e.g. a synthetic objective's name or a config
    /// path).</summary>
    public required string ObjectiveSpec { get; init; }

    /// <summary>Content hash of the data the objective trains on; a worker whose resolved hash differs refuses the
    /// sweep instead of running it.</summary>
    public required string DataHash { get; init; }

    /// <summary>How often workers heartbeat a leased trial.</summary>
    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>A lease not heartbeated for this long is dropped and its trial re-queued.</summary>
    public TimeSpan LeaseTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Called when a worker refuses the sweep (data hash mismatch, objective not resolvable), with the
    /// reason.</summary>
    public Action<string>? OnWorkerRefused { get; init; }

    /// <summary>Called with a trial's id and the worker's id each time a worker leases a trial (for progress).</summary>
    public Action<int, string>? OnTrialLeased { get; init; }
}
