using System.Text.Json;
using Research.Core.Data;

namespace Research.Core.Sweeps;

/// <summary>
/// A parsed sweep file: <c>{"name", "objective", "space", "algorithm", "scheduler", "num_samples", "max_concurrent",
/// "metric", "mode", "seed"}</c> (docs/sweeps.md). Keeps the raw JSON text and the folder relative paths resolve
/// against, so an executor in another process can ship <see cref="JsonText"/> and re-parse it with
/// <see cref="Parse"/>.
/// </summary>
public sealed record SweepFile
{
    /// <summary>The algorithms a sweep file may name.</summary>
    public static IReadOnlyList<string> Algorithms { get; } = ["grid", "random", "tpe"];

    /// <summary>The sweep's name (its MLflow experiment and its folder name).</summary>
    public required string Name { get; init; }

    /// <summary>Synthetic objective name (<c>branin</c>, <c>hartmann6</c>, <c>learning-curve</c>), or null for a pipeline objective.</summary>
    public string? SyntheticObjective { get; init; }

    /// <summary>The pipeline objective, or null for a synthetic one.</summary>
    public PipelineObjectiveSpec? PipelineObjective { get; init; }

    /// <summary>The search space (a synthetic objective's own space when the file has none).</summary>
    public required SearchSpace Space { get; init; }

    /// <summary><c>grid</c>, <c>random</c> or <c>tpe</c>.</summary>
    public string Algorithm { get; init; } = "tpe";

    /// <summary>The early-stopping scheduler.</summary>
    public SchedulerSpec Scheduler { get; init; } = new();

    /// <summary>Trials in the sweep.</summary>
    public int NumSamples { get; init; } = 20;

    /// <summary>Trials run at once.</summary>
    public int MaxConcurrent { get; init; } = 1;

    /// <summary>Name of the value the objective returns (for a pipeline objective, the run metric it reads).</summary>
    public string Metric { get; init; } = "loss";

    /// <summary>Minimise or maximise <see cref="Metric"/>.</summary>
    public OptimizationMode Mode { get; init; } = OptimizationMode.Min;

    /// <summary>Seed of the searcher.</summary>
    public int Seed { get; init; }

    /// <summary>The file's text as read (comments included).</summary>
    public required string JsonText { get; init; }

    /// <summary>Absolute folder relative paths in the file (the pipeline config) resolve against.</summary>
    public required string BaseDirectory { get; init; }

    /// <summary>Where the file came from, for error messages.</summary>
    public required string Source { get; init; }

    /// <summary>Reads and validates the sweep file at <paramref name="path"/>.</summary>
    /// <exception cref="DataFormatException">The file is missing or a field is wrong; the message names the file and the field.</exception>
    public static SweepFile Load(string path)
    {
        if (!File.Exists(path)) throw new DataFormatException(path, null, null, "sweep file not found.");
        return Parse(File.ReadAllText(path), Path.GetDirectoryName(Path.GetFullPath(path))!, path);
    }

    /// <summary>Parses sweep JSON text; relative paths resolve against <paramref name="baseDirectory"/>; errors name <paramref name="source"/>.</summary>
    /// <exception cref="DataFormatException">A field is missing, unknown or of the wrong kind; the message names the file and the field.</exception>
    public static SweepFile Parse(string jsonText, string baseDirectory, string source)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(jsonText, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException e)
        {
            throw new DataFormatException(source, (int?)e.LineNumber + 1, (int?)e.BytePositionInLine + 1, "invalid JSON: " + e.Message, e);
        }

        using (doc) return new SweepFileReader(source).Read(doc.RootElement, jsonText, Path.GetFullPath(baseDirectory));
    }

    /// <summary>The searcher of <see cref="Algorithm"/> over <see cref="Space"/>, seeded with <see cref="Seed"/>.</summary>
    public ISearcher CreateSearcher() => Algorithm switch
    {
        "grid" => new GridSearch(Space, Mode),
        "random" => new RandomSearch(Space, Mode, Seed),
        "tpe" => new TpeSearch(Space, Mode, Seed),
        _ => throw new ArgumentException($"{Source}: \"algorithm\": unknown algorithm \"{Algorithm}\" (expected {string.Join(", ", Algorithms)})."),
    };

    /// <summary>A short description of the objective: the synthetic name or <c>pipeline:&lt;config&gt;</c>.</summary>
    public string ObjectiveName => SyntheticObjective ?? $"pipeline:{PipelineObjective!.Config}";
}
