using Research.Core.Sweeps;

namespace Research.Sweeps.Orleans.Tests;

/// <summary>Early stopping through the cluster: the coordinator's scheduler stops trials on workers.</summary>
public sealed class AshaTests
{
    [Fact]
    public async Task Asha_kills_trials_on_workers_exactly_as_it_does_locally()
    {
        const int trials = 20;
        var task = new LearningCurveTask();
        var expected = Sweeps.Local(new GridSearch(task.Space, shuffleSeed: 1), new AshaScheduler(OptimizationMode.Min, task.MaxT, 1, 3), "learning-curve", trials);

        var sweep = Sweeps.Options(FreePort.LocalhostCluster(), "learning-curve");
        var log = new RunLog();
        await using var workers = new WorkerGroup();
        var run = new OrleansSweepExecutor(new GridSearch(task.Space, shuffleSeed: 1), new AshaScheduler(OptimizationMode.Min, task.MaxT, 1, 3),
            new ExecutorOptions { MaxTrials = trials, MaxConcurrency = 1, OnTrialFinished = log.Finished }, sweep).RunAsync();
        workers.Start(sweep.Cluster, 1, log.Resolver("w0"));
        workers.Start(sweep.Cluster, 1, log.Resolver("w1"));
        var result = await run.WaitAsync(TimeSpan.FromSeconds(60));

        Sweeps.AssertSameTrials(expected, result);
        var killed = result.Trials.Where(t => t.State == TrialState.Killed).ToList();
        Assert.NotEmpty(killed);
        Assert.All(killed, t =>
        {
            Assert.InRange(t.Step, 1, task.MaxT - 1);
            Assert.Equal(t.Intermediate[^1].Value, t.Value);
        });
        Assert.Contains(result.Trials, t => t.State == TrialState.Completed && t.Step == task.MaxT);
        Assert.All(log.FinishCounts.Values, n => Assert.Equal(1, n));
    }
}
