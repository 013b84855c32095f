namespace Research.Core.Data.Providers;

/// <summary>
/// Settings of the Alpaca Market Data v2 client. Credentials come from <c>APCA_API_KEY_ID</c> /
/// <c>APCA_API_SECRET_KEY</c> and the base URL from <c>APCA_API_DATA_URL</c>, as Alpaca's own SDKs read them; the
/// environment wins over .NET user secrets. The credentials are sent only as request headers: never logged, printed
/// or written to a run.
/// </summary>
public sealed record AlpacaOptions
{
    /// <summary>Alpaca's data API.</summary>
    public const string DefaultBaseUrl = "https://data.alpaca.markets";

    /// <summary>API key id (header <c>APCA-API-KEY-ID</c>).</summary>
    public string? KeyId { get; init; }

    /// <summary>API secret key (header <c>APCA-API-SECRET-KEY</c>).</summary>
    public string? SecretKey { get; init; }

    /// <summary>Base URL of the data API.</summary>
    public string BaseUrl { get; init; } = DefaultBaseUrl;

    /// <summary>Feed: <c>iex</c> (free) or <c>sip</c> (all US exchanges, paid).</summary>
    public string Feed { get; init; } = "iex";

    /// <summary>Corporate-action adjustment: <c>raw</c>, <c>split</c>, <c>dividend</c> or <c>all</c>.</summary>
    public string Adjustment { get; init; } = "raw";

    /// <summary>Bars per page across all symbols (Alpaca's maximum is 10 000).</summary>
    public int Limit { get; init; } = 10_000;

    /// <summary>Retries, backoff, timeout, and the client-side rate limit (Alpaca's 200 requests a minute by default).</summary>
    public ProviderHttpOptions Http { get; init; } = new() { RequestsPerMinute = 200 };

    /// <summary>
    /// Options from the environment, then <paramref name="secrets"/> (keys <c>APCA_API_KEY_ID</c> or
    /// <c>Alpaca:KeyId</c>, <c>APCA_API_SECRET_KEY</c> or <c>Alpaca:SecretKey</c>, <c>APCA_API_DATA_URL</c> or
    /// <c>Alpaca:DataUrl</c>); <paramref name="baseUrl"/>, when given, overrides both.
    /// </summary>
    public static AlpacaOptions FromEnvironment(IDictionary<string, string?>? secrets = null, string? baseUrl = null,
        Func<string, string?>? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        string? Read(string env, string secret)
        {
            var v = environment(env);
            if (!string.IsNullOrWhiteSpace(v)) return v.Trim();
            if (secrets is null) return null;
            foreach (var key in new[] { env, secret })
            {
                if (secrets.TryGetValue(key, out var s) && !string.IsNullOrWhiteSpace(s)) return s.Trim();
            }

            return null;
        }

        return new AlpacaOptions
        {
            KeyId = Read("APCA_API_KEY_ID", "Alpaca:KeyId"),
            SecretKey = Read("APCA_API_SECRET_KEY", "Alpaca:SecretKey"),
            BaseUrl = baseUrl ?? Read("APCA_API_DATA_URL", "Alpaca:DataUrl") ?? DefaultBaseUrl,
        };
    }

    /// <inheritdoc/>
    public override string ToString() => $"AlpacaOptions {{ BaseUrl = {BaseUrl}, Feed = {Feed}, Adjustment = {Adjustment}, KeyId = {(KeyId is null ? "unset" : "***")} }}";
}
