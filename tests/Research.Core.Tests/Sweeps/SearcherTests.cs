using Research.Core.Sweeps;

namespace Research.Core.Tests.Sweeps;

public class SearcherTests
{
    private static readonly SearchSpace Mixed = new([
        Param.Choice("model", "lstm", "mlp"),
        Param.Int("hidden", 8, 512, log: true).ActiveWhen("model", "lstm"),
        Param.LogUniform("lr", 1e-5, 1e-1),
        Param.Uniform("dropout", 0, 0.5, q: 0.05),
        Param.Int("layers", 1, 4),
    ]);

    private static List<Trial> Run(ISearcher s, int n)
    {
        var trials = new List<Trial>();
        for (int i = 0; i < n; i++)
        {
            var t = s.Suggest()!;
            double v = t.Double("lr") * 100 + t.Double("dropout") + (t.Has("hidden") ? t.Double("hidden") / 512 : 1);
            s.Tell(t.Id, new TrialResult(v, TrialState.Completed));
            trials.Add(t);
        }
        return trials;
    }

    public static TheoryData<string> Kinds => new() { "random", "tpe" };

    private static ISearcher Make(string kind, int seed) => kind == "tpe"
        ? new TpeSearch(Mixed, OptimizationMode.Min, seed)
        : new RandomSearch(Mixed, OptimizationMode.Min, seed);

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Same_seed_gives_the_same_suggestions(string kind)
    {
        var a = Run(Make(kind, 42), 30);
        var b = Run(Make(kind, 42), 30);
        var c = Run(Make(kind, 43), 30);
        Assert.All(a.Zip(b), p => Assert.True(p.First.SameParameters(p.Second.Parameters), $"{p.First} vs {p.Second}"));
        Assert.Contains(a.Zip(c), p => !p.First.SameParameters(p.Second.Parameters));
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Suggestions_stay_in_the_space_and_honour_conditions(string kind)
    {
        foreach (var t in Run(Make(kind, 7), 60))
        {
            Assert.All(t.Parameters, kv => Assert.True(Mixed[kv.Key].Contains(kv.Value), $"{kv.Key}={kv.Value}"));
            Assert.Equal(t.String("model") == "lstm", t.Has("hidden"));
            Assert.Equal(Math.Round(t.Double("dropout") / 0.05), t.Double("dropout") / 0.05, 6);
        }
    }

    [Fact]
    public void Grid_enumerates_the_cartesian_product_in_order()
    {
        var g = new GridSearch(new SearchSpace([Param.Grid("a", 1, 2, 3), Param.Choice("b", "x", "y")]));
        Assert.Equal(6, g.Count);
        var seen = new List<string>();
        while (g.Suggest() is { } t) seen.Add($"{t.Int("a")}{t.String("b")}");
        Assert.Equal(["1x", "1y", "2x", "2y", "3x", "3y"], seen);
    }

    [Fact]
    public void Grid_multiplies_conditional_parameters_only_where_active()
    {
        var g = new GridSearch(new SearchSpace([
            Param.Grid("model", "lstm", "mlp"),
            Param.Grid("hidden", 32, 64, 128).ActiveWhen("model", "lstm"),
        ]));
        var trials = new List<Trial>();
        while (g.Suggest() is { } t) trials.Add(t);
        Assert.Equal(4, trials.Count);
        Assert.Equal(3, trials.Count(t => t.Has("hidden")));
        Assert.False(Assert.Single(trials, t => t.String("model") == "mlp").Has("hidden"));
    }

    [Fact]
    public void Grid_rejects_continuous_parameters_naming_them()
    {
        var e = Assert.Throws<SearchSpaceException>(() => new GridSearch(new SearchSpace([Param.Grid("a", 1, 2), Param.Uniform("lr", 0, 1)])));
        Assert.Equal("space.lr: type uniform cannot be enumerated by grid search (use grid or choice)", Assert.Single(e.Errors));
    }

    [Fact]
    public void Seeded_grid_shuffles_reproducibly_and_restore_skips_taken_points()
    {
        var space = new SearchSpace([Param.Grid("a", 1, 2, 3, 4), Param.Grid("b", true, false)]);
        string Order(GridSearch g) { var s = ""; while (g.Suggest() is { } t) s += $"{t.Int("a")}{t.Bool("b")};"; return s; }
        Assert.Equal(Order(new GridSearch(space, shuffleSeed: 5)), Order(new GridSearch(space, shuffleSeed: 5)));

        var first = new GridSearch(space);
        var done = new[] { first.Suggest()!, first.Suggest()! };
        var resumed = new GridSearch(space);
        foreach (var t in done) resumed.Restore(t);
        var rest = new List<Trial>();
        while (resumed.Suggest() is { } t) rest.Add(t);
        Assert.Equal(6, rest.Count);
        Assert.DoesNotContain(rest, t => done.Any(d => d.SameParameters(t.Parameters)));
        Assert.Equal(2, rest[0].Id);
    }

    [Fact]
    public void Tpe_startup_trials_are_random_then_it_concentrates_near_the_optimum()
    {
        var space = new SearchSpace([Param.Uniform("x", -10, 10)]);
        var tpe = new TpeSearch(space, OptimizationMode.Min, seed: 1);
        var random = new RandomSearch(space, OptimizationMode.Min, seed: 1);
        var late = new List<double>();
        for (int i = 0; i < 80; i++)
        {
            var t = tpe.Suggest()!;
            var r = random.Suggest()!;
            if (i < 10) Assert.Equal(r.Double("x"), t.Double("x")); // the startup draws are the prior's
            if (i >= 50) late.Add(Math.Abs(t.Double("x") - 3));
            tpe.Tell(t.Id, new TrialResult(Math.Pow(t.Double("x") - 3, 2), TrialState.Completed));
        }
        late.Sort();
        Assert.True(late[late.Count / 2] < 2.5, // random search: 5 on [−10, 10]
             $"median |x − 3| over the last 30 TPE trials: {late[late.Count / 2]}");
    }

    [Fact]
    public void Tpe_maximises_when_asked()
    {
        var space = new SearchSpace([Param.Choice("c", "a", "b", "c", "d"), Param.Int("n", 0, 100)]);
        var tpe = new TpeSearch(space, OptimizationMode.Max, seed: 3);
        int goodLate = 0;
        for (int i = 0; i < 60; i++)
        {
            var t = tpe.Suggest()!;
            double v = (t.String("c") == "c" ? 10 : 0) + t.Int("n") / 10.0;
            if (i >= 30 && t.String("c") == "c") goodLate++;
            tpe.Tell(t.Id, new TrialResult(v, TrialState.Completed));
        }
        Assert.True(goodLate >= 15, $"the best category was chosen {goodLate} times in the last 30 trials");
    }

    [Fact]
    public void Gamma_and_weights_follow_optuna_defaults()
    {
        Assert.Equal(1, TpeOptions.DefaultGamma(1));
        Assert.Equal(1, TpeOptions.DefaultGamma(10));
        Assert.Equal(2, TpeOptions.DefaultGamma(11));
        Assert.Equal(25, TpeOptions.DefaultGamma(1000));
        Assert.All(TpeOptions.DefaultWeights(24), w => Assert.Equal(1.0, w));
        var w30 = TpeOptions.DefaultWeights(30);
        Assert.Equal(1.0 / 30, w30[0], 12);
        Assert.Equal(1.0, w30[4], 12);
        Assert.True(w30[1] > w30[0] && w30[2] > w30[1]);
        Assert.All(w30.Skip(5), w => Assert.Equal(1.0, w));
    }
}
