using Research.Core.Data;
using Research.Core.Sweeps;

namespace Research.Core.Tests.Sweeps;

public sealed class SweepFileTests
{
    private static DataFormatException Fails(string json) =>
        Assert.Throws<DataFormatException>(() => SweepFile.Parse(json, TestPaths.RepoRoot, "my_sweep.json"));

    [Theory]
    [InlineData("""{"name": "s", "objective": "branin", "trials": 3}""", "\"trials\": unknown key")]
    [InlineData("""{"objective": "branin"}""", "\"name\": missing")]
    [InlineData("""{"name": "s", "objective": "rosenbrock"}""", "\"objective\": unknown objective \"rosenbrock\"")]
    [InlineData("""{"name": "s", "objective": 3}""", "\"objective\": must be a string or an object, not a number")]
    [InlineData("""{"name": "s", "objective": "branin", "num_samples": "30"}""", "\"num_samples\": must be an integer")]
    [InlineData("""{"name": "s", "objective": "branin", "num_samples": 0}""", "\"num_samples\": must be ≥ 1, not 0")]
    [InlineData("""{"name": "s", "objective": "branin", "max_concurrent": 1.5}""", "\"max_concurrent\": must be an integer")]
    [InlineData("""{"name": "s", "objective": "branin", "algorithm": "bayes"}""", "\"algorithm\": unknown algorithm \"bayes\"")]
    [InlineData("""{"name": "s", "objective": "branin", "mode": "maximize"}""", "\"mode\": \"maximize\" must be \"min\" or \"max\"")]
    [InlineData("""{"name": "s", "objective": "branin", "seed": "1"}""", "\"seed\": must be an integer")]
    [InlineData("""{"name": "s", "objective": "branin", "scheduler": "asha"}""", "\"scheduler\": must be an object")]
    [InlineData("""{"name": "s", "objective": "branin", "scheduler": {"type": "hyperband"}}""", "\"scheduler.type\": unknown scheduler \"hyperband\"")]
    [InlineData("""{"name": "s", "objective": "branin", "scheduler": {"type": "asha", "grace": 2}}""", "\"scheduler.grace\": unknown key for \"asha\"")]
    [InlineData("""{"name": "s", "objective": "branin", "scheduler": {"type": "fifo", "max_t": 2}}""", "\"scheduler.max_t\": unknown key for \"fifo\"")]
    [InlineData("""{"name": "s", "objective": "branin", "scheduler": {"type": "asha", "reduction_factor": 1}}""", "\"scheduler\": ")]
    [InlineData("""{"name": "s", "objective": "branin", "space": {"x1": {"type": "uniform", "low": 0, "high": 1}}}""", "\"space\": objective \"branin\" reads x2")]
    [InlineData("""{"name": "s", "objective": "branin", "space": {"x1": {"type": "uniform", "low": 2, "high": 1}}}""", "space.x1: \"low\" (2) must be < \"high\" (1)")]
    [InlineData("""{"name": "s", "objective": {"config": "default.json", "stages": ["forecast"]}}""", "\"objective.metric\": missing")]
    [InlineData("""{"name": "s", "objective": {"config": "default.json", "stages": [], "metric": "m"}}""", "\"objective.stages\": must be a non-empty array")]
    [InlineData("""{"name": "s", "objective": {"config": "default.json", "stages": ["forecast", 2], "metric": "m"}}""", "\"objective.stages[1]\": must be a string")]
    [InlineData("""{"name": "s", "objective": {"config": "default.json", "stages": ["forecast"], "metric": "m", "data": 1}}""", "\"objective.data\": unknown key")]
    [InlineData("""{"name": "s", "objective": {"config": "default.json", "stages": ["forecast"], "metric": "m"}}""", "\"space\": missing")]
    [InlineData("""{"name": "s", "objective": {"config": "default.json", "stages": ["forecast"], "metric": "a_val"}, "metric": "b_val", "space": {}}""", "\"metric\": \"b_val\" differs from \"objective.metric\"")]
    public void Errors_name_the_file_and_the_field(string json, string expected)
    {
        var e = Fails(json);
        Assert.StartsWith("my_sweep.json: ", e.Message);
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void Invalid_json_names_the_file_and_line()
    {
        var e = Fails("{\"name\": \"s\",\n \"objective\": }");
        Assert.StartsWith("my_sweep.json:2:", e.Message);
    }

    [Fact]
    public void Parses_every_field_and_keeps_the_text_and_folder()
    {
        string json = """
            {
              // a comment
              "name": "lc", "objective": "learning-curve", "algorithm": "grid",
              "scheduler": {"type": "asha", "max_t": 81, "grace_period": 1, "reduction_factor": 3},
              "num_samples": 45, "max_concurrent": 2, "metric": "loss", "mode": "min", "seed": 5
            }
            """;
        var s = SweepFile.Parse(json, TestPaths.RepoRoot, "lc.json");
        Assert.Equal(("lc", "learning-curve", "grid", 45, 2, "loss", OptimizationMode.Min, 5), (s.Name, s.SyntheticObjective, s.Algorithm, s.NumSamples, s.MaxConcurrent, s.Metric, s.Mode, s.Seed));
        Assert.Equal(new SchedulerSpec { Type = "asha", MaxT = 81, GracePeriod = 1, ReductionFactor = 3 }, s.Scheduler);
        Assert.Equal(["lr", "width"], s.Space.Parameters.Select(p => p.Key));
        Assert.Equal(json, s.JsonText);
        Assert.Equal(TestPaths.RepoRoot, s.BaseDirectory);
        var again = SweepFile.Parse(s.JsonText, s.BaseDirectory, "worker");
        Assert.Equal((s.Name, s.Scheduler, s.NumSamples), (again.Name, again.Scheduler, again.NumSamples));
        Assert.IsType<AshaScheduler>(s.Scheduler.Create(s.Mode));
        Assert.IsType<GridSearch>(s.CreateSearcher());
    }

    [Fact]
    public void Pipeline_objective_checks_config_keys_stages_and_the_validation_metric()
    {
        string Sweep(string stages, string metric, string space) =>
            $$"""{"name": "s", "objective": {"config": "experiments/cnn_lstm.json", "stages": {{stages}}, "metric": "{{metric}}"}, "space": {{space}}}""";
        var options = new SweepObjectiveOptions { WorkDirectory = TestPaths.NewTempDir() };
        SweepObjective Build(string json) => SweepObjectives.Create(SweepFile.Parse(json, Path.Combine(TestPaths.RepoRoot, "experiments"), "cnn.json"), options);

        var badKey = Assert.Throws<DataFormatException>(() => Build(Sweep("""["data", "split", "forecast"]""", "forecast.best_val_loss",
            """{"forecaster.hiddenSize": {"type": "int", "low": 8, "high": 64}}""")));
        Assert.Equal("cnn.json: \"space.forecaster.hiddenSize\": \"forecaster.hiddenSize\" is not a setting of the experiment config (dotted camelCase keys, e.g. forecaster.hidden).", badKey.Message);
        var section = Assert.Throws<DataFormatException>(() => Build(Sweep("""["forecast"]""", "forecast.best_val_loss",
            """{"forecaster": {"type": "int", "low": 8, "high": 64}}""")));
        Assert.Contains("\"space.forecaster\"", section.Message);
        var stage = Assert.Throws<DataFormatException>(() => Build(Sweep("""["data", "train"]""", "forecast.best_val_loss", "{}")));
        Assert.Contains("\"objective.stages[1]\": unknown stage \"train\"", stage.Message);
        var test = Assert.Throws<DataFormatException>(() => Build(Sweep("""["forecast"]""", "forecast.test.cnn-lstm.mse", "{}")));
        Assert.Contains("\"objective.metric\": \"forecast.test.cnn-lstm.mse\" is not a validation metric", test.Message);
        var config = Assert.Throws<DataFormatException>(() => SweepObjectives.Create(SweepFile.Parse(
            """{"name": "s", "objective": {"config": "nope.json", "stages": ["forecast"], "metric": "forecast.best_val_loss"}, "space": {}}""", TestPaths.RepoRoot, "cnn.json"), options));
        Assert.Contains("\"objective.config\": config file \"nope.json\" not found", config.Message);

        var ok = Build(Sweep("""["data", "split", "forecast"]""", "forecast.best_val_loss",
            """{"forecaster.hidden": {"type": "int", "low": 8, "high": 64}, "backtest.slippageBps": {"type": "uniform", "low": 0, "high": 5}}"""));
        Assert.Matches("^[0-9a-f]{64}$", ok.ContentHash);
        Assert.NotEqual(SweepObjectives.Create(SweepFile.Parse("""{"name": "b", "objective": "branin"}""", TestPaths.RepoRoot, "b.json"), options).ContentHash, ok.ContentHash);
    }

    [Fact]
    public void Config_overrides_set_dotted_keys_and_reject_bad_values()
    {
        var config = Research.Core.Configuration.ConfigLoader.Load(Path.Combine(TestPaths.RepoRoot, "experiments", "default.json"));
        var overrides = new ConfigOverrides(config, "s.json");
        var applied = overrides.Apply(new Dictionary<string, object>
        {
            ["forecaster.hidden"] = 48L, ["forecaster.learningRate"] = 0.003, ["backtest.maxOrderValue"] = 5000.0, ["forecaster.schedule"] = "one-cycle",
        });
        Assert.Equal((48, 0.003, 5000.0), (applied.Forecaster.Hidden, applied.Forecaster.LearningRate, applied.Backtest.MaxOrderValue));
        Assert.Equal(Research.Core.Configuration.LearningRateSchedule.OneCycle, applied.Forecaster.Schedule);
        Assert.Equal(config.Data.Paths, applied.Data.Paths);
        var noBenchmark = new ConfigOverrides(config with { Data = config.Data with { Benchmark = null } }, "s.json")
            .Apply(new Dictionary<string, object> { ["forecaster.hidden"] = 16L });
        Assert.NotNull(new Research.Core.Configuration.DataConfig().Benchmark);
        Assert.Null(noBenchmark.Data.Benchmark); // an explicit null stays null, not the setting's default
        Assert.Equal(32, config.Forecaster.Hidden);
        var wrongType = Assert.Throws<DataFormatException>(() => overrides.Apply(new Dictionary<string, object> { ["forecaster.hidden"] = "big" }));
        Assert.Contains("forecaster.hidden", wrongType.Message);
    }

    [Theory]
    [InlineData("sweep_branin.json", "branin", "tpe", "fifo")]
    [InlineData("sweep_cnn_lstm.json", null, "tpe", "asha")]
    public void Shipped_sweep_files_parse_and_build_their_objective(string file, string? synthetic, string algorithm, string scheduler)
    {
        var sweep = SweepFile.Load(Path.Combine(TestPaths.RepoRoot, "experiments", file));
        Assert.Equal((synthetic, algorithm, scheduler), (sweep.SyntheticObjective, sweep.Algorithm, sweep.Scheduler.Type));
        var objective = SweepObjectives.Create(sweep, new SweepObjectiveOptions { WorkDirectory = TestPaths.NewTempDir() });
        Assert.Matches("^[0-9a-f]{64}$", objective.ContentHash);
        if (sweep.PipelineObjective is { } p)
        {
            Assert.Equal("forecast.best_val_loss", sweep.Metric);
            Assert.All(sweep.Space.Parameters, k => Assert.True(ConfigOverrides.IsSetting(k.Key), k.Key));
            Assert.Equal(["data", "split", "forecast"], p.Stages);
        }
    }
}
