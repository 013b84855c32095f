using Research.Core.Sweeps;

namespace Research.Sweeps.Orleans.Tests;

/// <summary>A coordinator and two worker silos in this process run a sweep to the end, with the results of
/// <see cref="LocalExecutor"/>.</summary>
public sealed class DistributedSweepTests
{
    [Fact]
    public async Task Tpe_sweep_one_at_a_time_matches_the_local_executor_and_finishes_each_trial_once()
    {
        const int trials = 14;
        var space = SyntheticObjectives.Create("branin").Space;
        var expected = Sweeps.Local(new TpeSearch(space, OptimizationMode.Min, seed: 3), new FifoScheduler(), "branin", trials);

        var sweep = Sweeps.Options(FreePort.LocalhostCluster(), "branin");
        var log = new RunLog();
        var executor = new OrleansSweepExecutor(new TpeSearch(space, OptimizationMode.Min, seed: 3), new FifoScheduler(),
            new ExecutorOptions { MaxTrials = trials, MaxConcurrency = 1, OnTrialFinished = log.Finished }, sweep);
        await using var workers = new WorkerGroup();
        var run = executor.RunAsync();
        workers.Start(sweep.Cluster, 1, log.Resolver("w0"));
        workers.Start(sweep.Cluster, 1, log.Resolver("w1"));
        var result = await run.WaitAsync(TimeSpan.FromSeconds(60));

        Sweeps.AssertSameTrials(expected, result);
        Assert.All(result.Trials, t => Assert.Equal(TrialState.Completed, t.State));
        Assert.Equal(Enumerable.Range(1, trials).ToDictionary(i => result.Trials[i - 1].Trial.Id, _ => 1), log.FinishCounts);
        Assert.Equal(trials, log.Starts.Count);
        Assert.Equal(trials, log.Starts.Select(s => s.TrialId).Distinct().Count());
    }

    [Fact]
    public async Task Random_sweep_on_redis_clustering_spreads_over_both_workers_with_the_local_executors_results()
    {
        const int trials = 16;
        using var redis = RedisServer.Start();
        var space = SyntheticObjectives.Create("hartmann6").Space;
        var expected = Sweeps.Local(new RandomSearch(space, OptimizationMode.Min, seed: 5), new FifoScheduler(), "hartmann6", trials);

        var sweep = Sweeps.Options(redis.Uri, "hartmann6");
        var log = new RunLog();
        using var bothStarted = new ManualResetEventSlim();
        double WaitForBoth(Trial trial, ITrialReporter reporter, CancellationToken ct, double value)
        {
            if (log.Starts.Select(s => s.Worker).Distinct().Count() == 2) bothStarted.Set();
            bothStarted.Wait(TimeSpan.FromSeconds(20), ct);
            return value;
        }
        await using var workers = new WorkerGroup();
        workers.Start(sweep.Cluster, 2, log.Resolver("w0", wrap: WaitForBoth));
        workers.Start(sweep.Cluster, 2, log.Resolver("w1", wrap: WaitForBoth));
        var result = await new OrleansSweepExecutor(new RandomSearch(space, OptimizationMode.Min, seed: 5), new FifoScheduler(),
            new ExecutorOptions { MaxTrials = trials, MaxConcurrency = 4, OnTrialFinished = log.Finished }, sweep).RunAsync().WaitAsync(TimeSpan.FromSeconds(60));

        Assert.True(bothStarted.IsSet, "both workers ran trials");
        Sweeps.AssertSameTrials(expected, result);
        Assert.All(log.FinishCounts.Values, n => Assert.Equal(1, n));
        Assert.Equal(trials, log.FinishCounts.Count);
        Assert.Equal(trials, log.Starts.Count);
        Assert.Equal(2, log.Starts.Select(s => s.Worker).Distinct().Count());
    }

    [Fact]
    public async Task Two_sweeps_with_coordinators_of_their_own_share_one_worker()
    {
        using var redis = RedisServer.Start();
        var cluster = Sweeps.Cluster(redis.Uri);
        var branin = Sweeps.Options(redis.Uri, "branin") with { Cluster = cluster };
        var hartmann = Sweeps.Options(redis.Uri, "hartmann6") with { Cluster = cluster };
        var log = new RunLog();
        await using var workers = new WorkerGroup();
        workers.Start(cluster, 2, log.Resolver("w0"));
        var runs = new[] { branin, hartmann }.Select(sweep =>
            new OrleansSweepExecutor(new RandomSearch(SyntheticObjectives.Create(sweep.ObjectiveSpec).Space, OptimizationMode.Min, seed: 1),
                new FifoScheduler(), new ExecutorOptions { MaxTrials = 8, MaxConcurrency = 2 }, sweep).RunAsync()).ToArray();
        var results = await Task.WhenAll(runs).WaitAsync(TimeSpan.FromSeconds(60));

        foreach (var (sweep, result) in new[] { branin, hartmann }.Zip(results))
        {
            var space = SyntheticObjectives.Create(sweep.ObjectiveSpec).Space;
            Sweeps.AssertSameTrials(Sweeps.Local(new RandomSearch(space, OptimizationMode.Min, seed: 1), new FifoScheduler(), sweep.ObjectiveSpec, 8), result);
        }
        Assert.Equal(16, log.Starts.Count);
    }
}
