using System.Collections.Concurrent;
using Research.Core.Sweeps;

namespace Research.Core.Tests.Sweeps;

public sealed class ExecutorTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "sweeps-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
    }

    private static readonly SearchSpace Space = new([
        Param.Uniform("x1", -5, 10), Param.Uniform("x2", 0, 15), Param.Choice("noise", "none", "some"),
    ]);

    /// <summary>Branin reached over 5 reported steps; records every start per trial id.</summary>
    private static Func<Trial, ITrialReporter, CancellationToken, double> Objective(ConcurrentBag<int> starts) => (t, r, ct) =>
    {
        starts.Add(t.Id);
        double target = Branin.Evaluate(t);
        for (int s = 1; s <= 5; s++)
        {
            ct.ThrowIfCancellationRequested();
            r.Report(s, target + 5 - s);
            Thread.Yield();
        }
        return target;
    };

    [Fact]
    public async Task Runs_the_budget_in_parallel_and_persists_every_trial()
    {
        var starts = new ConcurrentBag<int>();
        var result = await new LocalExecutor(new TpeSearch(Space, seed: 1), new FifoScheduler(),
            new ExecutorOptions { MaxTrials = 25, MaxConcurrency = 2, StateDirectory = _dir }).RunAsync(Objective(starts));
        Assert.Equal(25, result.Trials.Count);
        Assert.All(result.Trials, t => Assert.Equal((TrialState.Completed, 5), (t.State, t.Step)));
        Assert.Equal(25, starts.Distinct().Count());
        var saved = new SweepStateStore(_dir, Space).Load();
        Assert.Equal(result.Trials.Select(t => (t.Trial.Id, t.Value)), saved.Select(t => (t.Trial.Id, t.Value)));
        Assert.All(saved.Zip(result.Trials), p => Assert.True(p.First.Trial.SameParameters(p.Second.Trial.Parameters)));
        Assert.Equal([SweepStateStore.FileName], Directory.GetFiles(_dir).Select(Path.GetFileName));
    }

    [Fact]
    public async Task Failed_trials_are_recorded_with_their_error()
    {
        var result = await new LocalExecutor(new RandomSearch(Space, seed: 2), new FifoScheduler(),
            new ExecutorOptions { MaxTrials = 6, MaxConcurrency = 2 }).RunAsync((t, _, _) =>
                t.Id % 3 == 0 ? throw new InvalidOperationException("diverged") : Branin.Evaluate(t));
        Assert.Equal(2, result.Trials.Count(t => t.State == TrialState.Failed));
        Assert.All(result.Trials.Where(t => t.State == TrialState.Failed), t => Assert.Equal("diverged", t.Error));
        Assert.Equal(4, result.Trials.Count(t => t.State == TrialState.Completed));
    }

    [Theory]
    [InlineData("random")]
    [InlineData("tpe")]
    public async Task An_interrupted_sweep_resumes_without_rerunning_finished_trials(string kind)
    {
        ISearcher Searcher() => kind == "tpe" ? new TpeSearch(Space, seed: 9) : new RandomSearch(Space, seed: 9);
        const int budget = 30;

        var firstStarts = new ConcurrentBag<int>();
        using var cts = new CancellationTokenSource();
        int finished = 0;
        var options = new ExecutorOptions
        {
            MaxTrials = budget, MaxConcurrency = 2, StateDirectory = _dir,
            OnTrialFinished = _ => { if (++finished == 12) cts.Cancel(); },
        };
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            new LocalExecutor(Searcher(), new FifoScheduler(), options).RunAsync(Objective(firstStarts), cts.Token));

        var afterInterrupt = new SweepStateStore(_dir, Space).Load();
        var done = afterInterrupt.Where(t => t.IsFinished).ToDictionary(t => t.Trial.Id);
        Assert.InRange(done.Count, 12, 13);

        var secondStarts = new ConcurrentBag<int>();
        var resumed = await new LocalExecutor(Searcher(), new FifoScheduler(), options with { OnTrialFinished = null })
            .RunAsync(Objective(secondStarts));

        Assert.DoesNotContain(secondStarts, done.ContainsKey);
        Assert.Equal(budget, resumed.Trials.Count);
        Assert.Equal(Enumerable.Range(0, budget), resumed.Trials.Select(t => t.Trial.Id));
        Assert.All(resumed.Trials, t => Assert.Equal(TrialState.Completed, t.State));
        Assert.Equal(budget, firstStarts.Concat(secondStarts).Distinct().Count());
        Assert.All(done.Values, d => Assert.True(resumed.Trials[d.Trial.Id].Trial.SameParameters(d.Trial.Parameters)));

        if (kind == "random")
        {
            // Draws depend only on (seed, id): the resumed sweep holds exactly the uninterrupted sweep's trials.
            var straight = await new LocalExecutor(Searcher(), new FifoScheduler(), new ExecutorOptions { MaxTrials = budget, MaxConcurrency = 2 })
                .RunAsync(Objective(new ConcurrentBag<int>()));
            Assert.All(straight.Trials.Zip(resumed.Trials), p => Assert.True(p.First.Trial.SameParameters(p.Second.Trial.Parameters)));
        }
    }

    [Fact]
    public async Task Killed_trials_keep_the_step_they_reached()
    {
        var task = new LearningCurveTask(maxT: 27);
        var result = await new LocalExecutor(new GridSearch(task.Space), new AshaScheduler(OptimizationMode.Min, task.MaxT, 1, 3),
            new ExecutorOptions { MaxTrials = 100, MaxConcurrency = 2, StateDirectory = _dir }).RunAsync(task.Run);
        var killed = result.Trials.Where(t => t.State == TrialState.Killed).ToList();
        Assert.NotEmpty(killed);
        Assert.All(killed, k => Assert.Equal(k.Step, k.Intermediate[^1].Step));
        Assert.All(killed, k => Assert.True(k.Step < task.MaxT));
        var saved = new SweepStateStore(_dir, task.Space).Load();
        Assert.Equal(killed.Select(k => (k.Trial.Id, k.Step)), saved.Where(s => s.State == TrialState.Killed).Select(s => (s.Trial.Id, s.Step)));
    }
}
