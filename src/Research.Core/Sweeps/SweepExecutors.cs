namespace Research.Core.Sweeps;

/// <summary>
/// Chooses the executor of a sweep: local without a cluster address; with one (e.g. <c>redis://127.0.0.1:6379</c>)
/// the cluster executor factory registered in <see cref="ClusterFactory"/> (none is built into this library).
/// </summary>
public static class SweepExecutors
{
    /// <summary>Builds a cluster executor for an address; null while no cluster implementation is plugged in.</summary>
    public static Func<string, ISweepExecutor>? ClusterFactory { get; set; }

    /// <summary>The executor for <paramref name="cluster"/> (null: local).</summary>
    /// <exception cref="InvalidOperationException">A cluster is asked for and no implementation is registered.</exception>
    public static ISweepExecutor Resolve(string? cluster)
    {
        if (cluster is null) return new LocalSweepExecutor();
        if (ClusterFactory is { } factory) return factory(cluster);
        throw new InvalidOperationException(
            $"--cluster {cluster}: no cluster executor is available in this build (the distributed Orleans executor is not plugged in); run without --cluster to use the local executor.");
    }
}
