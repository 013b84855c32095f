using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Runtime;
using Research.Core.Sweeps;

namespace Research.Sweeps.Orleans;

/// <summary>Runs a sweep on an Orleans cluster: this process is a silo (named after the sweep, with no worker slots)
/// hosting the sweep's coordinator grain, running the searcher and the scheduler like <see cref="LocalExecutor"/>;
/// worker silos (<see cref="SweepWorker"/>) lease trials, report intermediate results and complete them. With a state
/// directory every change is persisted, and a later run with the same directory resumes like
/// <see cref="LocalExecutor"/>'s.</summary>
/// <param name="searcher">Suggests the trials; only this process touches it.</param>
/// <param name="scheduler">Decides on each intermediate result reported by the workers.</param>
/// <param name="options">Budget, cluster-wide concurrency cap, state directory and finish callback, as for
/// <see cref="LocalExecutor"/>.</param>
/// <param name="sweep">Cluster, sweep id, what the workers run and the lease timings.</param>
public sealed class OrleansSweepExecutor(ISearcher searcher, IScheduler scheduler, ExecutorOptions options, OrleansSweepOptions sweep)
{
    /// <summary>Runs until <see cref="ExecutorOptions.MaxTrials"/> trials have finished (or the searcher is exhausted).
    /// <see cref="ExecutorOptions.MaxConcurrency"/> caps the trials out on workers at once, cluster-wide. On
    /// cancellation the state is saved (trials out on workers stay <see cref="TrialState.Running"/>), the silo leaves
    /// the cluster and <see cref="OperationCanceledException"/> is thrown.</summary>
    public async Task<SweepResult> RunAsync(CancellationToken ct = default)
    {
        var coordinator = new SweepCoordinator(searcher, scheduler, options, sweep);
        using var host = SiloHostFactory.Build(sweep.Cluster, SiloNames.Coordinator(sweep.SweepId), coordinator: true);
        host.Services.GetRequiredService<CoordinatorRegistry>().Add(sweep.SweepId, coordinator);
        await host.StartAsync(ct).ConfigureAwait(false);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var membership = host.Services.GetRequiredService<IClusterMembershipService>();
        var watchers = Task.WhenAll(ExpireLoop(coordinator, stop.Token), WatchMembership(coordinator, membership, stop.Token));
        try
        {
            await coordinator.Finished.WaitAsync(ct).ConfigureAwait(false);
        }
        finally
        {
            coordinator.Close();
            await stop.CancelAsync().ConfigureAwait(false);
            await watchers.ConfigureAwait(false);
            await host.StopAsync(CancellationToken.None).ConfigureAwait(false);
        }
        return coordinator.Result();
    }

    private async Task ExpireLoop(SweepCoordinator coordinator, CancellationToken ct)
    {
        var period = TimeSpan.FromTicks(Math.Max(sweep.LeaseTimeout.Ticks / 4, TimeSpan.FromMilliseconds(50).Ticks));
        using var timer = new PeriodicTimer(period);
        try
        {
            while (await timer.WaitForNextTickAsync(ct).ConfigureAwait(false)) coordinator.ExpireLeases();
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }

    private static async Task WatchMembership(SweepCoordinator coordinator, IClusterMembershipService membership, CancellationToken ct)
    {
        try
        {
            await foreach (var snapshot in membership.MembershipUpdates.WithCancellation(ct).ConfigureAwait(false))
            {
                var dead = snapshot.Members.Values.Where(m => m.Status == SiloStatus.Dead).Select(m => m.SiloAddress).ToHashSet();
                if (dead.Count > 0) coordinator.DropSilos(dead);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }
}
