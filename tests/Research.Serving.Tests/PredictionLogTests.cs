using System.Net;
using System.Text.Json;
using Research.Core.Models;
using Research.Core.Tracking;

namespace Research.Serving.Tests;

/// <summary>The sampled, rotating prediction log and its copy into the model's MLflow run.</summary>
[Collection(ServingCollection.Name)]
public class PredictionLogTests(ServingFixture fixture)
{
    private string Scratch() => Path.Combine(fixture.Root, $"log-{Guid.NewGuid():N}");

    [Fact]
    public async Task Every_nth_prediction_is_logged_as_a_json_line()
    {
        string folder = Scratch();
        await using (var serving = await TestServing.Start(fixture.PlainModel, new ServingOptions { OutputFolder = folder, LogSample = 2 }))
        {
            for (int end = 150; end < 155; end++)
                Assert.Equal(HttpStatusCode.OK, (await serving.Post("/v1/predict", TestServing.Body(fixture.Panel, end - 50, end).ToJsonString())).StatusCode);
        }

        var lines = File.ReadAllLines(Path.Combine(folder, PredictionLog.FileName));
        Assert.Equal(2, lines.Length);
        int[] sampled = [151, 153]; // the 2nd and 4th predictions, for dates 150 and 152
        for (int i = 0; i < lines.Length; i++)
        {
            var entry = JsonDocument.Parse(lines[i]).RootElement;
            Assert.Equal(ServedModel.Version(fixture.PlainModel), entry.GetProperty("model_version").GetString());
            Assert.Equal(fixture.Panel.Calendar[sampled[i] - 1].ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), entry.GetProperty("date").GetString());
            Assert.Equal(["S0", "S1", "S2"], entry.GetProperty("predictions").EnumerateObject().Select(p => p.Name));
            Assert.True(entry.GetProperty("risk").GetProperty("S0").TryGetProperty("approved_weight", out _));
        }
    }

    [Fact]
    public async Task The_log_rotates_by_size_and_keeps_at_most_the_configured_files()
    {
        string folder = Scratch();
        // Every line is bigger than 100 bytes: each one starts a new file; three files are kept.
        await using (var serving = await TestServing.Start(fixture.PlainModel, new ServingOptions { OutputFolder = folder, LogSample = 1, LogMaxBytes = 100, LogKeep = 3 }))
        {
            for (int i = 0; i < 5; i++)
                Assert.Equal(HttpStatusCode.OK, (await serving.Post("/v1/predict", TestServing.Body(fixture.Panel, 100, 160 + i).ToJsonString())).StatusCode);
        }

        Assert.Equal(["predictions.1.jsonl", "predictions.2.jsonl", "predictions.jsonl"], Directory.GetFiles(folder).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        // Newest in predictions.jsonl: the fifth prediction (bars up to index 163), then the fourth and third.
        string Date(string file) => JsonDocument.Parse(File.ReadAllLines(Path.Combine(folder, file)).Single()).RootElement.GetProperty("date").GetString()!;
        Assert.Equal(fixture.Panel.Calendar[163].ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), Date("predictions.jsonl"));
        Assert.Equal(fixture.Panel.Calendar[162].ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), Date("predictions.1.jsonl"));
        Assert.Equal(fixture.Panel.Calendar[161].ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), Date("predictions.2.jsonl"));
    }

    [Fact]
    public async Task On_reload_and_on_shutdown_the_log_is_copied_to_the_model_run_as_an_artifact()
    {
        var store = new FileStore(Scratch());
        string experiment = store.GetOrCreateExperiment("serving");
        var run = store.CreateRun(experiment, "trained", FileStore.NowMs(), new Dictionary<string, string>(), "test");
        string model = Path.Combine(Scratch(), "model");
        using (var forecaster = Forecaster.Load(fixture.PlainModel)) forecaster.Save(model, run.RunId);

        string folder = Scratch();
        var options = new ServingOptions { OutputFolder = folder, LogSample = 1, ArtifactStore = store };
        await using (var serving = await TestServing.Start(model, options))
        {
            Assert.Equal(HttpStatusCode.OK, (await serving.Post("/v1/predict", TestServing.Body(fixture.Panel, 100, 160).ToJsonString())).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await serving.Post("/admin/reload", "")).StatusCode);
            var afterReload = store.ListArtifacts(run.RunId, PredictionLog.ArtifactFolder);
            Assert.Equal([$"{PredictionLog.ArtifactFolder}/{PredictionLog.FileName}"], afterReload.Select(a => a.Path));
            Assert.Single(File.ReadAllLines(store.ArtifactPath(run.RunId, $"{PredictionLog.ArtifactFolder}/{PredictionLog.FileName}")));
            Assert.Equal(HttpStatusCode.OK, (await serving.Post("/v1/predict", TestServing.Body(fixture.Panel, 100, 161).ToJsonString())).StatusCode);
        }

        // Shutdown copied the log again, with the prediction made after the reload.
        var copied = File.ReadAllLines(store.ArtifactPath(run.RunId, $"{PredictionLog.ArtifactFolder}/{PredictionLog.FileName}"));
        Assert.Equal(2, copied.Length);
        Assert.Equal(File.ReadAllLines(Path.Combine(folder, PredictionLog.FileName)), copied);
    }
}
