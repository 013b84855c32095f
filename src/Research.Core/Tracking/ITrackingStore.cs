namespace Research.Core.Tracking;

/// <summary>
/// The tracking operations of MLflow's REST API 2.0, implemented by the local file store (<see cref="FileStore"/>)
/// and the REST client (<see cref="RestStore"/>). Errors are <see cref="TrackingException"/>s with MLflow's codes.
/// </summary>
public interface ITrackingStore
{
    /// <summary>Where the store lives (a file: or http(s): URI).</summary>
    string Uri { get; }

    /// <summary>Creates an experiment; RESOURCE_ALREADY_EXISTS when the name is taken.</summary>
    string CreateExperiment(string name);

    /// <summary>The active experiment called <paramref name="name"/>, or null.</summary>
    Experiment? GetExperimentByName(string name);

    /// <summary>Every active experiment.</summary>
    IReadOnlyList<Experiment> SearchExperiments();

    /// <summary>Creates a RUNNING run with its tags.</summary>
    RunInfo CreateRun(string experimentId, string runName, long startTime, IReadOnlyDictionary<string, string> tags, string userId);

    /// <summary>Sets a run's status and end time.</summary>
    void UpdateRun(string runId, RunStatus status, long? endTime);

    /// <summary>A run with its latest metrics, params and tags; RESOURCE_DOES_NOT_EXIST when absent.</summary>
    Run GetRun(string runId);

    /// <summary>Every run of the experiments, newest first.</summary>
    IReadOnlyList<Run> SearchRuns(IReadOnlyList<string> experimentIds);

    /// <summary>Logs metrics, params and tags (any sizes: split into requests within MLflow's limits).</summary>
    void LogBatch(string runId, IReadOnlyList<Metric> metrics, IReadOnlyList<KeyValuePair<string, string>> parameters,
        IReadOnlyList<KeyValuePair<string, string>> tags);

    /// <summary>Every point logged for <paramref name="key"/>, in logging order.</summary>
    IReadOnlyList<Metric> GetMetricHistory(string runId, string key);

    /// <summary>Uploads the file at <paramref name="localPath"/> to <paramref name="artifactPath"/> (relative, with /).</summary>
    void LogArtifact(string runId, string localPath, string artifactPath);

    /// <summary>The artifacts directly under <paramref name="path"/> (null: the root).</summary>
    IReadOnlyList<ArtifactInfo> ListArtifacts(string runId, string? path = null);

    /// <summary>Downloads one artifact file to <paramref name="destination"/>.</summary>
    void DownloadArtifact(string runId, string artifactPath, string destination);
}

/// <summary>Conveniences over <see cref="ITrackingStore"/>.</summary>
public static class TrackingStoreExtensions
{
    /// <summary>Sets one tag.</summary>
    public static void SetTag(this ITrackingStore store, string runId, string key, string value) =>
        store.LogBatch(runId, [], [], [new(key, value)]);

    /// <summary>Logs one param.</summary>
    public static void LogParam(this ITrackingStore store, string runId, string key, string value) =>
        store.LogBatch(runId, [], [new(key, value)], []);

    /// <summary>Logs one metric point.</summary>
    public static void LogMetric(this ITrackingStore store, string runId, string key, double value, long step = 0, long? timestamp = null) =>
        store.LogBatch(runId, [new Metric(key, value, timestamp ?? DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), step)], [], []);

    /// <summary>The experiment called <paramref name="name"/>, created when missing (safe against a concurrent creator).</summary>
    public static string GetOrCreateExperiment(this ITrackingStore store, string name)
    {
        if (store.GetExperimentByName(name) is { } e) return e.ExperimentId;
        try
        {
            return store.CreateExperiment(name);
        }
        catch (TrackingException ex) when (ex.ErrorCode == TrackingException.ResourceAlreadyExists)
        {
            if (store.GetExperimentByName(name) is { } created) return created.ExperimentId;
            throw;
        }
    }

    /// <summary>Uploads every file under <paramref name="localDirectory"/> below <paramref name="artifactPath"/>.</summary>
    public static void LogArtifacts(this ITrackingStore store, string runId, string localDirectory, string? artifactPath = null)
    {
        foreach (var file in Directory.EnumerateFiles(localDirectory, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            string rel = Path.GetRelativePath(localDirectory, file).Replace('\\', '/');
            store.LogArtifact(runId, file, artifactPath is null ? rel : artifactPath.TrimEnd('/') + "/" + rel);
        }
    }
}
