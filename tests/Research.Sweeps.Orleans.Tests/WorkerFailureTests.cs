using System.Diagnostics;
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

    [Fact]
    public async Task A_worker_process_killed_mid_trial_loses_its_lease_and_the_trial_completes_on_the_other_worker()
    {
        using var redis = RedisServer.Start();
        await KillAWorkerProcessMidTrial(redis, Sweeps.Options(redis.Uri, "branin"));
    }

    [Fact]
    public async Task A_killed_worker_process_is_declared_dead_and_its_trial_requeued_before_the_lease_timeout()
    {
        using var redis = RedisServer.Start();
        var sweep = Sweeps.Options(redis.Uri, "branin");
        // The lease would outlive the test's 60 s wait: only the membership's death declaration can re-queue the trial.
        await KillAWorkerProcessMidTrial(redis, sweep with
        {
            Cluster = sweep.Cluster with { ProbeTimeout = TimeSpan.FromSeconds(1) },
            LeaseTimeout = TimeSpan.FromMinutes(5),
        });
    }

    /// <summary>A worker process leases a trial and is killed; an in-process worker, in the cluster before the kill,
    /// completes every trial, the killed one included, once.</summary>
    private static async Task KillAWorkerProcessMidTrial(RedisServer redis, OrleansSweepOptions sweep)
    {
        const int trials = 5;
        var space = SyntheticObjectives.Create("branin").Space;
        var expected = Sweeps.Local(new RandomSearch(space, OptimizationMode.Min, seed: 8), new FifoScheduler(), "branin", trials);
        var log = new RunLog();
        var killedStarted = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var run = new OrleansSweepExecutor(new RandomSearch(space, OptimizationMode.Min, seed: 8), new FifoScheduler(),
            new ExecutorOptions { MaxTrials = trials, MaxConcurrency = 2, OnTrialFinished = log.Finished }, sweep).RunAsync();
        // The in-process worker's first trial waits until the other process holds a trial: both are then in the cluster.
        await using var workers = new WorkerGroup();
        workers.Start(sweep.Cluster, 1, log.Resolver("staying", wrap: (_, _, _, value) =>
        {
            Assert.True(killedStarted.Task.Wait(TimeSpan.FromSeconds(60)), "the worker process started a trial");
            return value;
        }));

        string worker = Path.Combine(AppContext.BaseDirectory, "Research.Sweeps.Orleans.TestWorker.dll");
        Assert.True(File.Exists(worker), worker);
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { worker, redis.Uri, sweep.Cluster.ClusterId }) info.ArgumentList.Add(a);
        using var process = Process.Start(info)!;
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data?.StartsWith("started ", StringComparison.Ordinal) == true) killedStarted.TrySetResult(int.Parse(e.Data["started ".Length..]));
        };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        int killedTrial;
        try
        {
            killedTrial = await killedStarted.Task.WaitAsync(TimeSpan.FromSeconds(60));
        }
        finally
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
        var result = await run.WaitAsync(TimeSpan.FromSeconds(60));

        Assert.DoesNotContain(log.Starts, s => s.Worker != "staying");
        Assert.Contains(("staying", killedTrial), log.Starts);
        Sweeps.AssertSameTrials(expected, result);
        Assert.All(result.Trials, t => Assert.Equal(TrialState.Completed, t.State));
        Assert.Equal(trials, log.FinishCounts.Count);
        Assert.All(log.FinishCounts.Values, n => Assert.Equal(1, n));
        Assert.Equal(trials, log.Starts.Count);
    }
}
