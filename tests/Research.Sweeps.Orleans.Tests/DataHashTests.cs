using Research.Core.Sweeps;

namespace Research.Sweeps.Orleans.Tests;

/// <summary>A worker whose data differs from the sweep's refuses it instead of running trials on the wrong data.</summary>
public sealed class DataHashTests
{
    [Fact]
    public async Task A_worker_with_another_data_hash_refuses_and_runs_nothing_while_a_matching_worker_runs_the_sweep()
    {
        var sweep = Sweeps.Options(FreePort.LocalhostCluster(), "branin", dataHash: "sha256:aaaa");
        var refusals = new List<string>();
        using var refused = new ManualResetEventSlim();
        sweep = sweep with
        {
            OnWorkerRefused = reason =>
            {
                lock (refusals) refusals.Add(reason);
                refused.Set();
            },
        };
        var log = new RunLog();
        var space = SyntheticObjectives.Create("branin").Space;
        var run = new OrleansSweepExecutor(new RandomSearch(space, OptimizationMode.Min, seed: 2), new FifoScheduler(),
            new ExecutorOptions { MaxTrials = 6, MaxConcurrency = 2, OnTrialFinished = log.Finished }, sweep).RunAsync();
        await using var workers = new WorkerGroup();
        workers.Start(sweep.Cluster, 2, log.Resolver("stale", dataHash: "sha256:bbbb"));
        Assert.True(refused.Wait(TimeSpan.FromSeconds(30)), "the stale worker refused the sweep");
        Assert.False(run.IsCompleted);
        workers.Start(sweep.Cluster, 1, log.Resolver("fresh", dataHash: "sha256:aaaa"));
        var result = await run.WaitAsync(TimeSpan.FromSeconds(60));

        string reason = Assert.Single(refusals);
        Assert.Contains("data hash mismatch", reason);
        Assert.Contains("sha256:aaaa", reason);
        Assert.Contains("sha256:bbbb", reason);
        Assert.DoesNotContain(log.Starts, s => s.Worker == "stale");
        Assert.Equal(6, result.Trials.Count);
        Assert.All(result.Trials, t => Assert.Equal(TrialState.Completed, t.State));
        Assert.All(log.FinishCounts.Values, n => Assert.Equal(1, n));
    }
}
