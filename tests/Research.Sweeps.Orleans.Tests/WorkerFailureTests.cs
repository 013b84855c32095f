using Research.Core.Sweeps;

namespace Research.Sweeps.Orleans.Tests;

/// <summary>Workers that leave mid-trial: the trial is re-queued and finished elsewhere, once.</summary>
public sealed class WorkerFailureTests
{
    [Fact]
    public async Task A_worker_stopped_mid_trial_returns_it_and_the_other_worker_completes_it()
    {
        const int trials = 6;
        var space = SyntheticObjectives.Create("branin").Space;
        var expected = Sweeps.Local(new RandomSearch(space, OptimizationMode.Min, seed: 4), new FifoScheduler(), "branin", trials);
        var sweep = Sweeps.Options(FreePort.LocalhostCluster(), "branin");
        var log = new RunLog();
        using var started = new ManualResetEventSlim();
        double Hang(Trial trial, ITrialReporter reporter, CancellationToken ct, double value)
        {
            started.Set();
            Task.Delay(Timeout.Infinite, ct).GetAwaiter().GetResult();
            return value;
        }
        await using var workers = new WorkerGroup();
        var run = new OrleansSweepExecutor(new RandomSearch(space, OptimizationMode.Min, seed: 4), new FifoScheduler(),
            new ExecutorOptions { MaxTrials = trials, MaxConcurrency = 1, OnTrialFinished = log.Finished }, sweep).RunAsync();
        int leaving = workers.Start(sweep.Cluster, 1, log.Resolver("leaving", wrap: Hang));
        Assert.True(started.Wait(TimeSpan.FromSeconds(30)), "the leaving worker started a trial");
        workers.Start(sweep.Cluster, 1, log.Resolver("staying"));
        await workers.StopAsync(leaving);
        var result = await run.WaitAsync(TimeSpan.FromSeconds(60));

        var (_, interrupted) = Assert.Single(log.Starts, s => s.Worker == "leaving");
        Assert.Contains(("staying", interrupted), log.Starts);
        Sweeps.AssertSameTrials(expected, result);
        Assert.All(result.Trials, t => Assert.Equal(TrialState.Completed, t.State));
        Assert.Equal(trials, log.FinishCounts.Count);
        Assert.All(log.FinishCounts.Values, n => Assert.Equal(1, n));
    }
}
