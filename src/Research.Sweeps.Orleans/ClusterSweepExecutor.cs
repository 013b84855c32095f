using Research.Core.Sweeps;

namespace Research.Sweeps.Orleans;

/// <summary>
/// The <see cref="ISweepExecutor"/> behind <c>research sweep --cluster</c>: runs the sweep with
/// <see cref="OrleansSweepExecutor"/> on the cluster at <paramref name="cluster"/>, shipping the sweep file to the
/// workers (<see cref="SweepObjectiveSpec"/>) with the objective's content hash. The sweep's name is its id in the
/// cluster, so two sweeps of the same name cannot run on one cluster at once.
/// </summary>
/// <param name="cluster">The cluster (<c>redis://host:port</c> or <c>localhost://address:port</c>).</param>
/// <param name="log">Where refusals by workers are reported (null: nowhere).</param>
public sealed class ClusterSweepExecutor(string cluster, TextWriter? log) : ISweepExecutor
{
    /// <summary>Registers this executor as <see cref="SweepExecutors.ClusterFactory"/>.</summary>
    public static void Register(TextWriter? log) => SweepExecutors.ClusterFactory = uri =>
    {
        ClusterConnection.Parse(uri); // a malformed address fails here, before anything runs
        return new ClusterSweepExecutor(uri, log);
    };

    /// <inheritdoc />
    public Task<SweepResult> RunAsync(SweepExecution execution, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(execution);
        var options = new OrleansSweepOptions
        {
            Cluster = new SweepClusterOptions { Connection = cluster },
            SweepId = execution.Sweep.Name,
            ObjectiveSpec = SweepObjectiveSpec.Write(execution),
            DataHash = execution.Objective.ContentHash,
            OnWorkerRefused = reason => log?.WriteLine($"worker refused sweep {execution.Sweep.Name}: {reason}"),
            OnTrialLeased = (trial, _) => execution.OnTrialStarted(trial),
        };
        return new OrleansSweepExecutor(execution.Searcher, execution.Scheduler, execution.Options, options).RunAsync(ct);
    }
}
