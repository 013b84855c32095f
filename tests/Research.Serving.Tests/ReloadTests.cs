using System.Collections.Concurrent;
using System.Net;
using Research.Core.Tracking;

namespace Research.Serving.Tests;

/// <summary><c>POST /admin/reload</c> and source polling: the model is swapped without failing a request in flight.</summary>
[Collection(ServingCollection.Name)]
public class ReloadTests(ServingFixture fixture)
{
    /// <summary>A source that serves the plain model first and then alternates with the variant (another version).</summary>
    private ModelSource Alternating()
    {
        int loads = 0;
        return new ModelSource(() => ServedModel.Load(Interlocked.Increment(ref loads) % 2 == 1 ? fixture.PlainModel : fixture.VariantModel));
    }

    [Fact]
    public async Task Reloads_under_concurrent_predictions_fail_no_request_and_switch_versions()
    {
        await using var serving = await TestServing.Start(Alternating());
        string plain = ServedModel.Version(fixture.PlainModel), variant = ServedModel.Version(fixture.VariantModel);
        Assert.NotEqual(plain, variant);
        string body = TestServing.Body(fixture.Panel, 100, 160).ToJsonString();
        var statuses = new ConcurrentBag<HttpStatusCode>();
        var versions = new ConcurrentBag<string>();
        int completed = 0;
        using var stop = new CancellationTokenSource();
        var loops = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                var response = await serving.Post("/v1/predict", body);
                statuses.Add(response.StatusCode);
                if (response.StatusCode == HttpStatusCode.OK)
                    versions.Add((await TestServing.Json(response)).GetProperty("model").GetProperty("version").GetString()!);
                Interlocked.Increment(ref completed);
            }
        })).ToArray();

        var expected = plain;
        for (int reload = 0; reload < 6; reload++)
        {
            // Let the clients get requests through on the current model before swapping it.
            int target = Volatile.Read(ref completed) + 8;
            while (Volatile.Read(ref completed) < target) await Task.Delay(1);
            var response = await serving.Post("/admin/reload", "");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var json = await TestServing.Json(response);
            string next = expected == plain ? variant : plain;
            Assert.Equal(expected, json.GetProperty("previous").GetProperty("version").GetString());
            Assert.Equal(next, json.GetProperty("current").GetProperty("version").GetString());
            Assert.True(json.GetProperty("changed").GetBoolean());
            expected = next;
        }

        int after = Volatile.Read(ref completed) + 8;
        while (Volatile.Read(ref completed) < after) await Task.Delay(1);
        await stop.CancelAsync();
        await Task.WhenAll(loops);

        Assert.True(statuses.Count >= 56);
        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.OK, s));
        Assert.Contains(plain, versions);
        Assert.Contains(variant, versions);
        Assert.Equal(expected, (await TestServing.Json(await serving.Client.GetAsync("/v1/model"))).GetProperty("version").GetString());
        var metrics = await serving.Client.GetStringAsync("/metrics");
        Assert.Contains("research_serving_reloads_total{result=\"ok\"} 6", metrics);
        Assert.Single(metrics.Split('\n'), l => l.StartsWith("research_serving_model_info{", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_lease_taken_before_a_reload_keeps_the_old_model_until_released()
    {
        await using var serving = await TestServing.Start(Alternating());
        var lease = serving.Host.Acquire()!.Value;
        var old = lease.Predictor.Model;
        var result = await serving.Host.ReloadAsync("test");
        Assert.Equal(old.Info.Version, result.Previous.Version);
        Assert.NotSame(old, serving.Host.Predictor!.Model);

        // Still usable: the request holding it finishes on the model it started with.
        Assert.False(old.IsDisposed);
        var request = BarsRequest.Parse(System.Text.Json.JsonDocument.Parse(TestServing.Body(fixture.Panel, 100, 160).ToJsonString()).RootElement, old.Info);
        Assert.Equal(old.Info.Version, lease.Predictor.Predict(request).Model.Version);
        lease.Dispose();
        Assert.True(old.IsDisposed);
        Assert.False(serving.Host.Predictor.Model.IsDisposed);
    }

    [Fact]
    public async Task A_reload_that_fails_answers_422_and_the_old_model_keeps_serving()
    {
        int loads = 0;
        await using var serving = await TestServing.Start(() =>
            Interlocked.Increment(ref loads) == 1 ? ServedModel.Load(fixture.PlainModel) : ServedModel.Load(Path.Combine(fixture.Root, "no-such-model")));
        await Problems.Assert(await serving.Post("/admin/reload", ""), HttpStatusCode.UnprocessableEntity, "$");
        Assert.Equal(ServedModel.Version(fixture.PlainModel), (await TestServing.Json(await serving.Client.GetAsync("/v1/model"))).GetProperty("version").GetString());
        Assert.Equal(HttpStatusCode.OK, (await serving.Post("/v1/predict", TestServing.Body(fixture.Panel, 100, 160).ToJsonString())).StatusCode);
        Assert.Contains("research_serving_reloads_total{result=\"failed\"} 1", await serving.Client.GetStringAsync("/metrics"));
    }

    [Fact]
    public async Task Polling_swaps_in_a_new_version_that_appears_at_the_source()
    {
        string live = Path.Combine(fixture.Root, $"live-{Guid.NewGuid():N}");
        Copy(fixture.PlainModel, live);
        var options = new ServingOptions { ReloadInterval = TimeSpan.FromMilliseconds(50) };
        await using var serving = await TestServing.Start(ModelSource.FromUri(live), options);
        var swapped = new TaskCompletionSource<ModelInfo>(TaskCreationOptions.RunContinuationsAsynchronously);
        serving.Host.Swapped += (_, current) => swapped.TrySetResult(current);
        Assert.Equal(ServedModel.Version(fixture.PlainModel), serving.Host.Predictor!.Model.Info.Version);

        Copy(fixture.VariantModel, live);
        var current = await swapped.Task.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(ServedModel.Version(fixture.VariantModel), current.Version);
        Assert.Equal(current.Version, (await TestServing.Json(await serving.Client.GetAsync("/v1/model"))).GetProperty("version").GetString());
    }

    [Fact]
    public async Task Polling_a_registered_model_serves_each_new_version_registered_in_mlflow()
    {
        string root = Path.Combine(fixture.Root, $"mlruns-{Guid.NewGuid():N}");
        var store = new FileStore(root);
        string Log(string model)
        {
            using var tracker = Tracker.FromUri(root);
            using var run = tracker.StartRun("train", "registry");
            foreach (var file in Directory.GetFiles(model)) run.LogArtifact(file, $"model/{Path.GetFileName(file)}");
            return run.RunId;
        }

        string first = Log(fixture.PlainModel), second = Log(fixture.VariantModel);
        var registry = new ModelRegistry(store);
        registry.Register("djia-forecaster", $"runs:/{first}/model", first);
        var options = new ServingOptions { ReloadInterval = TimeSpan.FromMilliseconds(50) };
        await using var serving = await TestServing.Start(ModelSource.FromUri("models:/djia-forecaster/latest", store: store), options);
        var swapped = new TaskCompletionSource<ModelInfo>(TaskCreationOptions.RunContinuationsAsynchronously);
        serving.Host.Swapped += (_, current) => swapped.TrySetResult(current);
        var before = await TestServing.Json(await serving.Client.GetAsync("/v1/model"));
        Assert.Equal(("djia-forecaster", "1", first), (before.GetProperty("name").GetString(), before.GetProperty("version").GetString(), before.GetProperty("run_id").GetString()));

        registry.Register("djia-forecaster", $"runs:/{second}/model", second);
        var current = await swapped.Task.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(("2", second), (current.Version, current.RunId));
        var after = await TestServing.Json(await serving.Client.GetAsync("/v1/model"));
        Assert.Equal("2", after.GetProperty("version").GetString());
        Assert.Equal(HttpStatusCode.OK, (await serving.Post("/v1/predict", TestServing.Body(fixture.Panel, 100, 160).ToJsonString())).StatusCode);
    }

    [Fact]
    public async Task Reload_needs_the_api_key_when_one_is_configured()
    {
        await using var serving = await TestServing.Start(Alternating(), new ServingOptions { ApiKey = "k" });
        await Problems.Assert(await serving.Post("/admin/reload", ""), HttpStatusCode.Unauthorized, ServingApp.ApiKeyHeader);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/admin/reload");
        request.Headers.Add(ServingApp.ApiKeyHeader, "k");
        Assert.Equal(HttpStatusCode.OK, (await serving.Client.SendAsync(request)).StatusCode);
    }

    private static void Copy(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from)) File.Copy(file, Path.Combine(to, Path.GetFileName(file)), overwrite: true);
    }
}
