namespace Research.Core.Tracking;

/// <summary>What one sync pushed.</summary>
/// <param name="Runs">Runs created on the server.</param>
/// <param name="MetricPoints">Metric points pushed.</param>
/// <param name="Params">Params pushed.</param>
/// <param name="Tags">Tags pushed or changed.</param>
/// <param name="Artifacts">Artifact files uploaded.</param>
public sealed record SyncResult(int Runs, int MetricPoints, int Params, int Tags, int Artifacts)
{
    /// <summary>Sum of two results.</summary>
    public static SyncResult operator +(SyncResult a, SyncResult b) =>
        new(a.Runs + b.Runs, a.MetricPoints + b.MetricPoints, a.Params + b.Params, a.Tags + b.Tags, a.Artifacts + b.Artifacts);

    /// <summary>Nothing pushed.</summary>
    public static SyncResult Empty { get; } = new(0, 0, 0, 0, 0);
}

/// <summary>
/// Pushes local runs to a server, exactly and idempotently: each local run maps to the server run tagged
/// <c>research.local_run_id</c> with its id (created on first sync, parents before children so
/// <c>mlflow.parentRunId</c> is rewritten to the server's id); for each metric the server's history length says how
/// many of the local points (in logging order) it already has, and only the rest is sent; params and tags the server
/// lacks or differs on, artifact files it lacks, and the status and end time follow. Running it again pushes nothing;
/// a sync cut off halfway resumes where the server's state says it stopped.
/// </summary>
public sealed class RunSync
{
    private readonly FileStore _local;
    private readonly ITrackingStore _remote;
    private readonly Dictionary<string, string> _experimentIds = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Dictionary<string, string>> _remoteByLocal = new(StringComparer.Ordinal);

    /// <summary>A sync from <paramref name="local"/> to <paramref name="remote"/>.</summary>
    public RunSync(FileStore local, ITrackingStore remote)
    {
        _local = local;
        _remote = remote;
    }

    /// <summary>Pushes every run of every local experiment.</summary>
    public SyncResult SyncAll(IProgress<string>? progress = null)
    {
        var total = SyncResult.Empty;
        foreach (var exp in _local.SearchExperiments())
        {
            var runs = _local.SearchRuns([exp.ExperimentId]);
            foreach (var run in Ordered(runs))
            {
                total += SyncRun(run);
                progress?.Report($"{exp.Name}/{run.Info.RunName} ({run.Info.RunId})");
            }
        }

        return total;
    }

    /// <summary>Pushes the given runs and all their nested runs.</summary>
    public SyncResult SyncRuns(IReadOnlyList<string> localRunIds)
    {
        var total = SyncResult.Empty;
        foreach (var id in localRunIds)
        {
            var run = _local.GetRun(id);
            var family = _local.SearchRuns([run.Info.ExperimentId]);
            var ids = new HashSet<string>(StringComparer.Ordinal) { id };
            bool grew = true;
            while (grew)
            {
                grew = false;
                foreach (var r in family)
                    if (r.ParentRunId is { } p && ids.Contains(p) && ids.Add(r.Info.RunId)) grew = true;
            }

            foreach (var r in Ordered(family.Where(r => ids.Contains(r.Info.RunId)).ToList())) total += SyncRun(r);
        }

        return total;
    }

    private static List<Run> Ordered(IReadOnlyList<Run> runs)
    {
        // Parents before children; otherwise by start time.
        var byId = runs.ToDictionary(r => r.Info.RunId);
        int Depth(Run r) => r.ParentRunId is { } p && byId.TryGetValue(p, out var parent) ? 1 + Depth(parent) : 0;
        return runs.OrderBy(Depth).ThenBy(r => r.Info.StartTime).ToList();
    }

    private SyncResult SyncRun(Run local)
    {
        string experimentName = _local.SearchExperiments().First(e => e.ExperimentId == local.Info.ExperimentId).Name;
        if (!_experimentIds.TryGetValue(experimentName, out var remoteExp))
        {
            remoteExp = _remote.GetOrCreateExperiment(experimentName);
            _experimentIds[experimentName] = remoteExp;
        }

        var map = RemoteMap(remoteExp);
        int created = 0;
        if (!map.TryGetValue(local.Info.RunId, out var remoteId))
        {
            var tags = new Dictionary<string, string>(StringComparer.Ordinal) { [TrackingTags.LocalRunId] = local.Info.RunId };
            if (local.ParentRunId is { } lp && map.TryGetValue(lp, out var rp)) tags[TrackingTags.ParentRunId] = rp;
            remoteId = _remote.CreateRun(remoteExp, local.Info.RunName, local.Info.StartTime, tags, local.Info.UserId).RunId;
            map[local.Info.RunId] = remoteId;
            created = 1;
        }

        var remote = _remote.GetRun(remoteId);
        var parameters = local.Params.Where(p => !remote.Params.ContainsKey(p.Key)).ToList();
        var tagsToPush = new List<KeyValuePair<string, string>>();
        foreach (var (k, v) in local.Tags)
        {
            string value = v;
            if (k == TrackingTags.ParentRunId) value = map.TryGetValue(v, out var rp) ? rp : v;
            if (!remote.Tags.TryGetValue(k, out var rv) || rv != value) tagsToPush.Add(new(k, value));
        }

        var metrics = new List<Metric>();
        foreach (var key in local.Metrics.Keys)
        {
            var history = _local.GetMetricHistory(local.Info.RunId, key);
            int have = remote.Metrics.ContainsKey(key) ? _remote.GetMetricHistory(remoteId, key).Count : 0;
            metrics.AddRange(history.Skip(have));
        }

        if (metrics.Count > 0 || parameters.Count > 0 || tagsToPush.Count > 0) _remote.LogBatch(remoteId, metrics, parameters, tagsToPush);

        int artifacts = 0;
        var remoteFiles = new Dictionary<string, long?>(StringComparer.Ordinal);
        void ListRemote(string? path)
        {
            foreach (var a in _remote.ListArtifacts(remoteId, path))
            {
                if (a.IsDir) ListRemote(a.Path);
                else remoteFiles[a.Path] = a.FileSize;
            }
        }

        string localArtifacts = _local.ArtifactPath(local.Info.RunId, "");
        if (Directory.Exists(localArtifacts) && Directory.EnumerateFileSystemEntries(localArtifacts).Any())
        {
            ListRemote(null);
            foreach (var file in Directory.EnumerateFiles(localArtifacts, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            {
                string rel = Path.GetRelativePath(localArtifacts, file).Replace('\\', '/');
                if (remoteFiles.TryGetValue(rel, out var size) && size == new FileInfo(file).Length) continue;
                _remote.LogArtifact(remoteId, file, rel);
                artifacts++;
            }
        }

        if (local.Info.Status != RunStatus.Running && (remote.Info.Status != local.Info.Status || remote.Info.EndTime != local.Info.EndTime))
            _remote.UpdateRun(remoteId, local.Info.Status, local.Info.EndTime);
        return new SyncResult(created, metrics.Count, parameters.Count, tagsToPush.Count, artifacts);
    }

    private Dictionary<string, string> RemoteMap(string remoteExperimentId)
    {
        if (_remoteByLocal.TryGetValue(remoteExperimentId, out var map)) return map;
        map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var r in _remote.SearchRuns([remoteExperimentId]))
            if (r.Tags.TryGetValue(TrackingTags.LocalRunId, out var localId)) map[localId] = r.Info.RunId;
        _remoteByLocal[remoteExperimentId] = map;
        return map;
    }
}
