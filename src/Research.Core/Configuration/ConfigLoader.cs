using System.Text.Json;
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
    /// are resolved against the config file's folder.
    /// </summary>
    public static RunConfig Load(string path)
    {
        if (!File.Exists(path)) throw new DataFormatException(path, null, null, "config file not found.");
        var config = Parse(File.ReadAllText(path), path);
        string dir = Path.GetDirectoryName(Path.GetFullPath(path))!;
        return Resolve(config, dir).Validate();
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
