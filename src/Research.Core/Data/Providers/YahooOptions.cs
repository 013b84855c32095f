namespace Research.Core.Data.Providers;

/// <summary>Settings of the Yahoo Finance chart API client (no credentials: the chart API is public).</summary>
public sealed record YahooOptions
{
    /// <summary>Yahoo's chart host.</summary>
    public const string DefaultBaseUrl = "https://query1.finance.yahoo.com";

    /// <summary>Base URL (overridable with <c>--base-url</c> or <c>data.baseUrl</c>).</summary>
    public string BaseUrl { get; init; } = DefaultBaseUrl;

    /// <summary>Ask for pre- and post-market bars too (<c>includePrePost</c>); the session filter decides what is kept.</summary>
    public bool IncludePrePost { get; init; } = true;

    /// <summary>User-Agent header (Yahoo refuses requests without one).</summary>
    public string UserAgent { get; init; } = "Mozilla/5.0 (X11; Linux x86_64) QuantResearchWorkbench/1.0";

    /// <summary>Retries, backoff, timeout and the client-side rate limit (60 requests a minute by default).</summary>
    public ProviderHttpOptions Http { get; init; } = new() { RequestsPerMinute = 60 };
}
