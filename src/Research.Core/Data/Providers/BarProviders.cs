using Research.Core.Configuration;

namespace Research.Core.Data.Providers;

/// <summary>Makes the providers the CLI and configs name.</summary>
public static class BarProviders
{
    /// <summary>Provider names <c>research data fetch --provider</c> accepts.</summary>
    public static IReadOnlyList<string> Names { get; } = ["alpaca", "yahoo"];

    /// <summary>
    /// A provider by name. Alpaca's credentials and base URL come from the environment or <paramref name="secrets"/>
    /// (<see cref="AlpacaOptions.FromEnvironment"/>); <paramref name="baseUrl"/> overrides the base URL;
    /// <paramref name="requestsPerMinute"/> the client-side rate limit.
    /// </summary>
    public static IBarProvider Create(string name, string? baseUrl, string feed, string adjustment,
        IDictionary<string, string?>? secrets, int? requestsPerMinute = null) => name switch
    {
        "alpaca" => new AlpacaBarProvider(AlpacaOptions.FromEnvironment(secrets, baseUrl) is var o
            ? o with
            {
                Feed = feed,
                Adjustment = adjustment,
                Http = requestsPerMinute is { } r ? o.Http with { RequestsPerMinute = r } : o.Http,
            }
            : throw new InvalidOperationException()),
        "yahoo" => new YahooBarProvider(new YahooOptions { BaseUrl = baseUrl ?? YahooOptions.DefaultBaseUrl } is var y
            ? requestsPerMinute is { } rpm ? y with { Http = y.Http with { RequestsPerMinute = rpm } } : y
            : throw new InvalidOperationException()),
        _ => throw new ArgumentException($"provider '{name}': expected one of {string.Join(", ", Names)}.", nameof(name)),
    };

    /// <summary>The provider a data config names.</summary>
    public static IBarProvider Create(DataConfig config, IDictionary<string, string?>? secrets) =>
        Create(config.Provider, config.BaseUrl, config.Feed, config.Adjustment, secrets, config.RequestsPerMinute);

    /// <summary>
    /// The cache's source label: bars from different feeds or adjustments never mix in one cache file
    /// (<c>alpaca/iex/raw</c>, <c>yahoo</c>).
    /// </summary>
    public static string Source(string name, string feed, string adjustment) =>
        name == "alpaca" ? $"alpaca/{feed}/{adjustment}" : name;
}
