using Research.Core.Tracking;

namespace Research.Core.Tests.Tracking;

/// <summary>The model registry in MLflow's file-store layout: versions, <c>models:/</c> URIs, and MLflow's own client on both sides.</summary>
public class ModelRegistryTests
{
    private static (FileStore Store, string RunA, string RunB) StoreWithTwoModels()
    {
        string root = Path.Combine(TestPaths.NewTempDir("registry"), "mlruns");
        using var tracker = Tracker.FromUri(root);
        string LogModel(string marker)
        {
            using var run = tracker.StartRun(marker, "registry");
            run.LogText($"flavors: {{}}\nmarker: {marker}\n", "model/MLmodel");
            return run.RunId;
        }

        string a = LogModel("a"), b = LogModel("b");
        return (new FileStore(root), a, b);
    }

    [Fact]
    public void Versions_count_up_and_models_uris_resolve_to_the_registered_run()
    {
        var (store, a, b) = StoreWithTwoModels();
        var registry = new ModelRegistry(store);
        Assert.Empty(registry.Versions("demo"));
        var v1 = registry.Register("demo", $"runs:/{a}/model", a);
        var v2 = registry.Register("demo", $"runs:/{b}/model", b);
        Assert.Equal((1, 2), (v1.Version, v2.Version));
        Assert.Equal([1, 2], registry.Versions("demo").Select(v => v.Version));
        Assert.Equal(b, registry.Get("demo", "latest").RunId);

        var (folder, registered) = ModelUri.ResolveVersion("models:/demo/latest", store);
        Assert.Equal(store.ArtifactPath(b, "model"), folder);
        Assert.Equal(2, registered!.Version);
        Assert.Equal(store.ArtifactPath(a, "model"), ModelUri.Resolve("models:/demo/1", store));

        Assert.Contains("has no version 7 (versions 1, 2)", Assert.Throws<KeyNotFoundException>(() => ModelUri.Resolve("models:/demo/7", store)).Message);
        Assert.Contains("registered model 'nope' not found", Assert.Throws<KeyNotFoundException>(() => ModelUri.Resolve("models:/nope/latest", store)).Message);
        Assert.Contains("expected a positive integer or 'latest'", Assert.Throws<ArgumentException>(() => ModelUri.Resolve("models:/demo/v2", store)).Message);
        Assert.Contains("models:/<name>/<version>", Assert.Throws<ArgumentException>(() => ModelUri.Resolve("models:/demo", store)).Message);
        Assert.Contains("expected runs:/", Assert.Throws<ArgumentException>(() => registry.Register("demo", "/tmp/x", null)).Message);
        Assert.Contains("registered model name 'a/b'", Assert.Throws<ArgumentException>(() => registry.Register("a/b", $"runs:/{a}/model", a)).Message);
    }

    [Fact]
    public async Task Concurrent_registrations_get_distinct_versions()
    {
        var (store, a, _) = StoreWithTwoModels();
        var versions = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Task.Run(() => new ModelRegistry(store).Register("race", $"runs:/{a}/model", a).Version)));
        Assert.Equal(Enumerable.Range(1, 16), versions.Order());
    }

    [Fact]
    public void Mlflows_client_reads_our_versions_and_we_read_the_versions_it_registers()
    {
        var (store, a, b) = StoreWithTwoModels();
        new ModelRegistry(store).Register("demo", $"runs:/{a}/model", a);
        var (code, stdout, stderr) = RealMlflow.Python($$"""
            from mlflow.tracking import MlflowClient
            c = MlflowClient("{{store.Uri}}")
            m = c.get_registered_model("demo")
            v = c.get_model_version("demo", "1")
            print("ours", m.name, v.version, v.run_id, v.source, v.status, v.current_stage)
            mv = c.create_model_version("demo", "runs:/{{b}}/model", "{{b}}")
            print("theirs", mv.version)
            print("latest", max(int(x.version) for x in c.search_model_versions("name='demo'")))
            """);
        Assert.True(code == 0, $"python failed: {stderr}");
        Assert.Contains($"ours demo 1 {a} runs:/{a}/model READY None", stdout);
        Assert.Contains("theirs 2", stdout);
        Assert.Contains("latest 2", stdout);
        Assert.DoesNotContain("Traceback", stderr);

        var latest = new ModelRegistry(store).Get("demo", "latest");
        Assert.Equal((2, b, $"runs:/{b}/model"), (latest.Version, latest.RunId, latest.Source));
        Assert.Equal(3, new ModelRegistry(store).Register("demo", $"runs:/{a}/model", a).Version);
    }
}
