using System.Globalization;
using Research.Core.Tracking;

namespace Research.Core.Sweeps;

/// <summary>
/// Logs a sweep to MLflow: one parent run (experiment = the sweep's name) and one nested run per finished trial with
/// its parameters, the metric at every reported step, the final metric, the steps reached and the status (completed
/// → FINISHED, stopped by the scheduler → KILLED with <c>stopped_at_step</c>, failed → FAILED with the error as a
/// tag). Run ids live in <c>trial-runs.json</c> in the sweep folder, so a resumed sweep reopens the same parent and
/// never logs a trial twice (a nested run created just before a crash is found again by its
/// <c>research.sweep.trial_id</c> tag). Calls are serialised.
/// </summary>
public sealed class SweepTracking
{
    /// <summary>Tag on a trial's run holding its trial id.</summary>
    public const string TrialIdTag = "research.sweep.trial_id";

    private readonly object _gate = new();
    private readonly Tracker _tracker;
    private readonly SweepFile _sweep;
    private readonly TrialRunLedger _ledger;
    private readonly Dictionary<int, string> _found = [];
    private readonly string _experimentId;

    /// <summary>Opens the sweep's parent run (creating it, or reopening the one recorded in <paramref name="sweepDirectory"/>).</summary>
    public SweepTracking(Tracker tracker, SweepFile sweep, string sweepDirectory, IReadOnlyDictionary<string, string> parentParams, string contentHash)
    {
        _tracker = tracker;
        _sweep = sweep;
        _ledger = new TrialRunLedger(sweepDirectory);
        var store = tracker.Local;
        if (_ledger.ParentRunId is { } existing && Exists(existing))
        {
            ParentRunId = existing;
            _experimentId = store.GetRun(existing).Info.ExperimentId;
            store.UpdateRun(existing, RunStatus.Running, null);
            store.SetTag(existing, "research.sweep.resumed", "true");
            FindChildren();
        }
        else
        {
            string experimentId = _experimentId = store.GetOrCreateExperiment(sweep.Name);
            var tags = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                [TrackingTags.User] = Environment.UserName,
                [TrackingTags.SourceType] = "LOCAL",
                [TrackingTags.SourceName] = "research sweep",
                ["research.sweep.objective"] = sweep.ObjectiveName,
                ["research.sweep.content_hash"] = contentHash,
                ["research.sweep.directory"] = Path.GetFullPath(sweepDirectory),
            };
            var info = store.CreateRun(experimentId, sweep.Name, FileStore.NowMs(), tags, Environment.UserName);
            ParentRunId = info.RunId;
            _ledger.SetParent(info.RunId);
            store.LogBatch(info.RunId, [], parentParams.ToList(), []);
        }
    }

    /// <summary>The parent run's id.</summary>
    public string ParentRunId { get; }

    /// <summary>The nested run of trial <paramref name="trialId"/>, once logged.</summary>
    public string? TrialRunId(int trialId)
    {
        lock (_gate) return _ledger.Get(trialId)?.RunId;
    }

    /// <summary>Logs a finished trial as a nested run, unless it already was.</summary>
    public void LogTrial(TrialRecord record)
    {
        if (!record.IsFinished) return;
        lock (_gate)
        {
            var known = _ledger.Get(record.Trial.Id);
            if (known is { Ended: true }) return;
            var store = _tracker.Local;
            string? existing = known?.RunId ?? _found.GetValueOrDefault(record.Trial.Id);
            if (existing is not null && store.GetRun(existing).Info.Status != RunStatus.Running)
            {
                // Logged and ended before a crash cut the ledger update short: adopt it as it is.
                _ledger.Set(record.Trial.Id, existing, ended: true);
                return;
            }

            string runId = existing ?? CreateChild(record.Trial.Id);
            _ledger.Set(record.Trial.Id, runId, ended: false);
            long now = FileStore.NowMs();
            var metrics = record.Intermediate.Select(p => new Metric(_sweep.Metric, p.Value, now, p.Step)).ToList();
            bool finalLogged = record.Intermediate.Count > 0 && record.Intermediate[^1].Step == record.Step &&
                               record.Intermediate[^1].Value.Equals(record.Value);
            if (!finalLogged && !double.IsNaN(record.Value)) metrics.Add(new Metric(_sweep.Metric, record.Value, now, record.Step));
            metrics.Add(new Metric("steps", record.Step, now, 0));
            if (record.State == TrialState.Killed) metrics.Add(new Metric("stopped_at_step", record.Step, now, 0));
            var parameters = record.Trial.Parameters.Select(kv => new KeyValuePair<string, string>(kv.Key, kv.Value as string ?? ParameterValues.Format(kv.Value))).ToList();
            var tags = new List<KeyValuePair<string, string>> { new("research.sweep.state", record.State.ToString()) };
            if (record.Error is { } error) tags.Add(new("research.sweep.error", error.Length > 5000 ? error[..5000] : error));
            store.LogBatch(runId, metrics, parameters, tags);
            store.UpdateRun(runId, Status(record.State), FileStore.NowMs());
            _ledger.Set(record.Trial.Id, runId, ended: true);
        }
    }

    /// <summary>Logs metrics, params and tags on the parent run.</summary>
    public void LogParent(IReadOnlyList<Metric> metrics, IReadOnlyList<KeyValuePair<string, string>> parameters, IReadOnlyList<KeyValuePair<string, string>> tags)
    {
        lock (_gate) _tracker.Local.LogBatch(ParentRunId, metrics, parameters, tags);
    }

    /// <summary>Copies a file into the parent run's artifacts.</summary>
    public void LogArtifact(string path)
    {
        lock (_gate) _tracker.Local.LogArtifact(ParentRunId, path, Path.GetFileName(path));
    }

    /// <summary>Ends the parent run and pushes the sweep to the server when there is one.</summary>
    public void End(RunStatus status)
    {
        lock (_gate)
        {
            _tracker.Local.UpdateRun(ParentRunId, status, FileStore.NowMs());
            _tracker.TryPush([ParentRunId]);
        }
    }

    /// <summary>The MLflow status of a trial state: FINISHED, KILLED or FAILED.</summary>
    public static RunStatus Status(TrialState state) => state switch
    {
        TrialState.Completed => RunStatus.Finished,
        TrialState.Killed => RunStatus.Killed,
        TrialState.Failed => RunStatus.Failed,
        _ => RunStatus.Running,
    };

    private bool Exists(string runId)
    {
        try
        {
            return _tracker.Local.GetRun(runId).Info.LifecycleStage == "active";
        }
        catch (TrackingException)
        {
            return false;
        }
    }

    /// <summary>The nested runs of a reopened parent by trial id: a run created just before a crash, before its id reached the ledger.</summary>
    private void FindChildren()
    {
        foreach (var r in _tracker.Local.SearchRuns([_experimentId]))
        {
            if (r.ParentRunId == ParentRunId && r.Tags.TryGetValue(TrialIdTag, out var t) && int.TryParse(t, CultureInfo.InvariantCulture, out int id)) _found[id] = r.Info.RunId;
        }
    }

    private string CreateChild(int trialId)
    {
        var tags = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [TrackingTags.User] = Environment.UserName,
            [TrackingTags.SourceType] = "LOCAL",
            [TrackingTags.SourceName] = "research sweep",
            [TrackingTags.ParentRunId] = ParentRunId,
            [TrialIdTag] = trialId.ToString(CultureInfo.InvariantCulture),
        };
        string name = string.Create(CultureInfo.InvariantCulture, $"{_sweep.Name}-trial-{trialId:D4}");
        return _tracker.Local.CreateRun(_experimentId, name, FileStore.NowMs(), tags, Environment.UserName).RunId;
    }
}
