namespace Research.Core.Tracking;

/// <summary>A run's lifecycle state, with MLflow's numeric codes (what a file store's meta.yaml holds).</summary>
public enum RunStatus
{
    /// <summary>Running.</summary>
    Running = 1,

    /// <summary>Scheduled.</summary>
    Scheduled = 2,

    /// <summary>Finished successfully.</summary>
    Finished = 3,

    /// <summary>Failed.</summary>
    Failed = 4,

    /// <summary>Killed.</summary>
    Killed = 5,
}

/// <summary>An MLflow experiment.</summary>
/// <param name="ExperimentId">Id (a string of digits).</param>
/// <param name="Name">Unique name.</param>
/// <param name="ArtifactLocation">Root URI of its runs' artifacts.</param>
/// <param name="LifecycleStage"><c>active</c> or <c>deleted</c>.</param>
/// <param name="CreationTime">Milliseconds since the Unix epoch.</param>
public sealed record Experiment(string ExperimentId, string Name, string ArtifactLocation, string LifecycleStage, long CreationTime);

/// <summary>One metric point.</summary>
/// <param name="Key">Metric name.</param>
/// <param name="Value">Value (NaN and ±∞ allowed, as in MLflow).</param>
/// <param name="Timestamp">Milliseconds since the Unix epoch.</param>
/// <param name="Step">Step (epoch, iteration).</param>
public sealed record Metric(string Key, double Value, long Timestamp, long Step);

/// <summary>A run's identity and state.</summary>
/// <param name="RunId">32-hex id.</param>
/// <param name="ExperimentId">Owning experiment.</param>
/// <param name="RunName">Display name.</param>
/// <param name="Status">State.</param>
/// <param name="StartTime">Start, ms since epoch.</param>
/// <param name="EndTime">End, ms since epoch, or null while running.</param>
/// <param name="ArtifactUri">Where the run's artifacts live.</param>
/// <param name="UserId">Who ran it.</param>
/// <param name="LifecycleStage"><c>active</c> or <c>deleted</c>.</param>
public sealed record RunInfo(string RunId, string ExperimentId, string RunName, RunStatus Status, long StartTime,
    long? EndTime, string ArtifactUri, string UserId, string LifecycleStage = "active");

/// <summary>A run with its latest metrics, params and tags.</summary>
/// <param name="Info">Identity and state.</param>
/// <param name="Metrics">Latest value of each metric (max step, then max timestamp, as MLflow reports it).</param>
/// <param name="Params">Parameters.</param>
/// <param name="Tags">Tags, including <c>mlflow.*</c> system tags.</param>
public sealed record Run(RunInfo Info, IReadOnlyDictionary<string, Metric> Metrics, IReadOnlyDictionary<string, string> Params,
    IReadOnlyDictionary<string, string> Tags)
{
    /// <summary>The parent run's id (<c>mlflow.parentRunId</c>), or null for a top-level run.</summary>
    public string? ParentRunId => Tags.TryGetValue(TrackingTags.ParentRunId, out var p) ? p : null;
}

/// <summary>A file or folder among a run's artifacts.</summary>
/// <param name="Path">Path relative to the run's artifact root, with <c>/</c>.</param>
/// <param name="IsDir">Whether it is a folder.</param>
/// <param name="FileSize">Size in bytes (null for folders).</param>
public sealed record ArtifactInfo(string Path, bool IsDir, long? FileSize);

/// <summary>Tag names MLflow gives meaning to, and the workbench's own.</summary>
public static class TrackingTags
{
    /// <summary>The run's name.</summary>
    public const string RunName = "mlflow.runName";

    /// <summary>The parent of a nested run.</summary>
    public const string ParentRunId = "mlflow.parentRunId";

    /// <summary>Who ran it.</summary>
    public const string User = "mlflow.user";

    /// <summary>The program that ran it.</summary>
    public const string SourceName = "mlflow.source.name";

    /// <summary>LOCAL, PROJECT, ...</summary>
    public const string SourceType = "mlflow.source.type";

    /// <summary>The git commit of the code.</summary>
    public const string GitCommit = "mlflow.source.git.commit";

    /// <summary>Whether the working tree had uncommitted changes.</summary>
    public const string GitDirty = "research.git.dirty";

    /// <summary>The id of the local run a server run was synced from.</summary>
    public const string LocalRunId = "research.local_run_id";

    /// <summary>The run's note (Markdown).</summary>
    public const string Note = "mlflow.note.content";
}
