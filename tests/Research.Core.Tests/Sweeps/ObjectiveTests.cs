using Research.Core.Sweeps;
using Xunit.Abstractions;

namespace Research.Core.Tests.Sweeps;

public class ObjectiveTests(ITestOutputHelper output)
{
    [Fact]
    public void Synthetic_functions_reach_their_known_minima()
    {
        Assert.Equal(Branin.GlobalMinimum, Branin.Evaluate(-Math.PI, 12.275), 5);
        Assert.Equal(Branin.GlobalMinimum, Branin.Evaluate(Math.PI, 2.275), 5);
        Assert.Equal(Branin.GlobalMinimum, Branin.Evaluate(9.42478, 2.475), 5);
        Assert.Equal(Hartmann6.GlobalMinimum, Hartmann6.Evaluate([0.20169, 0.150011, 0.476874, 0.275332, 0.311652, 0.6573]), 4);
        var rng = new Random(0);
        for (int i = 0; i < 1000; i++)
        {
            Assert.True(Branin.Evaluate(-5 + 15 * rng.NextDouble(), 15 * rng.NextDouble()) >= Branin.GlobalMinimum - 1e-6);
            Assert.True(Hartmann6.Evaluate(Enumerable.Range(0, 6).Select(_ => rng.NextDouble()).ToArray()) >= Hartmann6.GlobalMinimum - 1e-5);
        }
    }

    [Fact]
    public void Learning_curves_are_deterministic_and_the_best_config_is_known()
    {
        var task = new LearningCurveTask();
        var best = task.Best();
        Assert.Equal((1e-2, 128L), (best.Lr, best.Width));
        Assert.Equal(LearningCurveTask.Loss(3e-3, 128, 81), LearningCurveTask.Loss(3e-3, 128, 81));
        Assert.True(LearningCurveTask.Loss(1e-2, 64, 10) > LearningCurveTask.Loss(1e-2, 64, 20), "curves decrease");
        // A fast-learning config leads early and loses at the end.
        Assert.True(LearningCurveTask.Loss(1e-1, 128, 1) < LearningCurveTask.Loss(1e-3, 128, 1));
        Assert.True(LearningCurveTask.Loss(1e-1, 128, 81) > LearningCurveTask.Loss(1e-3, 128, 81));
        // The best final config leads at every step, so ASHA cannot drop it whatever the arrival order.
        for (int t = 1; t <= task.MaxT; t++)
            Assert.All(new[] { 1e-4, 3e-4, 1e-3, 3e-3, 3e-2, 1e-1, 3e-1, 1.0 }, lr => Assert.True(LearningCurveTask.Loss(lr, 128, t) > LearningCurveTask.Loss(1e-2, 128, t)));
    }

    [Theory]
    [InlineData("branin")]
    [InlineData("hartmann6")]
    public void Tpe_beats_random_search_at_an_equal_budget(string name)
    {
        var (space, objective, minimum) = SyntheticObjectives.Create(name);
        const int budget = 60;
        double BestOf(ISearcher s)
        {
            double best = double.PositiveInfinity;
            for (int i = 0; i < budget; i++)
            {
                var t = s.Suggest()!;
                double v = objective(t, NullReporter.Instance, CancellationToken.None);
                s.Tell(t.Id, new TrialResult(v, TrialState.Completed));
                best = Math.Min(best, v);
            }
            return best;
        }
        var seeds = Enumerable.Range(0, 10).ToArray();
        var tpe = seeds.Select(seed => BestOf(new TpeSearch(space, OptimizationMode.Min, seed))).ToArray();
        var random = seeds.Select(seed => BestOf(new RandomSearch(space, OptimizationMode.Min, seed))).ToArray();
        double mt = Median(tpe), mr = Median(random);
        output.WriteLine($"{name}: median best over 10 seeds × {budget} trials: TPE {mt:F5}, random {mr:F5} (global minimum {minimum})");
        Assert.All(tpe.Concat(random), v => Assert.True(v >= minimum - 1e-4));
        Assert.True(mt < mr, $"TPE median {mt} vs random median {mr}");
    }

    private static double Median(double[] v)
    {
        var s = v.OrderBy(x => x).ToArray();
        return s.Length % 2 == 1 ? s[s.Length / 2] : 0.5 * (s[s.Length / 2 - 1] + s[s.Length / 2]);
    }

    private sealed class NullReporter : ITrialReporter
    {
        public static readonly NullReporter Instance = new();

        public SchedulerDecision Report(int step, double value) => SchedulerDecision.Continue;
    }
}
