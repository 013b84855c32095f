using System.Text.Json;
using Research.Core.Data;

namespace Research.Core.Sweeps;

/// <summary>Reads a sweep file's root object field by field; every error names the file and the field.</summary>
internal sealed class SweepFileReader(string source)
{
    private static readonly string[] Keys =
        ["name", "objective", "space", "algorithm", "scheduler", "num_samples", "max_concurrent", "metric", "mode", "seed"];

    private static readonly string[] ObjectiveKeys = ["config", "stages", "metric"];

    public SweepFile Read(JsonElement root, string jsonText, string baseDirectory)
    {
        if (root.ValueKind != JsonValueKind.Object) throw Error("(root)", "must be a JSON object.");
        foreach (var p in root.EnumerateObject())
        {
            if (!Keys.Contains(p.Name)) throw Error(p.Name, $"unknown key (expected {string.Join(", ", Keys)}).");
        }

        string name = RequiredString(root, "name");
        if (name.Length == 0 || name.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0 || name is "." or "..")
            throw Error("name", $"\"{name}\" must be a non-empty folder name.");
        if (!root.TryGetProperty("objective", out var objective)) throw Error("objective", "missing.");
        string? synthetic = null;
        PipelineObjectiveSpec? pipeline = null;
        if (objective.ValueKind == JsonValueKind.String)
        {
            synthetic = objective.GetString()!;
            if (!SyntheticObjectives.Names.Contains(synthetic))
                throw Error("objective", $"unknown objective \"{synthetic}\" (expected {string.Join(", ", SyntheticObjectives.Names)} or {{\"config\", \"stages\", \"metric\"}}).");
        }
        else if (objective.ValueKind == JsonValueKind.Object)
        {
            pipeline = ReadPipeline(objective);
        }
        else
        {
            throw Error("objective", $"must be a string or an object, not {Kind(objective)}.");
        }

        string? metric = OptionalString(root, "metric");
        if (pipeline is not null && metric is not null && metric != pipeline.Metric)
            throw Error("metric", $"\"{metric}\" differs from \"objective.metric\" (\"{pipeline.Metric}\"); give one or make them equal.");
        var mode = OptionalString(root, "mode") switch
        {
            null or "min" => OptimizationMode.Min,
            "max" => OptimizationMode.Max,
            var m => throw Error("mode", $"\"{m}\" must be \"min\" or \"max\"."),
        };
        string algorithm = OptionalString(root, "algorithm") ?? "tpe";
        if (!SweepFile.Algorithms.Contains(algorithm))
            throw Error("algorithm", $"unknown algorithm \"{algorithm}\" (expected {string.Join(", ", SweepFile.Algorithms)}).");

        var space = ReadSpace(root, synthetic);
        var scheduler = root.TryGetProperty("scheduler", out var s) ? ReadScheduler(s) : new SchedulerSpec();
        try
        {
            _ = scheduler.Create(mode);
        }
        catch (ArgumentException e)
        {
            throw Error("scheduler", e.Message);
        }

        return new SweepFile
        {
            Name = name,
            SyntheticObjective = synthetic,
            PipelineObjective = pipeline,
            Space = space,
            Algorithm = algorithm,
            Scheduler = scheduler,
            NumSamples = OptionalInt(root, "num_samples", 1) ?? 20,
            MaxConcurrent = OptionalInt(root, "max_concurrent", 1) ?? 1,
            Metric = pipeline?.Metric ?? metric ?? "loss",
            Mode = mode,
            Seed = OptionalInt(root, "seed", int.MinValue) ?? 0,
            JsonText = jsonText,
            BaseDirectory = baseDirectory,
            Source = source,
        };
    }

    private PipelineObjectiveSpec ReadPipeline(JsonElement o)
    {
        foreach (var p in o.EnumerateObject())
        {
            if (!ObjectiveKeys.Contains(p.Name)) throw Error($"objective.{p.Name}", $"unknown key (expected {string.Join(", ", ObjectiveKeys)}).");
        }

        string config = RequiredString(o, "config", "objective.");
        string metric = RequiredString(o, "metric", "objective.");
        if (!o.TryGetProperty("stages", out var stages)) throw Error("objective.stages", "missing.");
        if (stages.ValueKind != JsonValueKind.Array || stages.GetArrayLength() == 0)
            throw Error("objective.stages", $"must be a non-empty array of stage names, not {Kind(stages)}.");
        var names = new List<string>();
        int i = 0;
        foreach (var st in stages.EnumerateArray())
        {
            if (st.ValueKind != JsonValueKind.String) throw Error($"objective.stages[{i}]", $"must be a string, not {Kind(st)}.");
            names.Add(st.GetString()!);
            i++;
        }

        return new PipelineObjectiveSpec(config, names, metric);
    }

    private SearchSpace ReadSpace(JsonElement root, string? synthetic)
    {
        if (!root.TryGetProperty("space", out var spaceEl))
        {
            if (synthetic is null) throw Error("space", "missing (a pipeline objective needs the config keys to search).");
            return SyntheticObjectives.Create(synthetic).Space;
        }

        SearchSpace space;
        try
        {
            space = SearchSpaceJson.FromJson(spaceEl);
        }
        catch (SearchSpaceException e)
        {
            throw new DataFormatException(source, null, null, string.Join("; ", e.Errors));
        }

        if (synthetic is not null)
        {
            var needed = SyntheticObjectives.Create(synthetic).Space.Parameters.Select(p => p.Key);
            var missing = needed.Where(k => !space.Parameters.Any(p => p.Key == k)).ToList();
            if (missing.Count > 0) throw Error("space", $"objective \"{synthetic}\" reads {string.Join(", ", missing)}, which the space does not define.");
        }

        return space;
    }

    private SchedulerSpec ReadScheduler(JsonElement s)
    {
        if (s.ValueKind != JsonValueKind.Object) throw Error("scheduler", $"must be an object {{\"type\": ...}}, not {Kind(s)}.");
        string type = RequiredString(s, "type", "scheduler.");
        string[] allowed = type switch
        {
            "fifo" => ["type"],
            "asha" => ["type", "max_t", "grace_period", "reduction_factor"],
            "median" => ["type", "grace_period", "min_samples_required"],
            _ => throw Error("scheduler.type", $"unknown scheduler \"{type}\" (expected {string.Join(", ", SchedulerSpec.Types)})."),
        };
        foreach (var p in s.EnumerateObject())
        {
            if (!allowed.Contains(p.Name)) throw Error($"scheduler.{p.Name}", $"unknown key for \"{type}\" (expected {string.Join(", ", allowed)}).");
        }

        return new SchedulerSpec
        {
            Type = type,
            MaxT = OptionalInt(s, "max_t", 1, "scheduler."),
            GracePeriod = OptionalInt(s, "grace_period", 1, "scheduler."),
            ReductionFactor = OptionalDouble(s, "reduction_factor", "scheduler."),
            MinSamplesRequired = OptionalInt(s, "min_samples_required", 1, "scheduler."),
        };
    }

    private string RequiredString(JsonElement o, string key, string prefix = "") =>
        OptionalString(o, key, prefix) ?? throw Error(prefix + key, "missing.");

    private string? OptionalString(JsonElement o, string key, string prefix = "")
    {
        if (!o.TryGetProperty(key, out var v)) return null;
        return v.ValueKind == JsonValueKind.String ? v.GetString() : throw Error(prefix + key, $"must be a string, not {Kind(v)}.");
    }

    private int? OptionalInt(JsonElement o, string key, int min, string prefix = "")
    {
        if (!o.TryGetProperty(key, out var v)) return null;
        if (v.ValueKind != JsonValueKind.Number || !v.TryGetInt32(out int n)) throw Error(prefix + key, $"must be an integer, not {v.GetRawText()}.");
        return n >= min ? n : throw Error(prefix + key, $"must be ≥ {min}, not {n}.");
    }

    private double? OptionalDouble(JsonElement o, string key, string prefix = "")
    {
        if (!o.TryGetProperty(key, out var v)) return null;
        return v.ValueKind == JsonValueKind.Number ? v.GetDouble() : throw Error(prefix + key, $"must be a number, not {Kind(v)}.");
    }

    private static string Kind(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        _ => "null",
    };

    private DataFormatException Error(string field, string problem) => new(source, null, null, $"\"{field}\": {problem}");
}
