using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Logging;
using Research.Core.Tracking;

namespace Research.Serving;

/// <summary>
/// A sampled log of predictions: every <c>sample</c>-th prediction as one JSON line in <c>predictions.jsonl</c> under
/// a folder, rotated by size (the full file becomes <c>predictions.1.jsonl</c>, older ones shift up, at most
/// <c>keep</c> files in all). <see cref="CopyTo"/> logs the files as artifacts of a tracking run.
/// </summary>
public sealed class PredictionLog(string folder, int sample, long maxBytes, int keep) : IDisposable
{
    /// <summary>The current file's name.</summary>
    public const string FileName = "predictions.jsonl";

    /// <summary>Where a run's copies go: <c>serving/predictions/…</c>.</summary>
    public const string ArtifactFolder = "serving/predictions";

    private readonly Lock _lock = new();
    private long _seen;
    private StreamWriter? _writer;

    /// <summary>The folder holding the log files.</summary>
    public string Folder { get; } = folder;

    /// <summary>Lines written since start.</summary>
    public long Written { get; private set; }

    /// <summary>Counts a prediction and writes it when it is a sampled one.</summary>
    public void Offer(DateOnly date, PredictResponse response)
    {
        if (Interlocked.Increment(ref _seen) % sample != 0) return;
        var entry = new Entry(DateTimeOffset.UtcNow, response.Model.Version, response.Model.RunId, date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            response.Predictions, response.Risk);
        string line = JsonSerializer.Serialize(entry);
        lock (_lock)
        {
            if (_writer is not null && _writer.BaseStream.Length + line.Length + 1 > maxBytes) Rotate();
            _writer ??= Open();
            _writer.WriteLine(line);
            _writer.Flush();
            Written++;
        }
    }

    /// <summary>The log files, newest first.</summary>
    public IReadOnlyList<string> Files()
    {
        lock (_lock)
        {
            _writer?.Flush();
            return Enumerable.Range(0, keep).Select(Name).Where(File.Exists).ToList();
        }
    }

    /// <summary>Copies the log files into run <paramref name="runId"/>'s artifacts under <see cref="ArtifactFolder"/>; returns how many.</summary>
    public int CopyTo(ITrackingStore store, string runId)
    {
        lock (_lock)
        {
            _writer?.Flush();
            var files = Enumerable.Range(0, keep).Select(Name).Where(File.Exists).ToList();
            foreach (var file in files) store.LogArtifact(runId, file, $"{ArtifactFolder}/{Path.GetFileName(file)}");
            return files.Count;
        }
    }

    /// <summary>Copies the logs to the run of <paramref name="model"/> when it has one and <paramref name="store"/> is set; logs what happened.</summary>
    public void CopyToRun(ITrackingStore? store, ModelInfo model, ILogger log)
    {
        if (store is null || model.RunId is not { } runId) return;
        try
        {
            int copied = CopyTo(store, runId);
            log.LogInformation("Copied {Files} prediction log file(s) to run {RunId} as artifacts under {Folder}.", copied, runId, ArtifactFolder);
        }
        catch (Exception e) when (e is IOException or TrackingException or UnauthorizedAccessException or HttpRequestException)
        {
            log.LogWarning("Could not copy the prediction log to run {RunId}: {Message}", runId, e.Message);
        }
    }

    private string Name(int index) => Path.Combine(Folder, index == 0 ? FileName : $"predictions.{index}.jsonl");

    private StreamWriter Open()
    {
        Directory.CreateDirectory(Folder);
        return new StreamWriter(new FileStream(Name(0), FileMode.Append, FileAccess.Write, FileShare.Read));
    }

    private void Rotate()
    {
        _writer!.Dispose();
        _writer = null;
        File.Delete(Name(keep - 1));
        for (int i = keep - 2; i >= 0; i--)
        {
            if (File.Exists(Name(i))) File.Move(Name(i), Name(i + 1), overwrite: true);
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        lock (_lock)
        {
            _writer?.Dispose();
            _writer = null;
        }
    }

    private sealed record Entry(
        [property: JsonPropertyName("time")] DateTimeOffset Time,
        [property: JsonPropertyName("model_version")] string Version,
        [property: JsonPropertyName("run_id")] string? RunId,
        [property: JsonPropertyName("date")] string Date,
        [property: JsonPropertyName("predictions")] IReadOnlyDictionary<string, TickerPrediction> Predictions,
        [property: JsonPropertyName("risk")] IReadOnlyDictionary<string, TickerRisk> Risk);
}
