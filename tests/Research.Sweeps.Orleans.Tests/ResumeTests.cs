using Research.Core.Sweeps;

namespace Research.Sweeps.Orleans.Tests;

/// <summary>A coordinator restarted with the same state directory resumes its sweep; the workers stay in the cluster.</summary>
public sealed class ResumeTests : IDisposable
{
    private readonly string _stateDirectory = Path.Combine(Path.GetTempPath(), "orleans-sweep-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task A_restarted_coordinator_resumes_without_rerunning_finished_trials()
    {
        const int trials = 10;
        using var redis = RedisServer.Start();
        var space = SyntheticObjectives.Create("branin").Space;
        var expected = Sweeps.Local(new RandomSearch(space, OptimizationMode.Min, seed: 7), new FifoScheduler(), "branin", trials);
        var sweep = Sweeps.Options(redis.Uri, "branin");
        var log = new RunLog();
        using var stop = new CancellationTokenSource();
        int finishedInFirstRun = 0;
        // Trials after the 4th finish take 200 ms: the first coordinator is stopped long before the budget is spent.
        double SlowAfterFour(Trial trial, ITrialReporter reporter, CancellationToken ct, double value)
        {
            if (Volatile.Read(ref finishedInFirstRun) >= 4) Thread.Sleep(200);
            return value;
        }
        await using var workers = new WorkerGroup();
        workers.Start(sweep.Cluster, 1, log.Resolver("w0", wrap: SlowAfterFour));
        workers.Start(sweep.Cluster, 1, log.Resolver("w1", wrap: SlowAfterFour));

        var first = new OrleansSweepExecutor(new RandomSearch(space, OptimizationMode.Min, seed: 7), new FifoScheduler(),
            new ExecutorOptions
            {
                MaxTrials = trials, MaxConcurrency = 2, StateDirectory = _stateDirectory,
                OnTrialFinished = r =>
                {
                    log.Finished(r);
                    if (Interlocked.Increment(ref finishedInFirstRun) == 4) _ = Task.Run(stop.Cancel);
                },
            }, sweep);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first.RunAsync(stop.Token).WaitAsync(TimeSpan.FromSeconds(60)));
        var saved = new SweepStateStore(_stateDirectory, space).Load();
        var finished = saved.Where(r => r.IsFinished).Select(r => r.Trial.Id).ToHashSet();
        Assert.InRange(finished.Count, 4, trials - 1);
        int startsBefore = log.Starts.Count;

        var second = new OrleansSweepExecutor(new RandomSearch(space, OptimizationMode.Min, seed: 7), new FifoScheduler(),
            new ExecutorOptions { MaxTrials = trials, MaxConcurrency = 2, StateDirectory = _stateDirectory, OnTrialFinished = log.Finished }, sweep);
        var result = await second.RunAsync().WaitAsync(TimeSpan.FromSeconds(60));

        Sweeps.AssertSameTrials(expected, result);
        Assert.DoesNotContain(log.Starts.Skip(startsBefore), s => finished.Contains(s.TrialId));
        Assert.All(finished, id => Assert.Equal(1, log.Starts.Count(s => s.TrialId == id)));
        Assert.Equal(trials, log.FinishCounts.Count);
        Assert.All(log.FinishCounts.Values, n => Assert.Equal(1, n));
    }

    public void Dispose()
    {
        if (Directory.Exists(_stateDirectory)) Directory.Delete(_stateDirectory, recursive: true);
    }
}
