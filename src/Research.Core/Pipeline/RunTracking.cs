using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using Research.Core.Configuration;
using Research.Core.Tracking;
using Research.Core.IO;

namespace Research.Core.Pipeline;

/// <summary>
/// How <c>research run</c> logs to MLflow: one parent run per run (experiment = config name) with the flattened config
/// as params, the resolved config, environment and every artifact, reproducibility tags (git commit and dirty flag,
/// source, user, data hash, seed, machine), and one nested run per stage holding the metrics that stage produced.
/// </summary>
public static class RunTracking
{
    /// <summary>The parent run's tag holding the data content hash.</summary>
    public const string DataHashTag = "research.data_hash";

    /// <summary>Starts the parent run of <paramref name="context"/>.</summary>
    public static ActiveRun StartParent(Tracker tracker, RunContext context)
    {
        var tags = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [TrackingTags.SourceName] = "research run",
            ["research.seed"] = context.Config.Seed.ToString(CultureInfo.InvariantCulture),
            ["research.quick"] = context.Config.Quick ? "true" : "false",
            ["research.run_directory"] = Path.GetFullPath(context.RunDirectory),
            ["research.machine"] = $"{Environment.MachineName}; {RuntimeInformationText()}",
        };
        foreach (var (k, v) in GitInfo(Path.GetDirectoryName(Path.GetFullPath(context.ConfigPath))!)) tags[k] = v;
        var run = tracker.StartRun(Path.GetFileName(context.RunDirectory), context.Config.Name, tags: tags);
        run.LogParams(FlattenConfig(context.Config));
        run.LogText(JsonSerializer.Serialize(context.Config, ConfigJson.Options), "config.json");
        run.LogText(EnvironmentJson(), "environment.json");
        return run;
    }

    /// <summary>The config as dotted param keys (<c>split.trainEnd</c> → value), arrays joined with commas.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> FlattenConfig(RunConfig config)
    {
        var node = JsonSerializer.SerializeToNode(config, ConfigJson.Options)!;
        var list = new List<KeyValuePair<string, string>>();
        void Walk(JsonNode? n, string prefix)
        {
            switch (n)
            {
                case JsonObject o:
                    foreach (var (k, v) in o) Walk(v, prefix.Length == 0 ? k : $"{prefix}.{k}");
                    break;
                case JsonArray a:
                    list.Add(new(prefix, string.Join(",", a.Select(x => x?.ToString() ?? ""))));
                    break;
                case null:
                    break;
                default:
                    list.Add(new(prefix, n.ToString()));
                    break;
            }
        }

        Walk(node, "");
        return list.Where(p => p.Value.Length <= TrackingValidation.MaxParamValueLength).ToList();
    }

    /// <summary>Git commit and dirty flag of the repository holding <paramref name="directory"/>, when git is there.</summary>
    public static IReadOnlyDictionary<string, string> GitInfo(string directory)
    {
        var tags = new Dictionary<string, string>(StringComparer.Ordinal);
        string? commit = Git(directory, "rev-parse HEAD");
        if (commit is null) return tags;
        tags[TrackingTags.GitCommit] = commit.Trim();
        string? status = Git(directory, "status --porcelain --untracked-files=no");
        if (status is not null) tags[TrackingTags.GitDirty] = status.Trim().Length > 0 ? "true" : "false";
        return tags;
    }

    private static string? Git(string directory, string args)
    {
        try
        {
            var psi = new ProcessStartInfo("git", args)
            {
                WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
            };
            using var p = Process.Start(psi)!;
            string output = p.StandardOutput.ReadToEnd();
            p.WaitForExit(10_000);
            return p.ExitCode == 0 ? output : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }

    private static string RuntimeInformationText() =>
        $"{System.Runtime.InteropServices.RuntimeInformation.OSDescription}; {System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription}; {Environment.ProcessorCount} cores";

    private static string EnvironmentJson()
    {
        var packages = AppDomain.CurrentDomain.GetAssemblies()
            .Where(a => !a.IsDynamic)
            .Select(a => a.GetName())
            .Where(n => n.Name is not null && !n.Name.StartsWith("System.", StringComparison.Ordinal) && !n.Name.StartsWith("Microsoft.Win32", StringComparison.Ordinal))
            .GroupBy(n => n.Name!, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => string.Join(", ", g.Select(n => n.Version?.ToString() ?? "").Distinct()), StringComparer.Ordinal);
        var info = new
        {
            machine = Environment.MachineName,
            os = System.Runtime.InteropServices.RuntimeInformation.OSDescription,
            runtime = System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription,
            cores = Environment.ProcessorCount,
            research = typeof(RunTracking).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion,
            assemblies = packages,
        };
        return ArtifactJson.Serialize(info);
    }
}
