using Research.Core.Configuration;
using Research.Core.Data;
using Research.Core.Data.Quality;

namespace Research.Core.Tests.Configuration;

public class ConfigTests
{
    [Fact]
    public void The_shipped_default_config_loads_and_resolves_paths()
    {
        var c = ConfigLoader.Load(Path.Combine(TestPaths.RepoRoot, "experiments", "default.json"));
        Assert.Equal("default", c.Name);
        Assert.Equal(Path.Combine(TestPaths.RepoRoot, "data", "djia"), c.Data.Paths.Single());
        Assert.EndsWith("^DJI.csv", c.Data.Benchmark);
        Assert.Equal(QualityPolicy.Default, c.Data.Policy);
    }

    [Fact]
    public void Unknown_key_is_an_error_with_line_and_column()
    {
        const string json = "{\n  \"name\": \"x\",\n  \"splitt\": {}\n}";
        var e = Assert.Throws<DataFormatException>(() => ConfigLoader.Parse(json, "x.json"));
        Assert.Equal(3, e.Line);
        Assert.Contains("splitt", e.Message);
    }

    [Fact]
    public void Policy_as_preset_or_object_with_overrides()
    {
        var a = ConfigLoader.Parse("{\"data\": {\"policy\": \"strict\"}}", "a.json");
        Assert.Equal(QualityPolicy.Strict, a.Data.Policy);
        var b = ConfigLoader.Parse("{\"data\": {\"policy\": {\"preset\": \"drop\", \"calendarGaps\": \"forward-fill\", \"outlierThreshold\": 0.4}}}", "b.json");
        Assert.Equal(QualityPolicy.Drop with { CalendarGaps = RepairAction.ForwardFill, OutlierThreshold = 0.4 }, b.Data.Policy);
        var e = Assert.Throws<DataFormatException>(() => ConfigLoader.Parse("{\"data\": {\"policy\": {\"missingPrice\": \"guess\"}}}", "c.json"));
        Assert.Equal(1, e.Line);
        var p = Assert.Throws<DataFormatException>(() => ConfigLoader.Parse("{\"data\": {\"policy\": \"lenient\"}}", "d.json"));
        Assert.Contains("default, strict, drop, report", p.Message);
    }

    [Fact]
    public void Invalid_values_name_the_setting()
    {
        Assert.Equal("split.embargo", Assert.Throws<ConfigException>(() => new RunConfig { Split = new SplitConfig { Embargo = -1 } }.Validate()).Path);
        Assert.Equal("split.validationEnd", Assert.Throws<ConfigException>(() =>
            new RunConfig { Split = new SplitConfig { TrainEnd = new DateOnly(2015, 1, 1), ValidationEnd = new DateOnly(2014, 1, 1) } }.Validate()).Path);
        Assert.Equal("data.policy.zeroVolume", Assert.Throws<ConfigException>(() =>
            new RunConfig { Data = new DataConfig { Policy = QualityPolicy.Default with { ZeroVolume = RepairAction.Sort } } }.Validate()).Path);
        Assert.Equal("benchmarks.costRate", Assert.Throws<ConfigException>(() =>
            new RunConfig { Benchmarks = new BenchmarkConfig { CostRate = -0.01 } }.Validate()).Path);
        Assert.Equal("walkForward.validationDays", Assert.Throws<ConfigException>(() =>
            new RunConfig { WalkForward = new WalkForwardConfig { TrainDays = 100, ValidationDays = 99 } }.Validate()).Path);
    }

    [Fact]
    public void A_config_extends_another_key_by_key_and_errors_point_into_the_file_that_has_them()
    {
        string dir = TestPaths.NewTempDir();
        File.WriteAllText(Path.Combine(dir, "base.json"), "{ \"name\": \"base\", \"seed\": 7, \"data\": { \"paths\": [\"d\"], \"cache\": \"c\" }, \"rl\": { \"hMax\": 50, \"agents\": [{ \"algo\": \"sac\" }] } }");
        File.WriteAllText(Path.Combine(dir, "child.json"), "{\n  // only what differs\n  \"extends\": \"base.json\",\n  \"name\": \"child\",\n  \"rl\": { \"agents\": [{ \"algo\": \"ppo\", \"steps\": 10 }] }\n}");
        var c = ConfigLoader.Load(Path.Combine(dir, "child.json"));
        Assert.Equal(("child", 7, 50), (c.Name, c.Seed, c.Rl.HMax)); // objects merge key by key
        Assert.Equal("ppo", c.Rl.Agents.Single().Algo); // arrays replace
        Assert.Equal(Path.Combine(dir, "d"), c.Data.Paths.Single());
        Assert.Null(c.Extends);

        File.WriteAllText(Path.Combine(dir, "typo.json"), "{\n  \"extends\": \"base.json\",\n  \"rl\": { \"hmax\": 5 }\n}");
        var e = Assert.Throws<DataFormatException>(() => ConfigLoader.Load(Path.Combine(dir, "typo.json")));
        Assert.Equal((Path.Combine(dir, "typo.json"), 3), (e.Source, e.Line));
        File.WriteAllText(Path.Combine(dir, "a.json"), "{ \"extends\": \"b.json\" }");
        File.WriteAllText(Path.Combine(dir, "b.json"), "{ \"extends\": \"a.json\" }");
        Assert.Contains("loops back", Assert.Throws<DataFormatException>(() => ConfigLoader.Load(Path.Combine(dir, "a.json"))).Message);
        foreach (var name in new[] { "ppo", "a2c", "sac", "td3", "ddpg", "ensemble" })
        {
            var shipped = ConfigLoader.Load(Path.Combine(TestPaths.RepoRoot, "experiments", $"{name}.json"));
            Assert.Equal(name, shipped.Name);
            Assert.Equal(name == "ensemble", shipped.Rl.Ensemble.Enabled);
        }
    }
}
