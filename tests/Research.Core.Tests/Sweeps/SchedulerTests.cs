using Research.Core.Sweeps;
using Xunit.Abstractions;

namespace Research.Core.Tests.Sweeps;

public class SchedulerTests(ITestOutputHelper output)
{
    [Fact]
    public void Asha_rungs_are_grace_times_powers_of_the_reduction_factor()
    {
        Assert.Equal([1, 4, 16, 64], new AshaScheduler(OptimizationMode.Min).Rungs);
        Assert.Equal([1, 3, 9, 27, 81], new AshaScheduler(OptimizationMode.Min, maxT: 81, gracePeriod: 1, reductionFactor: 3).Rungs);
        Assert.Equal([2, 4, 8], new AshaScheduler(OptimizationMode.Min, maxT: 10, gracePeriod: 2, reductionFactor: 2).Rungs);
    }

    [Fact]
    public void Asha_keeps_only_the_top_fraction_at_a_rung()
    {
        var asha = new AshaScheduler(OptimizationMode.Max, maxT: 100, gracePeriod: 1, reductionFactor: 2);
        Assert.Equal(SchedulerDecision.Continue, asha.OnResult(0, 1, 5)); // first at the rung
        Assert.Equal(SchedulerDecision.Stop, asha.OnResult(1, 1, 4));     // below the median of {5}
        Assert.Equal(SchedulerDecision.Continue, asha.OnResult(2, 1, 6)); // above the median of {4, 5}
        Assert.Equal(SchedulerDecision.Continue, asha.OnResult(2, 2, 0)); // between rungs: no decision
        Assert.Equal(SchedulerDecision.Continue, asha.OnResult(2, 100, 0)); // max_t: the trial finishes
        var min = new AshaScheduler(OptimizationMode.Min, maxT: 100, gracePeriod: 1, reductionFactor: 2);
        min.OnResult(0, 1, 5);
        Assert.Equal(SchedulerDecision.Stop, min.OnResult(1, 1, 6));
        Assert.Equal(SchedulerDecision.Continue, min.OnResult(2, 1, 4));
    }

    [Fact]
    public void Fifo_never_stops()
    {
        var fifo = new FifoScheduler();
        Assert.All(Enumerable.Range(1, 50), s => Assert.Equal(SchedulerDecision.Continue, fifo.OnResult(s % 7, s, -s)));
    }

    [Fact]
    public void Median_rule_waits_for_grace_and_samples_then_stops_a_trial_worse_than_the_median()
    {
        var rule = new MedianStoppingRule(OptimizationMode.Min, gracePeriod: 2, minSamplesRequired: 2);
        for (int id = 0; id < 2; id++)
            for (int s = 1; s <= 4; s++) Assert.Equal(SchedulerDecision.Continue, rule.OnResult(id, s, 1.0 / s));
        Assert.Equal(SchedulerDecision.Continue, rule.OnResult(2, 1, 9)); // before the grace period
        Assert.Equal(SchedulerDecision.Stop, rule.OnResult(2, 2, 9));     // best 9 > median running mean 0.5
        Assert.Equal(SchedulerDecision.Stop, rule.OnResult(2, 3, 0.0));   // stays stopped
        Assert.Equal(SchedulerDecision.Continue, rule.OnResult(3, 2, 0.4));
    }

    // Grid points in a seeded shuffled order: the declared order (lr ascending) improves monotonically up to the best
    // config, ASHA's worst case (it then keeps most trials: 63 % of FIFO's steps).
    private static SweepResult Sweep(LearningCurveTask task, IScheduler scheduler) =>
        new LocalExecutor(new GridSearch(task.Space, shuffleSeed: 1), scheduler, new ExecutorOptions { MaxTrials = 1000, MaxConcurrency = 1 })
            .RunAsync(task.Run).GetAwaiter().GetResult();

    [Fact]
    public void Asha_spends_at_most_half_of_fifos_steps_and_still_finds_the_best_config()
    {
        var task = new LearningCurveTask(maxT: 81);
        var best = task.Best();
        var fifo = Sweep(task, new FifoScheduler());
        var asha = Sweep(task, new AshaScheduler(OptimizationMode.Min, maxT: task.MaxT, gracePeriod: 1, reductionFactor: 3));
        double ratio = (double)asha.TotalSteps / fifo.TotalSteps;
        output.WriteLine($"ASHA {asha.TotalSteps} steps vs FIFO {fifo.TotalSteps} ({ratio:P1}); killed {asha.Trials.Count(t => t.State == TrialState.Killed)} of {asha.Trials.Count}");
        Assert.Equal(45, fifo.Trials.Count);
        Assert.Equal(45 * 81, fifo.TotalSteps);
        Assert.Equal(45, asha.Trials.Count);
        Assert.True(ratio <= 0.5, $"ASHA used {ratio:P1} of FIFO's steps");
        Assert.Equal((best.Lr, best.Width), (asha.Best!.Trial.Double("lr"), (long)asha.Best.Trial.Int("width")));
        Assert.Equal(fifo.Best!.Value, asha.Best.Value);
        var killed = asha.Trials.Where(t => t.State == TrialState.Killed).ToList();
        Assert.NotEmpty(killed);
        Assert.All(killed, k => Assert.Contains(k.Step, new[] { 1, 3, 9, 27 }));
        Assert.All(killed, k => Assert.Equal(LearningCurveTask.Loss(k.Trial, k.Step), k.Value));
    }

    [Fact]
    public void Median_stopping_stops_bad_trials_and_keeps_the_best()
    {
        var task = new LearningCurveTask(maxT: 40);
        var best = task.Best();
        var result = Sweep(task, new MedianStoppingRule(OptimizationMode.Min, gracePeriod: 5, minSamplesRequired: 3));
        var killed = result.Trials.Where(t => t.State == TrialState.Killed).ToList();
        var completed = result.Trials.Where(t => t.State == TrialState.Completed).ToList();
        output.WriteLine($"median stopping: killed {killed.Count}, completed {completed.Count}, steps {result.TotalSteps} of {45 * 40}");
        Assert.NotEmpty(killed);
        Assert.All(killed, k => Assert.InRange(k.Step, 5, 39));
        double Final(TrialRecord r) => LearningCurveTask.Loss(r.Trial, task.MaxT);
        Assert.True(killed.Average(Final) > completed.Average(Final), "killed trials are worse on average");
        Assert.Equal((best.Lr, best.Width), (result.Best!.Trial.Double("lr"), (long)result.Best.Trial.Int("width")));
    }
}
