using System.Globalization;
using System.Runtime.InteropServices;

namespace Research.Core.Tracking;

/// <summary>
/// Starts runs the way MLflow's fluent API does, resolving the backend from MLFLOW_TRACKING_URI: unset, a path or
/// <c>file:</c> → the local file store (default <c>./mlruns</c>); <c>http(s)://</c> → the local store first (the
/// offline journal: nothing is lost while the server is away) with every run pushed to the server on
/// <see cref="ActiveRun.Flush"/> and at its end by <see cref="RunSync"/>, which is idempotent and exact;
/// a database URI (<c>sqlite:</c>, <c>postgresql:</c>, ...) is an error telling how to serve it.
/// </summary>
public sealed class Tracker : IDisposable
{
    /// <summary>A tracker over <paramref name="local"/>, mirroring to <paramref name="remote"/> when given.</summary>
    public Tracker(FileStore local, RestStore? remote = null, TextWriter? log = null)
    {
        Local = local;
        Remote = remote;
        Log = log ?? TextWriter.Null;
    }

    /// <summary>The local store (the system of record).</summary>
    public FileStore Local { get; }

    /// <summary>The server runs are pushed to, if any.</summary>
    public RestStore? Remote { get; }

    /// <summary>Where warnings (e.g. an unreachable server) go.</summary>
    public TextWriter Log { get; }

    /// <summary>The resolved tracking URI.</summary>
    public string Uri => Remote?.Uri ?? Local.Uri;

    /// <summary>
    /// The tracker for <paramref name="trackingUri"/> (default: MLFLOW_TRACKING_URI). <paramref name="localRoot"/> is
    /// the local store for a server URI (default <c>./mlruns</c>).
    /// </summary>
    public static Tracker FromUri(string? trackingUri = null, string? localRoot = null, TextWriter? log = null)
    {
        trackingUri ??= Environment.GetEnvironmentVariable("MLFLOW_TRACKING_URI");
        var (kind, location) = ResolveUri(trackingUri);
        return kind == "file"
            ? new Tracker(new FileStore(location), null, log)
            : new Tracker(new FileStore(localRoot ?? "mlruns"), new RestStore(location), log);
    }

    /// <summary>
    /// How MLflow reads a tracking URI: <c>("file", path)</c> for unset, a plain path or <c>file:</c>;
    /// <c>("http", uri)</c> for http(s). Database and other schemes throw <see cref="ArgumentException"/> naming the fix.
    /// </summary>
    public static (string Kind, string Location) ResolveUri(string? uri)
    {
        if (string.IsNullOrWhiteSpace(uri)) return ("file", "mlruns");
        if (uri.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || uri.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
            return ("http", uri.TrimEnd('/'));
        if (uri.StartsWith("file:", StringComparison.OrdinalIgnoreCase))
        {
            string rest = uri[5..];
            if (rest.StartsWith("//", StringComparison.Ordinal)) return ("file", System.Uri.UnescapeDataString(new System.Uri(uri).LocalPath));
            return ("file", System.Uri.UnescapeDataString(rest));
        }

        int colon = uri.IndexOf(':');
        if (colon > 1)
        {
            string scheme = uri[..colon].ToLowerInvariant();
            if (scheme is "sqlite" or "postgresql" or "mysql" or "mssql" || scheme.StartsWith("postgresql+", StringComparison.Ordinal) || scheme.StartsWith("mysql+", StringComparison.Ordinal))
            {
                throw new ArgumentException(
                    $"MLFLOW_TRACKING_URI '{uri}' is a database; this client talks to MLflow's REST API. Serve it with " +
                    $"`mlflow server --backend-store-uri {uri} --host 127.0.0.1 --port 5000` and set MLFLOW_TRACKING_URI=http://127.0.0.1:5000.");
            }

            throw new ArgumentException($"MLFLOW_TRACKING_URI '{uri}': unsupported scheme '{scheme}:' (use a path, file:, http: or https:).");
        }

        return ("file", uri);
    }

    /// <summary>Starts a run in <paramref name="experiment"/> (created when missing), nested under <paramref name="parent"/> when given.</summary>
    public ActiveRun StartRun(string runName, string experiment = "Default", ActiveRun? parent = null,
        IReadOnlyDictionary<string, string>? tags = null)
    {
        string experimentId = parent?.ExperimentId ?? Local.GetOrCreateExperiment(experiment);
        var allTags = new Dictionary<string, string>(tags ?? new Dictionary<string, string>(), StringComparer.Ordinal)
        {
            [TrackingTags.User] = Environment.UserName,
            [TrackingTags.SourceType] = "LOCAL",
        };
        allTags.TryAdd(TrackingTags.SourceName, "research");
        if (parent is not null) allTags[TrackingTags.ParentRunId] = parent.RunId;
        var info = Local.CreateRun(experimentId, runName, FileStore.NowMs(), allTags, Environment.UserName);
        return new ActiveRun(this, info, parent);
    }

    /// <summary>Pushes the runs (and their nested runs) to the server, if there is one; warns instead of throwing when it is unreachable.</summary>
    public bool TryPush(IReadOnlyList<string> localRunIds)
    {
        if (Remote is null) return true;
        try
        {
            new RunSync(Local, Remote).SyncRuns(localRunIds);
            return true;
        }
        catch (TrackingUnavailableException e)
        {
            Log.WriteLine($"  warning: {e.Message}; the run is kept in {Local.Root} and `research mlflow sync` will push it later.");
            return false;
        }
    }

    /// <inheritdoc />
    public void Dispose() => Remote?.Dispose();
}

/// <summary>
/// A run in progress. <c>using var run = tracker.StartRun(...)</c> ends it FINISHED, or FAILED when an exception is
/// propagating through the <c>using</c>; <see cref="End"/> ends it explicitly.
/// </summary>
public sealed class ActiveRun : IDisposable
{
    private readonly Tracker _tracker;
    private readonly List<ActiveRun> _children = [];

    internal ActiveRun(Tracker tracker, RunInfo info, ActiveRun? parent)
    {
        _tracker = tracker;
        Info = info;
        Parent = parent;
        parent?._children.Add(this);
    }

    /// <summary>The run's identity as created.</summary>
    public RunInfo Info { get; }

    /// <summary>The run id.</summary>
    public string RunId => Info.RunId;

    /// <summary>The experiment id.</summary>
    public string ExperimentId => Info.ExperimentId;

    /// <summary>The parent run, for a nested run.</summary>
    public ActiveRun? Parent { get; }

    /// <summary>The final status once ended.</summary>
    public RunStatus? EndStatus { get; private set; }

    /// <summary>Starts a nested run.</summary>
    public ActiveRun StartChild(string runName, IReadOnlyDictionary<string, string>? tags = null) =>
        _tracker.StartRun(runName, parent: this, tags: tags);

    /// <summary>Logs one param (MLflow forbids changing a logged param: INVALID_PARAMETER_VALUE).</summary>
    public void LogParam(string key, string value) => _tracker.Local.LogParam(RunId, key, value);

    /// <summary>Logs params in one batch.</summary>
    public void LogParams(IEnumerable<KeyValuePair<string, string>> parameters) => _tracker.Local.LogBatch(RunId, [], parameters.ToList(), []);

    /// <summary>Logs one metric point at <paramref name="step"/>.</summary>
    public void LogMetric(string key, double value, long step = 0) => _tracker.Local.LogMetric(RunId, key, value, step);

    /// <summary>Logs metric points (same step and timestamp) in one batch.</summary>
    public void LogMetrics(IEnumerable<KeyValuePair<string, double>> metrics, long step = 0)
    {
        long now = FileStore.NowMs();
        _tracker.Local.LogBatch(RunId, metrics.Select(m => new Metric(m.Key, m.Value, now, step)).ToList(), [], []);
    }

    /// <summary>Sets a tag.</summary>
    public void SetTag(string key, string value) => _tracker.Local.SetTag(RunId, key, value);

    /// <summary>Copies a file into the run's artifacts at <paramref name="artifactPath"/> (default: its file name).</summary>
    public void LogArtifact(string localPath, string? artifactPath = null) =>
        _tracker.Local.LogArtifact(RunId, localPath, artifactPath ?? Path.GetFileName(localPath));

    /// <summary>Copies a folder into the run's artifacts under <paramref name="artifactPath"/>.</summary>
    public void LogArtifacts(string localDirectory, string? artifactPath = null) =>
        _tracker.Local.LogArtifacts(RunId, localDirectory, artifactPath);

    /// <summary>Writes <paramref name="text"/> as the artifact <paramref name="artifactPath"/>.</summary>
    public void LogText(string text, string artifactPath)
    {
        string temp = Path.Combine(Path.GetTempPath(), "research-" + Guid.NewGuid().ToString("N"));
        File.WriteAllText(temp, text);
        try
        {
            _tracker.Local.LogArtifact(RunId, temp, artifactPath);
        }
        finally
        {
            File.Delete(temp);
        }
    }

    /// <summary>Pushes what was logged so far to the server (no-op for a local store); false when it is unreachable.</summary>
    public bool Flush() => _tracker.TryPush([Root().RunId]);

    /// <summary>Ends the run (and any nested run still open, with the same status), then pushes it when there is a server.</summary>
    public void End(RunStatus status = RunStatus.Finished)
    {
        if (EndStatus is not null) return;
        foreach (var child in _children) child.End(status);
        EndStatus = status;
        _tracker.Local.UpdateRun(RunId, status, FileStore.NowMs());
        if (Parent is null) _tracker.TryPush([RunId]);
    }

    /// <summary>Ends the run FINISHED, or FAILED when an exception is propagating.</summary>
    public void Dispose() => End(Marshal.GetExceptionPointers() != IntPtr.Zero ? RunStatus.Failed : RunStatus.Finished);

    private ActiveRun Root() => Parent is null ? this : Parent.Root();

    /// <inheritdoc />
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Info.RunName} ({RunId})");
}
