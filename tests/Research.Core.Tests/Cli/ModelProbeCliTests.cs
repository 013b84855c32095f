using Research.Core.Tracking;

namespace Research.Core.Tests.Cli;

/// <summary><c>research model train --shuffle-target</c> and <c>research model significance</c> on a tiny config.</summary>
[Collection("Torch")]
public class ModelProbeCliTests
{
    // The DJIA data with a tiny network: 4 tickers, 1 epoch, one thread.
    private static string TinyConfig(string dir)
    {
        string path = Path.Combine(dir, "tiny.json");
        string Json(string p) => System.Text.Json.JsonSerializer.Serialize(p);
        File.WriteAllText(path, $$"""
            {
              "name": "tiny_probe", "seed": 7, "output": {{Json(Path.Combine(dir, "runs"))}},
              "data": { "paths": [{{Json(TestPaths.Djia)}}], "benchmark": {{Json(Path.Combine(TestPaths.Indices, "^DJI.csv"))}}, "cache": {{Json(Path.Combine(dir, "cache"))}} },
              "split": { "trainEnd": "2014-12-31", "validationEnd": "2015-12-31", "embargo": 5 },
              "forecaster": { "window": 10, "convChannels": [4], "dilations": [1], "hidden": 8, "tickerEmbedding": 2, "epochs": 1,
                              "quickEpochs": 1, "quickTickers": 4, "batchSize": 512, "walkForward": false, "threads": 1 }
            }
            """);
        return path;
    }

    [Fact]
    public void Train_with_shuffle_target_is_tagged_in_mlflow()
    {
        string dir = TestPaths.NewTempDir();
        string mlruns = Path.Combine(dir, "mlruns");
        var (code, stdout, err) = CliHarness.Run("model", "train", "--config", TinyConfig(dir), "--quick", "--shuffle-target", "--tracking-uri", mlruns);
        Assert.True(code == 0, err);
        Assert.Contains("shuffle-target probe", stdout);
        Assert.Contains("rank IC, daily mean", stdout);
        var store = new FileStore(mlruns);
        var parent = store.SearchRuns([store.GetExperimentByName("tiny_probe")!.ExperimentId]).Single(r => r.ParentRunId is null);
        Assert.Equal("true", parent.Tags["shuffle_target"]);
        Assert.Equal("true", parent.Params["shuffle_target"]);
        Assert.True(Math.Abs(parent.Metrics["forecast.test.cnn-lstm.ic_mean"].Value) < 0.1);
        // The probe is part of the run's config, so reproducing the run from its logged config shuffles again.
        var logged = Research.Core.Configuration.ConfigLoader.Load(store.ArtifactPath(parent.Info.RunId, "config.json"));
        Assert.Equal(Research.Core.Models.TargetPermutation.SeedFor(7, 1), logged.Forecaster.ShuffleTargetSeed);
        Assert.Equal(parent.Params["shuffle_target_seed"], logged.Forecaster.ShuffleTargetSeed!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void Register_makes_numbered_versions_that_models_uris_resolve()
    {
        string dir = TestPaths.NewTempDir();
        string mlruns = Path.Combine(dir, "mlruns");
        var (code, _, err) = CliHarness.Run("model", "train", "--config", TinyConfig(dir), "--quick", "--tracking-uri", mlruns);
        Assert.True(code == 0, err);
        var store = new FileStore(mlruns);
        string runId = store.SearchRuns([store.GetExperimentByName("tiny_probe")!.ExperimentId]).Single(r => r.ParentRunId is null).Info.RunId;

        (code, var json, err) = CliHarness.Run("model", "register", runId, "--name", "tiny", "--tracking-uri", mlruns, "--json");
        Assert.True(code == 0, err);
        using (var doc = System.Text.Json.JsonDocument.Parse(json))
        {
            Assert.Equal(1, doc.RootElement.GetProperty("version").GetInt32());
            Assert.Equal($"runs:/{runId}/model", doc.RootElement.GetProperty("source").GetString());
            Assert.Equal("models:/tiny/1", doc.RootElement.GetProperty("uri").GetString());
        }

        (code, var text, err) = CliHarness.Run("model", "register", $"runs:/{runId}/model", "--name", "tiny", "--tracking-uri", mlruns);
        Assert.True(code == 0, err);
        Assert.Contains("as models:/tiny/2", text);
        Assert.Equal(store.ArtifactPath(runId, "model"), ModelUri.Resolve("models:/tiny/latest", store));

        (code, _, err) = CliHarness.Run("model", "register", "runs:/0123456789abcdef0123456789abcdef/model", "--name", "tiny", "--tracking-uri", mlruns);
        Assert.NotEqual(0, code);
        Assert.Contains("0123456789abcdef0123456789abcdef", err);
        Assert.Equal(2, new ModelRegistry(store).Versions("tiny").Count);
    }

    [Fact]
    public void Significance_json_has_the_documented_keys_and_logs_one_run()
    {
        string dir = TestPaths.NewTempDir();
        string mlruns = Path.Combine(dir, "mlruns");
        var (code, json, err) = CliHarness.Run("model", "significance", "--config", TinyConfig(dir), "--quick", "--permutations", "2",
            "--tracking-uri", mlruns, "--json");
        Assert.True(code == 0, err);
        Assert.Contains("model 3/3 (shuffled targets #2)", err); // progress goes to stderr with --json
        Assert.Contains("ETA", err);
        using var doc = System.Text.Json.JsonDocument.Parse(json);
        var root = doc.RootElement;
        foreach (var key in new[] { "real_ic", "null_ics", "null_mean", "null_std", "p_value", "permutations", "seed" })
            Assert.True(root.TryGetProperty(key, out _), key);
        Assert.Equal(2, root.GetProperty("null_ics").GetArrayLength());
        Assert.Equal(2, root.GetProperty("permutations").GetInt32());
        Assert.Equal(7, root.GetProperty("seed").GetInt32());
        double real = root.GetProperty("real_ic").GetDouble();
        int atLeast = root.GetProperty("null_ics").EnumerateArray().Count(n => n.GetDouble() >= real);
        Assert.Equal((1 + atLeast) / 3.0, root.GetProperty("p_value").GetDouble(), 12);

        var store = new FileStore(mlruns);
        var run = store.SearchRuns([store.GetExperimentByName("tiny_probe")!.ExperimentId]).Single();
        Assert.Equal(RunStatus.Finished, run.Info.Status);
        Assert.Equal(real, run.Metrics["real_ic"].Value, 12);
        foreach (var m in new[] { "null_mean", "null_std", "p_value" }) Assert.True(run.Metrics.ContainsKey(m), m);
        Assert.Equal("2", run.Params["permutations"]);
        var artifacts = store.ListArtifacts(run.Info.RunId).Select(a => a.Path).ToList();
        Assert.Contains("null_ics.csv", artifacts);
        Assert.Contains("permutation_histogram.html", artifacts);
    }

    [Fact]
    public void Significance_rejects_fewer_than_one_permutation()
    {
        var (code, _, err) = CliHarness.Run("model", "significance", "--permutations", "0", "--no-tracking");
        Assert.Equal(2, code);
        Assert.Contains("--permutations must be ≥ 1 (got 0)", err);
    }
}
