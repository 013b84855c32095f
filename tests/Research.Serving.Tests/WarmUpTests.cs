using System.Net;

namespace Research.Serving.Tests;

/// <summary>A loaded model is warmed up on synthetic bars before it takes traffic, and the warm-up records nothing.</summary>
[Collection(ServingCollection.Name)]
public class WarmUpTests(ServingFixture fixture)
{
    [Fact]
    public async Task Warm_up_runs_before_ready_and_leaves_no_trace_in_metrics_or_drift()
    {
        await using var serving = await TestServing.Start(fixture.PlainModel, new ServingOptions { WarmUpCalls = 25 });
        Assert.Equal(HttpStatusCode.OK, (await serving.Client.GetAsync("/ready")).StatusCode);
        string metrics = await serving.Client.GetStringAsync("/metrics");
        Assert.Contains("research_serving_prediction_seconds_count 0", metrics);
        var drift = await TestServing.Json(await serving.Client.GetAsync("/v1/model/drift"));
        Assert.Equal(0, drift.GetProperty("live_rows").GetInt32());

        // A real request afterwards is the first one counted.
        Assert.Equal(HttpStatusCode.OK, (await serving.Post("/v1/predict", TestServing.Body(fixture.Panel, 100, 160).ToJsonString())).StatusCode);
        Assert.Contains("research_serving_prediction_seconds_count 1", await serving.Client.GetStringAsync("/metrics"));
    }

    [Fact]
    public async Task A_reload_whose_warm_up_fails_keeps_the_old_model_serving()
    {
        int loads = 0;
        // The second load has a policy naming no ticker the model knows: its warm-up request is refused, so the reload fails.
        var source = new ModelSource(() => Interlocked.Increment(ref loads) == 1
            ? ServedModel.Load(fixture.PlainModel)
            : Broken(ServedModel.Load(fixture.VariantModel)));
        await using var serving = await TestServing.Start(source, new ServingOptions { WarmUpCalls = 5 });
        string before = serving.Host.Predictor!.Model.Info.Version;
        var response = await serving.Post("/admin/reload", "");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal(before, serving.Host.Predictor!.Model.Info.Version);
        Assert.Equal(HttpStatusCode.OK, (await serving.Post("/v1/predict", TestServing.Body(fixture.Panel, 100, 160).ToJsonString())).StatusCode);
    }

    private static ServedModel Broken(ServedModel model)
    {
        // A model whose window needs more bars than its min_bars promise: every request, the warm-up's too, lacks a full window.
        return new ServedModel(model.Forecaster, model.Info with { MinBars = model.Info.Window - 1 }, model.Policy, model.Folder);
    }
}
