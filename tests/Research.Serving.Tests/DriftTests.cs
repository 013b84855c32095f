using System.Globalization;
using System.Net;
using Research.Core.Models;
using Research.Core.Monitoring;

namespace Research.Serving.Tests;

/// <summary><c>GET /v1/model/drift</c> and the PSI/KS gauges: served feature rows against the saved training reference.</summary>
[Collection(ServingCollection.Name)]
public class DriftTests(ServingFixture fixture)
{
    [Fact]
    public async Task Drift_compares_the_served_rows_with_the_training_reference()
    {
        await using var serving = await TestServing.Start(fixture.PlainModel);
        var empty = await TestServing.Json(await serving.Client.GetAsync("/v1/model/drift"));
        Assert.Equal(0, empty.GetProperty("live_rows").GetInt32());
        Assert.All(empty.GetProperty("features").EnumerateObject(), f => Assert.Equal(System.Text.Json.JsonValueKind.Null, f.Value.GetProperty("psi").ValueKind));

        // Two requests of three tickers: six served rows, each ticker's features at the date predicted for.
        int[] ends = [160, 200];
        foreach (int end in ends)
            Assert.Equal(HttpStatusCode.OK, (await serving.Post("/v1/predict", TestServing.Body(fixture.Panel, end - 60, end).ToJsonString())).StatusCode);
        var response = await serving.Client.GetAsync("/v1/model/drift");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var json = await TestServing.Json(response);

        using var forecaster = Forecaster.Load(fixture.PlainModel);
        var reference = forecaster.Reference!;
        var names = forecaster.Metadata.Features;
        int f = names.Count;
        var rows = new List<float[]>();
        foreach (int end in ends)
        {
            var raw = ForecastFeatures.Compute(fixture.Panel.SliceDates(end - 60, end), forecaster.Metadata.Config.Indicators);
            rows.AddRange(raw.Select(r => r.AsSpan(59 * f, f).ToArray()));
        }

        Assert.Equal(6, json.GetProperty("live_rows").GetInt32());
        Assert.Equal(reference.Rows.Max(), json.GetProperty("reference_rows").GetInt64());
        var metrics = await serving.Client.GetStringAsync("/metrics");
        Assert.Equal(names, json.GetProperty("features").EnumerateObject().Select(p => p.Name));
        for (int j = 0; j < f; j++)
        {
            var live = rows.Select(r => (double)r[j]).ToArray();
            double psi = DistributionDrift.Psi(reference.Quantiles[j], live), ks = DistributionDrift.KolmogorovSmirnov(reference.Quantiles[j], live);
            var feature = json.GetProperty("features").GetProperty(names[j]);
            Assert.Equal(6, feature.GetProperty("n").GetInt32());
            Assert.Equal(psi, feature.GetProperty("psi").GetDouble());
            Assert.Equal(ks, feature.GetProperty("ks").GetDouble());
            Assert.Equal(psi, Gauge(metrics, "research_serving_feature_psi", names[j]), 12);
            Assert.Equal(ks, Gauge(metrics, "research_serving_feature_ks", names[j]), 12);
        }
    }

    [Fact]
    public async Task A_model_folder_without_a_reference_still_serves_and_drift_is_404()
    {
        string old = Path.Combine(fixture.Root, $"old-{Guid.NewGuid():N}");
        Directory.CreateDirectory(old);
        foreach (var file in Directory.GetFiles(fixture.PlainModel).Where(p => Path.GetFileName(p) != FeatureReference.FileName))
            File.Copy(file, Path.Combine(old, Path.GetFileName(file)));
        await using var serving = await TestServing.Start(old);
        Assert.Null(serving.Host.Predictor!.Model.Forecaster.Reference);
        Assert.Equal(HttpStatusCode.OK, (await serving.Post("/v1/predict", TestServing.Body(fixture.Panel, 100, 160).ToJsonString())).StatusCode);
        await Problems.Assert(await serving.Client.GetAsync("/v1/model/drift"), HttpStatusCode.NotFound, "$");
        Assert.DoesNotContain("research_serving_feature_psi{", await serving.Client.GetStringAsync("/metrics"));
    }

    [Fact]
    public void The_saved_reference_covers_the_model_features_on_its_training_window()
    {
        using var forecaster = Forecaster.Load(fixture.PlainModel);
        var reference = forecaster.Reference;
        Assert.NotNull(reference);
        Assert.Equal(forecaster.Metadata.Features, reference.Features);
        Assert.All(reference.Quantiles, q =>
        {
            Assert.Equal(FeatureReference.DefaultPoints, q.Length);
            Assert.True(q.Zip(q.Skip(1)).All(p => p.First <= p.Second));
        });
        // 60 % of 320 dates train, three tickers: every feature has values on most of them.
        Assert.All(reference.Rows, r => Assert.InRange(r, 3 * 150, 3 * 192));
    }

    private static double Gauge(string metrics, string name, string feature)
    {
        string prefix = $"{name}{{feature=\"{feature}\"}} ";
        var line = metrics.Split('\n').Single(l => l.StartsWith(prefix, StringComparison.Ordinal));
        return double.Parse(line[prefix.Length..], CultureInfo.InvariantCulture);
    }
}
