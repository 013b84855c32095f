using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Runtime;
using Research.Core.Sweeps;

namespace Research.Sweeps.Orleans;

/// <summary>A worker silo: joins the cluster, discovers the sweeps whose coordinators are in it, and runs up to
/// <c>slots</c> of their trials at once.</summary>
public static class SweepWorker
{
    /// <summary>Runs a worker on the cluster at <paramref name="clusterUri"/> (<c>redis://host:port</c> or
    /// <c>localhost://address:port</c>, default cluster id) until <paramref name="ct"/> is cancelled.</summary>
    /// <inheritdoc cref="RunAsync(SweepClusterOptions, int, Func{string, ValueTuple{Func{Trial, ITrialReporter, CancellationToken, double}, string}}, CancellationToken)"/>
    public static Task RunAsync(string clusterUri, int slots,
        Func<string, (Func<Trial, ITrialReporter, CancellationToken, double> Objective, string DataHash)> resolve, CancellationToken ct) =>
        RunAsync(new SweepClusterOptions { Connection = clusterUri }, slots, resolve, ct);

    /// <summary>Runs a worker on <paramref name="cluster"/> until <paramref name="ct"/> is cancelled. Each sweep's
    /// objective spec is resolved once by <paramref name="resolve"/>; a sweep whose data hash differs from the resolved
    /// one (or whose spec does not resolve) is refused, not run. On cancellation the worker drains: running trials are
    /// cancelled and returned to their coordinator (re-queued), then the silo leaves the cluster and the task completes
    /// (cancellation is the way to stop a worker, not an error).</summary>
    /// <param name="cluster">The cluster to join.</param>
    /// <param name="slots">Trials run at once (≥ 1).</param>
    /// <param name="resolve">Objective spec → the objective and the content hash of the data it uses.</param>
    /// <param name="ct">Stops the worker.</param>
    public static async Task RunAsync(SweepClusterOptions cluster, int slots,
        Func<string, (Func<Trial, ITrialReporter, CancellationToken, double> Objective, string DataHash)> resolve, CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(slots, 1);
        string workerId = SiloNames.Worker();
        using var host = SiloHostFactory.Build(cluster, workerId, coordinator: false);
        try
        {
            await host.StartAsync(ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            return;
        }
        try
        {
            var runtime = new WorkerRuntime(workerId,
                host.Services.GetRequiredService<IGrainFactory>(),
                host.Services.GetRequiredService<IClusterMembershipService>(),
                host.Services.GetRequiredService<ILocalSiloDetails>().SiloAddress,
                resolve,
                host.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(SweepWorker)));
            var slotTasks = Enumerable.Range(0, slots).Select(i => Task.Run(() => runtime.RunSlotAsync(i, ct), CancellationToken.None));
            await Task.WhenAll(slotTasks).ConfigureAwait(false);
        }
        finally
        {
            await host.StopAsync(CancellationToken.None).ConfigureAwait(false);
        }
    }
}
