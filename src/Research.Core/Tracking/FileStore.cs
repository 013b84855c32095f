using System.Globalization;
using System.Text;
using Research.Core.IO;

namespace Research.Core.Tracking;

/// <summary>
/// A local MLflow store (<c>./mlruns</c>) written exactly as MLflow's own FileStore writes it, so MLflow 2.x and 3.x
/// read it: experiment and run <c>meta.yaml</c> (ids as quoted strings equal to folder names, status as MLflow's
/// integer, both <c>run_id</c> and <c>run_uuid</c>, <c>end_time</c> present), <c>metrics/</c>, <c>params/</c>,
/// <c>artifacts/</c> created with the run, metric lines <c>&lt;ms&gt; &lt;value&gt; &lt;step&gt;</c> in invariant culture,
/// params and tags as UTF-8 files without BOM or trailing newline. Meta files are replaced atomically and metric
/// points appended as whole lines, so a killed process never leaves a corrupt store, and several processes may
/// write to one store (experiment creation is serialised by a lock file). The root holds only what MLflow puts there:
/// experiment folders, <c>.trash/</c> (created with the store: MLflow cannot open a read-only store without it) and
/// the <c>.research.lock</c> dot-file.
/// </summary>
public sealed class FileStore : ITrackingStore
{
    /// <summary>The id of the experiment MLflow creates in every store.</summary>
    public const string DefaultExperimentId = "0";

    /// <summary>MLflow's folder for deleted experiments (<c>FileStore.TRASH_FOLDER_NAME</c>), created with the store.</summary>
    public const string TrashFolder = ".trash";

    /// <summary>The lock file serialising experiment creation (a dot-file, which MLflow ignores).</summary>
    public const string LockFile = ".research.lock";

    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);
    private readonly Dictionary<string, string> _runExperiment = new(StringComparer.Ordinal);
    private readonly HashSet<string> _activeRuns = new(StringComparer.Ordinal);
    private readonly object _gate = new();

    /// <summary>Opens (creating when missing) the store in <paramref name="root"/>.</summary>
    public FileStore(string root)
    {
        Root = Path.GetFullPath(root);
        Directory.CreateDirectory(Root);
        if (!File.Exists(Path.Combine(Root, DefaultExperimentId, "meta.yaml")))
        {
            using var _ = AcquireLock();
            if (!File.Exists(Path.Combine(Root, DefaultExperimentId, "meta.yaml"))) WriteExperiment(DefaultExperimentId, "Default");
        }

        string trash = Path.Combine(Root, TrashFolder);
        try
        {
            if (!Directory.Exists(trash)) Directory.CreateDirectory(trash);
        }
        catch (UnauthorizedAccessException)
        {
            // An existing store made before .trash was created, and read-only to us: still readable.
        }
    }

    /// <summary>The store's folder.</summary>
    public string Root { get; }

    /// <inheritdoc />
    public string Uri => new Uri(Root).AbsoluteUri;

    /// <summary>Milliseconds since the Unix epoch, now.</summary>
    public static long NowMs() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

    /// <inheritdoc />
    public string CreateExperiment(string name)
    {
        if (string.IsNullOrWhiteSpace(name))
            throw new TrackingException(TrackingException.InvalidParameterValue, "Invalid experiment name: '' (it must be a non-empty string).");
        using var _ = AcquireLock();
        if (GetExperimentByName(name) is { } existing)
            throw new TrackingException(TrackingException.ResourceAlreadyExists, $"Experiment '{name}' already exists (id {existing.ExperimentId}).");
        string id;
        do id = NewExperimentId();
        while (Directory.Exists(Path.Combine(Root, id)));
        WriteExperiment(id, name);
        return id;
    }

    /// <inheritdoc />
    public Experiment? GetExperimentByName(string name) => SearchExperiments().FirstOrDefault(e => e.Name == name);

    /// <inheritdoc />
    public IReadOnlyList<Experiment> SearchExperiments()
    {
        var list = new List<Experiment>();
        foreach (var dir in Directory.EnumerateDirectories(Root))
        {
            string meta = Path.Combine(dir, "meta.yaml");
            if (Path.GetFileName(dir).StartsWith('.') || !File.Exists(meta)) continue;
            var m = MlflowYaml.Read(meta);
            if (m.GetValueOrDefault("lifecycle_stage") == "deleted") continue;
            list.Add(new Experiment(m["experiment_id"]!, m["name"]!, m.GetValueOrDefault("artifact_location") ?? "",
                m.GetValueOrDefault("lifecycle_stage") ?? "active", ParseLong(m.GetValueOrDefault("creation_time")) ?? 0));
        }

        return list.OrderByDescending(e => e.CreationTime).ThenBy(e => e.ExperimentId, StringComparer.Ordinal).ToList();
    }

    /// <inheritdoc />
    public RunInfo CreateRun(string experimentId, string runName, long startTime, IReadOnlyDictionary<string, string> tags, string userId)
    {
        string expDir = Path.Combine(Root, experimentId);
        if (!File.Exists(Path.Combine(expDir, "meta.yaml")))
        {
            throw new TrackingException(TrackingException.ResourceDoesNotExist,
                $"Could not create run under experiment with ID {experimentId} - no such experiment exists.");
        }

        foreach (var (k, v) in tags) TrackingValidation.Tag(k, v);
        string runId = Guid.NewGuid().ToString("N");
        string runDir = Path.Combine(expDir, runId);
        Directory.CreateDirectory(Path.Combine(runDir, "metrics"));
        Directory.CreateDirectory(Path.Combine(runDir, "params"));
        Directory.CreateDirectory(Path.Combine(runDir, "artifacts"));
        Directory.CreateDirectory(Path.Combine(runDir, "tags"));
        var info = new RunInfo(runId, experimentId, runName, RunStatus.Running, startTime, null,
            new Uri(Path.Combine(runDir, "artifacts")).AbsoluteUri, userId);
        WriteRunMeta(runDir, info, includeDeletedTime: true);
        lock (_gate) _runExperiment[runId] = experimentId;
        var allTags = new Dictionary<string, string>(tags) { [TrackingTags.RunName] = runName };
        foreach (var (k, v) in allTags) WriteText(Path.Combine(runDir, "tags", k), v);
        return info;
    }

    /// <inheritdoc />
    public void UpdateRun(string runId, RunStatus status, long? endTime)
    {
        string runDir = RunDirectory(runId);
        var info = ReadRunInfo(runDir) with { Status = status, EndTime = endTime };
        WriteRunMeta(runDir, info, includeDeletedTime: false);
    }

    /// <inheritdoc />
    public Run GetRun(string runId)
    {
        string runDir = RunDirectory(runId);
        var info = ReadRunInfo(runDir);
        var metrics = new Dictionary<string, Metric>(StringComparer.Ordinal);
        foreach (var (key, file) in Entries(runDir, "metrics"))
        {
            Metric? latest = null;
            foreach (var m in ReadMetricFile(key, file))
            {
                if (latest is null || (m.Step, m.Timestamp, m.Value).CompareTo((latest.Step, latest.Timestamp, latest.Value)) > 0) latest = m;
            }

            if (latest is not null) metrics[key] = latest;
        }

        var parameters = Entries(runDir, "params").ToDictionary(e => e.Key, e => File.ReadAllText(e.File, Utf8), StringComparer.Ordinal);
        var tags = Entries(runDir, "tags").ToDictionary(e => e.Key, e => File.ReadAllText(e.File, Utf8), StringComparer.Ordinal);
        return new Run(info, metrics, parameters, tags);
    }

    /// <inheritdoc />
    public IReadOnlyList<Run> SearchRuns(IReadOnlyList<string> experimentIds)
    {
        var runs = new List<Run>();
        foreach (var exp in experimentIds)
        {
            string expDir = Path.Combine(Root, exp);
            if (!Directory.Exists(expDir)) continue;
            foreach (var dir in Directory.EnumerateDirectories(expDir))
            {
                string name = Path.GetFileName(dir);
                if (name is "tags" or "datasets" || name.StartsWith('.') || !File.Exists(Path.Combine(dir, "meta.yaml"))) continue;
                lock (_gate) _runExperiment[name] = exp;
                runs.Add(GetRun(name));
            }
        }

        return runs.OrderByDescending(r => r.Info.StartTime).ThenBy(r => r.Info.RunId, StringComparer.Ordinal).ToList();
    }

    /// <inheritdoc />
    public void LogBatch(string runId, IReadOnlyList<Metric> metrics, IReadOnlyList<KeyValuePair<string, string>> parameters,
        IReadOnlyList<KeyValuePair<string, string>> tags)
    {
        foreach (var m in metrics) TrackingValidation.MetricKey(m.Key);
        foreach (var (k, v) in parameters) TrackingValidation.Param(k, v);
        foreach (var (k, v) in tags) TrackingValidation.Tag(k, v);
        var duplicate = parameters.GroupBy(p => p.Key).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new TrackingException(TrackingException.InvalidParameterValue,
                $"Duplicate parameter keys have been submitted: ['{duplicate.Key}']. Please ensure the request contains only one param value per param key.");
        }

        string runDir = RunDirectory(runId);
        bool known;
        lock (_gate) known = _activeRuns.Contains(runId);
        if (!known)
        {
            var info = ReadRunInfo(runDir);
            if (info.LifecycleStage != "active")
                throw new TrackingException(TrackingException.InvalidState, $"The run {runId} must be in the 'active' state. Current state is {info.LifecycleStage}.");
            lock (_gate) _activeRuns.Add(runId);
        }
        foreach (var (k, v) in parameters)
        {
            string path = Path.Combine(runDir, "params", k);
            if (File.Exists(path))
            {
                string current = File.ReadAllText(path, Utf8);
                if (current != v)
                {
                    throw new TrackingException(TrackingException.InvalidParameterValue,
                        $"Changing param values is not allowed. Param with key='{k}' was already logged with value='{current}' for run ID='{runId}'. Attempted logging new value '{v}'.");
                }

                continue;
            }

            WriteText(path, v);
        }

        foreach (var group in metrics.GroupBy(m => m.Key))
        {
            string path = Path.Combine(runDir, "metrics", group.Key);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            var sb = new StringBuilder();
            foreach (var m in group) sb.Append(FormatMetricLine(m));
            AppendWhole(path, Utf8.GetBytes(sb.ToString()));
        }

        foreach (var (k, v) in tags)
        {
            WriteText(Path.Combine(runDir, "tags", k), v);
            if (k == TrackingTags.RunName) WriteRunMeta(runDir, ReadRunInfo(runDir) with { RunName = v }, includeDeletedTime: false);
        }
    }

    /// <inheritdoc />
    public IReadOnlyList<Metric> GetMetricHistory(string runId, string key)
    {
        string path = Path.Combine(RunDirectory(runId), "metrics", key);
        return File.Exists(path) ? ReadMetricFile(key, path).ToList() : [];
    }

    /// <inheritdoc />
    public void LogArtifact(string runId, string localPath, string artifactPath)
    {
        if (!File.Exists(localPath)) throw new FileNotFoundException($"{localPath}: no such file to log as an artifact.", localPath);
        string target = ArtifactPath(runId, artifactPath);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        string temp = target + "." + Guid.NewGuid().ToString("N")[..8] + ".tmp";
        File.Copy(localPath, temp, overwrite: true);
        File.Move(temp, target, overwrite: true);
    }

    /// <inheritdoc />
    public IReadOnlyList<ArtifactInfo> ListArtifacts(string runId, string? path = null)
    {
        string root = Path.Combine(RunDirectory(runId), "artifacts");
        string dir = path is null ? root : ArtifactPath(runId, path);
        if (!Directory.Exists(dir)) return [];
        return Directory.EnumerateFileSystemEntries(dir).Order(StringComparer.Ordinal).Select(e =>
        {
            string rel = Path.GetRelativePath(root, e).Replace('\\', '/');
            return Directory.Exists(e) ? new ArtifactInfo(rel, true, null) : new ArtifactInfo(rel, false, new FileInfo(e).Length);
        }).ToList();
    }

    /// <inheritdoc />
    public void DownloadArtifact(string runId, string artifactPath, string destination)
    {
        string source = ArtifactPath(runId, artifactPath);
        if (!File.Exists(source))
            throw new TrackingException(TrackingException.ResourceDoesNotExist, $"Run '{runId}' has no artifact '{artifactPath}'.");
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(destination))!);
        File.Copy(source, destination, overwrite: true);
    }

    /// <summary>The local folder of a run's artifact (or the artifact root for an empty path).</summary>
    public string ArtifactPath(string runId, string artifactPath)
    {
        string root = Path.Combine(RunDirectory(runId), "artifacts");
        string full = Path.GetFullPath(Path.Combine(root, artifactPath));
        if (!full.StartsWith(root, StringComparison.Ordinal))
            throw new TrackingException(TrackingException.InvalidParameterValue, $"Invalid artifact path: '{artifactPath}' leaves the run's artifact folder.");
        return full;
    }

    /// <summary>The folder of run <paramref name="runId"/>; RESOURCE_DOES_NOT_EXIST when no experiment holds it.</summary>
    public string RunDirectory(string runId)
    {
        TrackingValidation.RunId(runId);
        lock (_gate)
        {
            if (_runExperiment.TryGetValue(runId, out var exp)) return Path.Combine(Root, exp, runId);
        }

        foreach (var expDir in Directory.EnumerateDirectories(Root))
        {
            string candidate = Path.Combine(expDir, runId);
            if (File.Exists(Path.Combine(candidate, "meta.yaml")))
            {
                lock (_gate) _runExperiment[runId] = Path.GetFileName(expDir);
                return candidate;
            }
        }

        throw new TrackingException(TrackingException.ResourceDoesNotExist, $"Run '{runId}' not found");
    }

    /// <summary>One metric line as MLflow writes it: <c>&lt;ms&gt; &lt;value&gt; &lt;step&gt;\n</c>, invariant culture, nan/inf as Python prints them.</summary>
    public static string FormatMetricLine(Metric m) =>
        string.Create(CultureInfo.InvariantCulture, $"{m.Timestamp} {FormatValue(m.Value)} {m.Step}\n");

    private static string FormatValue(double v) =>
        double.IsNaN(v) ? "nan" : double.IsPositiveInfinity(v) ? "inf" : double.IsNegativeInfinity(v) ? "-inf" : v.ToString("R", CultureInfo.InvariantCulture);

    private static IEnumerable<Metric> ReadMetricFile(string key, string path)
    {
        int lineNo = 0;
        foreach (var line in File.ReadLines(path, Utf8))
        {
            lineNo++;
            if (line.Length == 0) continue;
            var parts = line.Trim().Split(' ');
            if (parts.Length is not (2 or 3)
                || !long.TryParse(parts[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out long ts)
                || !TryParseValue(parts[1], out double value))
            {
                throw new TrackingException(TrackingException.InternalError, $"{path}:{lineNo}: metric '{key}' is malformed: '{line}'.");
            }

            long step = parts.Length == 3 ? long.Parse(parts[2], CultureInfo.InvariantCulture) : 0;
            yield return new Metric(key, value, ts, step);
        }
    }

    private static bool TryParseValue(string s, out double value)
    {
        switch (s.ToLowerInvariant())
        {
            case "nan": value = double.NaN; return true;
            case "inf" or "+inf" or "infinity": value = double.PositiveInfinity; return true;
            case "-inf" or "-infinity": value = double.NegativeInfinity; return true;
            default: return double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out value);
        }
    }

    private static IEnumerable<(string Key, string File)> Entries(string runDir, string folder)
    {
        string root = Path.Combine(runDir, folder);
        if (!Directory.Exists(root)) yield break;
        foreach (var f in Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories))
        {
            if (f.EndsWith(".tmp", StringComparison.Ordinal)) continue;
            yield return (Path.GetRelativePath(root, f).Replace('\\', '/'), f);
        }
    }

    private RunInfo ReadRunInfo(string runDir)
    {
        var m = MlflowYaml.Read(Path.Combine(runDir, "meta.yaml"));
        string Req(string k) => m.GetValueOrDefault(k) ?? throw new TrackingException(TrackingException.InternalError, $"{runDir}/meta.yaml: '{k}' is missing.");
        int status = int.Parse(Req("status"), CultureInfo.InvariantCulture);
        return new RunInfo(Req("run_id"), Req("experiment_id"), m.GetValueOrDefault("run_name") ?? "", (RunStatus)status,
            ParseLong(m.GetValueOrDefault("start_time")) ?? 0, ParseLong(m.GetValueOrDefault("end_time")), Req("artifact_uri"),
            m.GetValueOrDefault("user_id") ?? "", m.GetValueOrDefault("lifecycle_stage") ?? "active");
    }

    private static long? ParseLong(string? s) => s is null ? null : long.Parse(s, CultureInfo.InvariantCulture);

    private static void WriteRunMeta(string runDir, RunInfo info, bool includeDeletedTime)
    {
        var fields = new Dictionary<string, object?>
        {
            ["artifact_uri"] = info.ArtifactUri,
            ["end_time"] = info.EndTime,
            ["entry_point_name"] = "",
            ["experiment_id"] = info.ExperimentId,
            ["lifecycle_stage"] = info.LifecycleStage,
            ["run_id"] = info.RunId,
            ["run_name"] = info.RunName,
            ["run_uuid"] = info.RunId,
            ["source_name"] = "",
            ["source_type"] = 4,
            ["source_version"] = "",
            ["start_time"] = info.StartTime,
            ["status"] = (int)info.Status,
            ["tags"] = Array.Empty<object>(),
            ["user_id"] = info.UserId,
        };
        if (includeDeletedTime) fields["deleted_time"] = null;
        AtomicFile.WriteAllText(Path.Combine(runDir, "meta.yaml"), MlflowYaml.Write(fields));
    }

    private void WriteExperiment(string id, string name)
    {
        string dir = Path.Combine(Root, id);
        Directory.CreateDirectory(dir);
        long now = NowMs();
        AtomicFile.WriteAllText(Path.Combine(dir, "meta.yaml"), MlflowYaml.Write(new Dictionary<string, object?>
        {
            ["artifact_location"] = new Uri(dir).AbsoluteUri,
            ["creation_time"] = now,
            ["experiment_id"] = id,
            ["last_update_time"] = now,
            ["lifecycle_stage"] = "active",
            ["name"] = name,
        }));
    }

    private static void WriteText(string path, string value)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        string temp = path + "." + Guid.NewGuid().ToString("N")[..8] + ".tmp";
        File.WriteAllText(temp, value, Utf8);
        File.Move(temp, path, overwrite: true);
    }

    private static void AppendWhole(string path, byte[] bytes)
    {
        using var fs = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete, 1, FileOptions.None);
        fs.Write(bytes);
    }

    private static string NewExperimentId()
    {
        // MLflow's _generate_unique_integer_id: an 18-digit integer from a random UUID.
        var digits = System.Numerics.BigInteger.Parse("0" + Guid.NewGuid().ToString("N"), NumberStyles.HexNumber).ToString(CultureInfo.InvariantCulture);
        string id = digits[^18..].TrimStart('0');
        while (id.Length < 18) id += Random.Shared.Next(10).ToString(CultureInfo.InvariantCulture);
        return id;
    }

    private FileStream AcquireLock()
    {
        string path = Path.Combine(Root, LockFile);
        for (int attempt = 0; ; attempt++)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.None);
            }
            catch (IOException) when (attempt < 2000)
            {
                Thread.Sleep(5);
            }
        }
    }
}
