using System.Net;
using Orleans.Runtime;
using Research.Core.Sweeps;

namespace Research.Sweeps.Orleans.Tests;

/// <summary>The coordinator's lease bookkeeping without a cluster: a trial is finished once, by its current lease.</summary>
public sealed class CoordinatorTests
{
    private static readonly SiloAddress SiloA = SiloAddress.New(new IPEndPoint(IPAddress.Loopback, 40001), 1);
    private static readonly SiloAddress SiloB = SiloAddress.New(new IPEndPoint(IPAddress.Loopback, 40002), 1);

    private static SweepCoordinator Coordinator(int maxTrials, TimeSpan leaseTimeout) =>
        new(new RandomSearch(SyntheticObjectives.Create("branin").Space, OptimizationMode.Min, seed: 1), new FifoScheduler(),
            new ExecutorOptions { MaxTrials = maxTrials, MaxConcurrency = 1 },
            Sweeps.Options("localhost://127.0.0.1:1", "branin") with { LeaseTimeout = leaseTimeout });

    private static async Task<TrialLease> Lease(SweepCoordinator c, string worker, SiloAddress silo)
    {
        var reply = await c.LeaseAsync(worker, silo, TimeSpan.Zero);
        Assert.Equal(LeaseStatus.Granted, reply.Status);
        return reply.Lease!;
    }

    [Fact]
    public async Task An_expired_lease_is_requeued_and_its_late_calls_are_ignored()
    {
        var c = Coordinator(maxTrials: 1, leaseTimeout: TimeSpan.FromMilliseconds(100));
        var first = await Lease(c, "a", SiloA);
        Assert.Equal(LeaseDecision.Continue, c.Report(first.LeaseId, 1, 5.0));
        Assert.Equal(LeaseStatus.Wait, (await c.LeaseAsync("b", SiloB, TimeSpan.Zero)).Status);
        await Task.Delay(300);
        Assert.Equal(1, c.ExpireLeases());

        var second = await Lease(c, "b", SiloB);
        Assert.Equal(first.TrialId, second.TrialId);
        Assert.NotEqual(first.LeaseId, second.LeaseId);
        Assert.False(c.Complete(first.LeaseId, new TrialOutcome(TrialState.Completed, 1.0)));
        Assert.Equal(LeaseDecision.Lost, c.Report(first.LeaseId, 2, 4.0));
        Assert.False(c.Heartbeat(first.LeaseId));
        Assert.False(c.Finished.IsCompleted);

        Assert.True(c.Complete(second.LeaseId, new TrialOutcome(TrialState.Completed, 2.0)));
        Assert.False(c.Complete(second.LeaseId, new TrialOutcome(TrialState.Completed, 3.0)));
        Assert.True(c.Finished.IsCompleted);
        var trial = Assert.Single(c.Result().Trials);
        Assert.Equal((TrialState.Completed, 2.0), (trial.State, trial.Value));
        Assert.Empty(trial.Intermediate);
        Assert.Equal(LeaseStatus.Done, (await c.LeaseAsync("a", SiloA, TimeSpan.Zero)).Status);
    }

    [Fact]
    public async Task Leases_on_a_dead_silo_are_requeued_and_a_heartbeated_lease_is_kept()
    {
        var c = Coordinator(maxTrials: 2, leaseTimeout: TimeSpan.FromMilliseconds(200));
        var onA = await Lease(c, "a", SiloA);
        Assert.Equal(0, c.DropSilos(new HashSet<SiloAddress> { SiloB }));
        for (int i = 0; i < 4; i++)
        {
            await Task.Delay(100);
            Assert.True(c.Heartbeat(onA.LeaseId));
            Assert.Equal(0, c.ExpireLeases());
        }
        Assert.Equal(1, c.DropSilos(new HashSet<SiloAddress> { SiloA }));
        var again = await Lease(c, "b", SiloB);
        Assert.Equal(onA.TrialId, again.TrialId);
        Assert.False(c.Heartbeat(onA.LeaseId));
    }

    [Fact]
    public async Task A_refusing_worker_is_barred_and_its_trial_goes_to_the_next_worker()
    {
        var c = Coordinator(maxTrials: 1, leaseTimeout: TimeSpan.FromSeconds(10));
        var refused = await Lease(c, "stale", SiloA);
        c.Refuse(refused.LeaseId, "stale", "data hash mismatch");
        Assert.Equal(LeaseStatus.Done, (await c.LeaseAsync("stale", SiloA, TimeSpan.Zero)).Status);
        Assert.Equal(refused.TrialId, (await Lease(c, "fresh", SiloB)).TrialId);
        Assert.Equal(["data hash mismatch"], c.Refusals);
    }

    [Fact]
    public async Task A_scheduler_stop_finishes_the_trial_killed_with_its_last_report()
    {
        var c = new SweepCoordinator(new RandomSearch(SyntheticObjectives.Create("branin").Space, OptimizationMode.Min, seed: 1),
            new AshaScheduler(OptimizationMode.Min, maxT: 9, gracePeriod: 1, reductionFactor: 3),
            new ExecutorOptions { MaxTrials = 2, MaxConcurrency = 1 }, Sweeps.Options("localhost://127.0.0.1:1", "branin"));
        var good = await Lease(c, "a", SiloA);
        Assert.Equal(LeaseDecision.Continue, c.Report(good.LeaseId, 1, 1.0));
        Assert.True(c.Complete(good.LeaseId, new TrialOutcome(TrialState.Completed, 0.5)));
        var bad = await Lease(c, "a", SiloA);
        Assert.Equal(LeaseDecision.Stop, c.Report(bad.LeaseId, 1, 7.0));
        Assert.Equal(LeaseDecision.Stop, c.Report(bad.LeaseId, 2, 6.0));
        Assert.True(c.Complete(bad.LeaseId, new TrialOutcome(TrialState.Killed, double.NaN)));
        var killed = c.Result().Trials[1];
        Assert.Equal((TrialState.Killed, 7.0, 1), (killed.State, killed.Value, killed.Step));
        Assert.True(c.Finished.IsCompleted);
    }
}
