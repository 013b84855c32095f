using System.Text.Json;
using Research.Core.IO;

namespace Research.Core.Sweeps;

/// <summary>
/// The sweep's MLflow run ids, kept beside the sweep state (<c>trial-runs.json</c>): the parent run and, per trial,
/// its nested run and whether it was ended. Rewritten atomically after every change, so a resumed sweep logs each
/// trial exactly once.
/// </summary>
internal sealed class TrialRunLedger
{
    public const string FileName = "trial-runs.json";

    private readonly string _path;
    private readonly SortedDictionary<int, (string RunId, bool Ended)> _trials = [];

    public TrialRunLedger(string directory)
    {
        _path = Path.Combine(directory, FileName);
        if (!File.Exists(_path)) return;
        using var doc = JsonDocument.Parse(File.ReadAllBytes(_path));
        var root = doc.RootElement;
        ParentRunId = root.GetProperty("sweep_run_id").GetString();
        foreach (var t in root.GetProperty("trials").EnumerateArray())
            _trials[t.GetProperty("trial_id").GetInt32()] = (t.GetProperty("run_id").GetString()!, t.GetProperty("ended").GetBoolean());
    }

    /// <summary>The sweep's parent run, once created.</summary>
    public string? ParentRunId { get; private set; }

    public void SetParent(string runId)
    {
        ParentRunId = runId;
        Save();
    }

    public (string RunId, bool Ended)? Get(int trialId) => _trials.TryGetValue(trialId, out var t) ? t : null;

    public void Set(int trialId, string runId, bool ended)
    {
        _trials[trialId] = (runId, ended);
        Save();
    }

    private void Save()
    {
        string json = ArtifactJson.Write(w =>
        {
            w.WriteStartObject();
            w.WriteString("sweep_run_id", ParentRunId);
            w.WriteStartArray("trials");
            foreach (var (id, (runId, ended)) in _trials)
            {
                w.WriteStartObject();
                w.WriteNumber("trial_id", id);
                w.WriteString("run_id", runId);
                w.WriteBoolean("ended", ended);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        });
        Directory.CreateDirectory(Path.GetDirectoryName(_path)!);
        AtomicFile.WriteAllText(_path, json);
    }
}
