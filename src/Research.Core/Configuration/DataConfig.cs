using Research.Core.Data.Quality;

namespace Research.Core.Configuration;

/// <summary>The <c>data</c> section: what to load, how to treat its defects, where to cache it.</summary>
public sealed record DataConfig
{
    /// <summary>Files or folders of bar CSVs (relative paths resolve against the config file's folder).</summary>
    public IReadOnlyList<string> Paths { get; init; } = ["../data/djia"];

    /// <summary>An index level CSV (Yahoo layout) used as the market benchmark, or null.</summary>
    public string? Benchmark { get; init; } = "../data/indices/^DJI.csv";

    /// <summary>The repair policy: a preset name or an object with overrides.</summary>
    public QualityPolicy Policy { get; init; } = QualityPolicy.Default;

    /// <summary>Folder of the processed-panel cache (relative to the working directory), or null for none.</summary>
    public string? Cache { get; init; } = ".cache/panels";

    /// <summary>Restrict the panel to these tickers (all when empty).</summary>
    public IReadOnlyList<string> Tickers { get; init; } = [];

    internal void Validate(string at)
    {
        if (Paths.Count == 0) throw new ConfigException($"{at}.paths", "must name at least one file or folder.");
        try
        {
            Policy.Validate();
        }
        catch (ArgumentException e) when (e is not ConfigException)
        {
            throw new ConfigException($"{at}.policy.{ToCamel(e.ParamName ?? "")}", e.Message, e);
        }
    }

    internal static string ToCamel(string s) => s.Length == 0 ? s : char.ToLowerInvariant(s[0]) + s[1..];
}
