namespace Research.Core.Data.Providers;

/// <summary>What went wrong talking to a data provider.</summary>
public enum ProviderErrorKind
{
    /// <summary>401/403: missing or rejected credentials.</summary>
    Credentials,

    /// <summary>400/404/422: the provider rejected a parameter (symbol, range, timeframe…).</summary>
    Parameter,

    /// <summary>429 still after the retries.</summary>
    RateLimited,

    /// <summary>5xx or a timeout still after the retries, or the connection failed.</summary>
    Unavailable,

    /// <summary>The body was truncated, not JSON, or not the documented shape.</summary>
    Payload,
}

/// <summary>A data provider's failure, with the provider, the HTTP status and the provider's own message.</summary>
public sealed class ProviderException : Exception
{
    /// <summary>Creates the exception; the message reads <c>&lt;provider&gt;: &lt;message&gt;</c>.</summary>
    public ProviderException(string provider, ProviderErrorKind kind, int? status, string message, Exception? inner = null)
        : base($"{provider}: {message}", inner)
    {
        Provider = provider;
        Kind = kind;
        Status = status;
    }

    /// <summary>Provider name.</summary>
    public string Provider { get; }

    /// <summary>What kind of failure.</summary>
    public ProviderErrorKind Kind { get; }

    /// <summary>HTTP status, when there was a response.</summary>
    public int? Status { get; }
}
