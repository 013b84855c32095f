using System.Text.Json;
using System.Text.Json.Nodes;
using Research.Core.Sweeps;

namespace Research.Sweeps.Orleans;

/// <summary>
/// What a coordinator ships to its workers so they build the same objective: the sweep file's JSON text, where it was
/// read from, and the objective options (quick mode, trial work folder). A worker rebuilds the objective with
/// <see cref="SweepObjectives.Create"/>; the coordinator's data hash is checked against the worker's by
/// <see cref="SweepWorker"/>.
/// </summary>
public static class SweepObjectiveSpec
{
    /// <summary>The spec of <paramref name="execution"/>.</summary>
    public static string Write(SweepExecution execution)
    {
        ArgumentNullException.ThrowIfNull(execution);
        return new JsonObject
        {
            ["sweep"] = execution.Sweep.JsonText,
            ["base_directory"] = execution.Sweep.BaseDirectory,
            ["source"] = execution.Sweep.Source,
            ["quick"] = execution.ObjectiveOptions.Quick,
            ["work_directory"] = execution.ObjectiveOptions.WorkDirectory,
        }.ToJsonString();
    }

    /// <summary>Rebuilds the objective from <paramref name="spec"/> on this machine. Relative paths in the sweep file
    /// resolve against the coordinator's base folder when it exists here (one machine, or a shared disk), otherwise
    /// against this process's working folder (a checkout of the same repository); the data hash tells whether the two
    /// read the same data.</summary>
    public static (Func<Trial, ITrialReporter, CancellationToken, double> Objective, string DataHash) Resolve(string spec)
    {
        var root = JsonNode.Parse(spec)?.AsObject() ?? throw new JsonException("empty objective spec");
        string Text(string key) => root[key]?.GetValue<string>() ?? throw new JsonException($"objective spec: missing \"{key}\"");
        string baseDirectory = Text("base_directory");
        if (!Directory.Exists(baseDirectory)) baseDirectory = Directory.GetCurrentDirectory();
        var file = SweepFile.Parse(Text("sweep"), baseDirectory, Text("source"));
        var objective = SweepObjectives.Create(file, new SweepObjectiveOptions
        {
            Quick = root["quick"]?.GetValue<bool>() ?? false,
            WorkDirectory = Text("work_directory"),
        });
        return (objective.Evaluate, objective.ContentHash);
    }
}
