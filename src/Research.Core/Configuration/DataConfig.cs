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

    /// <summary>
    /// Where the bars come from: <c>local</c> (the CSV files of <see cref="Paths"/>, the default) or a provider,
    /// <c>alpaca</c> or <c>yahoo</c>, whose bars of <see cref="Symbols"/> from <see cref="Start"/> to <see cref="End"/>
    /// are fetched into <see cref="BarCache"/> (only what is missing) and read from there.
    /// </summary>
    public string Provider { get; init; } = "local";

    /// <summary>Symbols to fetch from the provider.</summary>
    public IReadOnlyList<string> Symbols { get; init; } = [];

    /// <summary>First session date (New York): the fetch's start for a provider (required); for <c>local</c>, bars before it are left out.</summary>
    public DateOnly? Start { get; init; }

    /// <summary>Last session date (inclusive): the fetch's end for a provider (required); for <c>local</c>, bars after it are left out.</summary>
    public DateOnly? End { get; init; }

    /// <summary>
    /// Bar timeframe: <c>1Min</c>, <c>5Min</c>, <c>15Min</c>, <c>1Hour</c> or <c>1Day</c>. For <c>local</c> it selects the
    /// <c>&lt;SYMBOL&gt;.&lt;timeframe&gt;.csv|parquet</c> files of that timeframe (files without the suffix are read
    /// when they hold bars of its kind, daily or intraday).
    /// </summary>
    public string Timeframe { get; init; } = "1Day";

    /// <summary>Alpaca's feed, <c>iex</c> or <c>sip</c>.</summary>
    public string Feed { get; init; } = "iex";

    /// <summary>Alpaca's corporate-action adjustment: <c>raw</c>, <c>split</c>, <c>dividend</c> or <c>all</c>.</summary>
    public string Adjustment { get; init; } = "raw";

    /// <summary>The provider's base URL (default: Alpaca's from <c>APCA_API_DATA_URL</c> or its own; Yahoo's own).</summary>
    public string? BaseUrl { get; init; }

    /// <summary>Client-side limit on the provider's requests per minute (default: Alpaca 200, Yahoo 60).</summary>
    public int? RequestsPerMinute { get; init; }

    /// <summary>Folder of the fetched-bar cache (relative to the working directory).</summary>
    public string BarCache { get; init; } = "data/cache";

    /// <summary>Intraday bars kept: <c>regular</c> (09:30–16:00 New York, the default) or <c>extended</c> (04:00–20:00).</summary>
    public string Session { get; init; } = "regular";

    internal void Validate(string at)
    {
        if (Provider is not ("local" or "alpaca" or "yahoo"))
            throw new ConfigException($"{at}.provider", $"'{Provider}' is not a provider; expected local, alpaca or yahoo.");
        if (Session is not ("regular" or "extended"))
            throw new ConfigException($"{at}.session", $"'{Session}' is not a session; expected regular or extended.");
        try
        {
            Data.Providers.BarTimeframe.Parse(Timeframe);
        }
        catch (ArgumentException e)
        {
            throw new ConfigException($"{at}.timeframe", e.Message, e);
        }

        if (End < Start) throw new ConfigException($"{at}.end", $"{End:yyyy-MM-dd} is before start {Start:yyyy-MM-dd}.");
        if (Provider != "local")
        {
            if (Symbols.Count == 0) throw new ConfigException($"{at}.symbols", $"provider '{Provider}' needs at least one symbol.");
            if (Start is null) throw new ConfigException($"{at}.start", $"provider '{Provider}' needs a start date.");
            if (End is null) throw new ConfigException($"{at}.end", $"provider '{Provider}' needs an end date.");
            if (Feed is not ("iex" or "sip")) throw new ConfigException($"{at}.feed", $"'{Feed}' is not a feed; expected iex or sip.");
            if (RequestsPerMinute is <= 0)
                throw new ConfigException($"{at}.requestsPerMinute", $"{RequestsPerMinute} must be positive.");
            if (Adjustment is not ("raw" or "split" or "dividend" or "all"))
                throw new ConfigException($"{at}.adjustment", $"'{Adjustment}' is not an adjustment; expected raw, split, dividend or all.");
        }
        else if (Paths.Count == 0)
        {
            throw new ConfigException($"{at}.paths", "must name at least one file or folder.");
        }

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
