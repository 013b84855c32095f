using System.Text.Json;
using System.Text.Json.Nodes;
using Research.Core.Data;

namespace Research.Core.Configuration;

/// <summary>Reads, resolves and validates experiment configs.</summary>
public static class ConfigLoader
{
    /// <summary>The config <c>research run</c> uses when none is given.</summary>
    public const string DefaultConfig = "experiments/default.json";

    /// <summary>
    /// Reads <paramref name="path"/>. Syntax errors and unknown keys become a <see cref="DataFormatException"/> with the
    /// file, line and column; invalid values a <see cref="ConfigException"/> naming the setting. Relative data paths
    /// are resolved against the config file's folder. A config with <c>"extends": "other.json"</c> (relative to its
    /// folder) starts from that config: its objects merge into the base's key by key, anything else replaces the base's value.
    /// </summary>
    public static RunConfig Load(string path)
    {
        var json = Merged(path, []);
        var config = Parse(json.ToJsonString(), path);
        string dir = Path.GetDirectoryName(Path.GetFullPath(path))!;
        return Resolve(config with { Extends = null }, dir).Validate();
    }

    /// <summary>The JSON of <paramref name="path"/> with its <c>extends</c> chain applied (each file checked on its own first, so errors point into it).</summary>
    private static JsonObject Merged(string path, HashSet<string> seen)
    {
        string full = Path.GetFullPath(path);
        if (!File.Exists(full)) throw new DataFormatException(path, null, null, "config file not found.");
        if (!seen.Add(full)) throw new DataFormatException(path, null, null, $"'extends' loops back to {full}.");
        string text = File.ReadAllText(full);
        var own = Parse(text, path); // syntax, unknown keys and types, with this file's line and column
        var node = JsonNode.Parse(text, documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true })!.AsObject();
        if (own.Extends is not { } parent) return node;
        node.Remove("extends");
        var merged = Merged(Path.Combine(Path.GetDirectoryName(full)!, parent), seen);
        Merge(merged, node);
        return merged;
    }

    private static void Merge(JsonObject target, JsonObject source)
    {
        foreach (var (key, value) in source.ToList())
        {
            source.Remove(key);
            if (value is JsonObject child && target[key] is JsonObject existing) Merge(existing, child);
            else target[key] = value;
        }
    }

    /// <summary>Parses JSON text (no path resolution, no validation).</summary>
    public static RunConfig Parse(string json, string source)
    {
        try
        {
            return JsonSerializer.Deserialize<RunConfig>(json, ConfigJson.Options)
                   ?? throw new DataFormatException(source, 1, 1, "the config is null.");
        }
        catch (JsonException e)
        {
            string what = e.Message;
            int cut = what.IndexOf(" Path:", StringComparison.Ordinal);
            if (cut > 0) what = what[..cut];
            if (e.Path is { Length: > 1 } p) what = $"{what} (at {p.TrimStart('$', '.')})";
            throw new DataFormatException(source, (int?)e.LineNumber + 1, (int?)e.BytePositionInLine + 1, what, e);
        }
    }

    /// <summary>Makes the data paths absolute against <paramref name="baseDir"/>.</summary>
    public static RunConfig Resolve(RunConfig config, string baseDir)
    {
        string Abs(string p) => Path.GetFullPath(Path.IsPathRooted(p) ? p : Path.Combine(baseDir, p));
        return config with
        {
            Data = config.Data with
            {
                Paths = config.Data.Paths.Select(Abs).ToArray(),
                Benchmark = config.Data.Benchmark is { } b ? Abs(b) : null,
            },
            Features = config.Features with { Vix = config.Features.Vix is { } v ? Abs(v) : null },
        };
    }

    /// <summary>
    /// Finds the default config: <c>experiments/default.json</c> in the working directory or an ancestor, else the copy
    /// shipped beside the executable.
    /// </summary>
    public static string FindDefault()
    {
        for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, DefaultConfig);
            if (File.Exists(candidate)) return candidate;
        }

        string shipped = Path.Combine(AppContext.BaseDirectory, DefaultConfig);
        if (File.Exists(shipped)) return shipped;
        throw new DataFormatException(DefaultConfig, null, null,
            "no config given and experiments/default.json was not found in this folder, its parents, or beside the program.");
    }
}
