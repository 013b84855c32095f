using Research.Core.Sweeps;

namespace Research.Core.Tests.Sweeps;

public class SearchSpaceTests
{
    private const string Sample = """
        {
          "forecaster.model": {"type": "choice", "values": ["lstm", "mlp"]},
          "forecaster.hiddenSize": {"type": "int", "low": 16, "high": 256, "log": true, "when": {"forecaster.model": "lstm"}},
          "optim.lr": {"type": "loguniform", "low": 1e-5, "high": 0.1},
          "optim.momentum": {"type": "uniform", "low": 0.5, "high": 0.99, "q": 0.01},
          "data.window": {"type": "grid", "values": [20, 60, 120]},
          "data.normalise": {"type": "choice", "values": [true, false]},
          "layers": {"type": "int", "low": 1, "high": 9, "q": 2}
        }
        """;

    [Fact]
    public void Parses_every_type_with_its_fields()
    {
        var space = SearchSpace.Parse(Sample);
        Assert.Equal(7, space.Parameters.Count);
        var hidden = Assert.IsType<IntParameter>(space["forecaster.hiddenSize"]);
        Assert.Equal((16L, 256L, true), (hidden.Low, hidden.High, hidden.Log));
        Assert.Equal(["lstm"], hidden.When["forecaster.model"]);
        var lr = Assert.IsType<FloatParameter>(space["optim.lr"]);
        Assert.Equal(("loguniform", 1e-5, 0.1), (lr.TypeName, lr.Low, lr.High));
        Assert.Equal(0.01, Assert.IsType<FloatParameter>(space["optim.momentum"]).Q);
        var window = Assert.IsType<ChoiceParameter>(space["data.window"]);
        Assert.True(window.Grid);
        Assert.Equal([20L, 60L, 120L], window.Values);
        Assert.Equal([true, false], Assert.IsType<ChoiceParameter>(space["data.normalise"]).Values);
        Assert.Equal(2L, Assert.IsType<IntParameter>(space["layers"]).Q);
    }

    [Fact]
    public void Built_from_csharp_equals_the_parsed_space_in_structure()
    {
        var space = new SearchSpace([
            Param.Choice("forecaster.model", "lstm", "mlp"),
            Param.Int("forecaster.hiddenSize", 16, 256, log: true).ActiveWhen("forecaster.model", "lstm"),
            Param.LogUniform("optim.lr", 1e-5, 0.1),
            Param.Uniform("optim.momentum", 0.5, 0.99, q: 0.01),
            Param.Grid("data.window", 20, 60, 120),
            Param.Choice("data.normalise", true, false),
            Param.Int("layers", 1, 9, q: 2),
        ]);
        var parsed = SearchSpace.Parse(Sample);
        Assert.Equal(parsed.Parameters.Select(p => (p.Key, p.TypeName)), space.Parameters.Select(p => (p.Key, p.TypeName)));
    }

    [Fact]
    public void Samples_respect_bounds_steps_and_scales()
    {
        var space = SearchSpace.Parse(Sample);
        var rng = new Random(3);
        for (int i = 0; i < 500; i++)
        {
            var s = space.Sample(rng);
            double m = (double)s["optim.momentum"];
            Assert.InRange(m, 0.5, 0.99);
            Assert.Equal(Math.Round(m * 100), m * 100, 6);
            Assert.InRange((double)s["optim.lr"], 1e-5, 0.1);
            Assert.Contains((long)s["layers"], new long[] { 1, 3, 5, 7, 9 });
            Assert.Contains((long)s["data.window"], new long[] { 20, 60, 120 });
        }
    }

    [Fact]
    public void Conditional_parameters_are_absent_when_their_condition_is_false()
    {
        var space = SearchSpace.Parse(Sample);
        var rng = new Random(11);
        int lstm = 0, mlp = 0;
        for (int i = 0; i < 200; i++)
        {
            var s = space.Sample(rng);
            if ((string)s["forecaster.model"] == "lstm")
            {
                lstm++;
                Assert.InRange((long)s["forecaster.hiddenSize"], 16, 256);
            }
            else
            {
                mlp++;
                Assert.False(s.ContainsKey("forecaster.hiddenSize"));
            }
        }
        Assert.True(lstm > 0 && mlp > 0);
    }

    [Fact]
    public void Conditions_on_a_list_of_values_and_chained_conditions()
    {
        var space = new SearchSpace([
            Param.Int("dropoutLayers", 0, 1).ActiveWhen("stage", 2),
            Param.Choice("model", "lstm", "gru", "mlp"),
            Param.Choice("stage", 1, 2).ActiveWhen("model", "lstm", "gru"),
        ]);
        Assert.Equal(["model", "stage", "dropoutLayers"], space.Parameters.Select(p => p.Key));
        var rng = new Random(5);
        for (int i = 0; i < 200; i++)
        {
            var s = space.Sample(rng);
            bool recurrent = (string)s["model"] != "mlp";
            Assert.Equal(recurrent, s.ContainsKey("stage"));
            Assert.Equal(recurrent && (long)s["stage"] == 2, s.ContainsKey("dropoutLayers"));
        }
    }

    [Theory]
    [InlineData("""{"forecaster.hiddenSize": {"type": "int", "low": 64, "high": 32}}""", "space.forecaster.hiddenSize: \"low\" (64) must be < \"high\" (32)")]
    [InlineData("""{"a.b": {"type": "uniform", "low": 1, "high": 1}}""", "space.a.b: \"low\" (1) must be < \"high\" (1)")]
    [InlineData("""{"x": {"type": "normal", "low": 0, "high": 1}}""", "space.x: unknown type \"normal\"")]
    [InlineData("""{"x": {"low": 0, "high": 1}}""", "space.x: missing \"type\"")]
    [InlineData("""{"x": {"type": "uniform", "high": 1}}""", "space.x: missing \"low\"")]
    [InlineData("""{"x": {"type": "uniform", "low": 0}}""", "space.x: missing \"high\"")]
    [InlineData("""{"x": {"type": "uniform", "low": "a", "high": 1}}""", "space.x: \"low\" must be a number")]
    [InlineData("""{"optim.lr": {"type": "loguniform", "low": 0, "high": 1}}""", "space.optim.lr: \"low\" (0) must be > 0 for loguniform")]
    [InlineData("""{"optim.lr": {"type": "loguniform", "low": -1, "high": 1}}""", "space.optim.lr: \"low\" (-1) must be > 0 for loguniform")]
    [InlineData("""{"m": {"type": "choice", "values": []}}""", "space.m: \"values\" must not be empty")]
    [InlineData("""{"m": {"type": "choice"}}""", "space.m: missing \"values\"")]
    [InlineData("""{"m": {"type": "grid", "values": [1, {"a": 2}]}}""", "space.m: \"values\"[1] must be a number, string or bool")]
    [InlineData("""{"m": {"type": "choice", "values": [1, 1.0]}}""", "space.m: \"values\" lists 1 twice")]
    [InlineData("""{"n": {"type": "int", "low": 1.5, "high": 4}}""", "space.n: \"low\" must be an integer")]
    [InlineData("""{"n": {"type": "int", "low": 0, "high": 4, "log": true}}""", "space.n: \"low\" (0) must be ≥ 1 for a log-scale int")]
    [InlineData("""{"u": {"type": "uniform", "low": 0, "high": 1, "q": 0}}""", "space.u: \"q\" (0) must be > 0")]
    [InlineData("""{"u": {"type": "uniform", "low": 0, "high": 1, "step": 0.1}}""", "space.u: unknown field \"step\"")]
    [InlineData("""{"h": {"type": "int", "low": 1, "high": 4, "when": {"forecaster.modle": "lstm"}}}""", "space.h: \"when\" names an unknown parameter \"forecaster.modle\"")]
    [InlineData("""{"m": {"type": "choice", "values": ["a"]}, "h": {"type": "int", "low": 1, "high": 4, "when": {"m": "b"}}}""", "space.h: \"when\".\"m\" value \"b\" is not a value of \"m\"")]
    [InlineData("""{"a": {"type": "choice", "values": [1], "when": {"b": 1}}, "b": {"type": "choice", "values": [1], "when": {"a": 1}}}""", "space.a: \"when\" forms a cycle")]
    public void Validation_errors_name_the_key_and_the_field(string json, string expected)
    {
        var e = Assert.Throws<SearchSpaceException>(() => SearchSpace.Parse(json));
        Assert.Contains(e.Errors, m => m.StartsWith(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void Every_problem_is_reported_at_once()
    {
        var e = Assert.Throws<SearchSpaceException>(() => SearchSpace.Parse(
            """{"a": {"type": "uniform", "low": 2, "high": 1}, "b": {"type": "choice", "values": []}, "c": {"type": "x"}}"""));
        Assert.Equal(3, e.Errors.Count);
        Assert.Contains("space.a:", e.Message, StringComparison.Ordinal);
        Assert.Contains("space.b:", e.Message, StringComparison.Ordinal);
        Assert.Contains("space.c:", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Csharp_built_spaces_are_validated_too()
    {
        var e = Assert.Throws<SearchSpaceException>(() => new SearchSpace([Param.LogUniform("lr", 0, 1), Param.Choice("m")]));
        Assert.Contains("space.lr: \"low\" (0) must be > 0 for loguniform", e.Errors);
        Assert.Contains("space.m: \"values\" must not be empty", e.Errors);
    }
}
