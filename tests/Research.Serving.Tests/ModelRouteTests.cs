using System.Net;
using Research.Core.Features;
using Research.Core.Models;

namespace Research.Serving.Tests;

/// <summary><c>GET /v1/model</c>, <c>/health</c> and <c>/ready</c>.</summary>
[Collection(ServingCollection.Name)]
public class ModelRouteTests(ServingFixture fixture)
{
    [Fact]
    public async Task Model_route_names_the_model_its_inputs_and_min_bars_from_the_indicator_lookback()
    {
        await using var serving = await TestServing.Start(fixture.RunModel);
        var response = await serving.Client.GetAsync("/v1/model");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var json = await TestServing.Json(response);
        Assert.Equal("cnn_lstm_forecaster", json.GetProperty("name").GetString());
        Assert.Equal(ServedModel.Version(fixture.RunModel), json.GetProperty("version").GetString());
        Assert.Matches("^[0-9a-f]{12}$", json.GetProperty("version").GetString());
        Assert.Equal("0123456789abcdef0123456789abcdef", json.GetProperty("run_id").GetString());
        Assert.Equal(["S0", "S1", "S2"], json.GetProperty("tickers").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal([.. ForecastFeatures.Names, "RSI_25"], json.GetProperty("features").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(10, json.GetProperty("window").GetInt32());
        // RSI(25)'s lookback (25) outlasts the base features' 20 days: min_bars = window + 25.
        int rsiLookback = FeaturePipeline.Expand(["RSI(period=25)"])[0].Definition.Lookback([25]);
        Assert.Equal(25, rsiLookback);
        Assert.Equal(10 + rsiLookback, json.GetProperty("min_bars").GetInt32());
        Assert.Equal(7, json.EnumerateObject().Count());
    }

    [Fact]
    public async Task A_model_saved_outside_a_run_has_a_null_run_id_and_the_same_version_as_the_same_files()
    {
        await using var serving = await TestServing.Start(fixture.PlainModel);
        var json = await TestServing.Json(await serving.Client.GetAsync("/v1/model"));
        Assert.Equal(System.Text.Json.JsonValueKind.Null, json.GetProperty("run_id").ValueKind);
        // Same weights and metadata in both folders (MLmodel differs only in run_id and time): same version.
        Assert.Equal(ServedModel.Version(fixture.RunModel), json.GetProperty("version").GetString());
    }

    [Fact]
    public async Task Health_answers_while_loading_and_ready_turns_200_once_the_model_is_in()
    {
        using var gate = new ManualResetEventSlim();
        await using var serving = await TestServing.Start(() =>
        {
            gate.Wait(TimeSpan.FromSeconds(30));
            return ServedModel.Load(fixture.PlainModel);
        }, waitForModel: false);
        Assert.Equal(HttpStatusCode.OK, (await serving.Client.GetAsync("/health")).StatusCode);
        var ready = await serving.Client.GetAsync("/ready");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.Equal("loading", (await TestServing.Json(ready)).GetProperty("status").GetString());
        var model = await serving.Client.GetAsync("/v1/model");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, model.StatusCode);
        Assert.Equal("application/problem+json", model.Content.Headers.ContentType?.MediaType);

        gate.Set();
        await serving.Host.Loaded;
        Assert.Equal(HttpStatusCode.OK, (await serving.Client.GetAsync("/ready")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await serving.Client.GetAsync("/health")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await serving.Client.GetAsync("/v1/model")).StatusCode);
    }

    [Fact]
    public async Task A_model_that_fails_to_load_keeps_ready_at_503_and_records_the_error()
    {
        string missing = Path.Combine(fixture.Root, "no-such-model");
        await using var serving = await TestServing.Start(() => ServedModel.Load(missing));
        Assert.IsType<DirectoryNotFoundException>(serving.Host.Error);
        var ready = await serving.Client.GetAsync("/ready");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.Equal("failed", (await TestServing.Json(ready)).GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.OK, (await serving.Client.GetAsync("/health")).StatusCode);
    }

    [Fact]
    public void Min_bars_follows_the_feature_definitions()
    {
        using var f = Forecaster.Load(fixture.PlainModel);
        Assert.Equal(35, ServedModel.MinBars(f.Metadata));
        var baseOnly = f.Metadata with { Config = f.Metadata.Config with { Indicators = [] } };
        Assert.Equal(10 + ForecastFeatures.Lookback, ServedModel.MinBars(baseOnly));
        var longer = f.Metadata with { Config = f.Metadata.Config with { Indicators = ["RSI(period=25)", "SMA(period=40)"] } };
        Assert.Equal(10 + 39, ServedModel.MinBars(longer));
    }
}
