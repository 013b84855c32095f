using System.Globalization;
using System.Net;
using System.Threading.RateLimiting;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace Research.Core.Data.Providers;

/// <summary>How a provider's HTTP client behaves: retries, backoff, per-attempt timeout and the client-side rate limit.</summary>
public sealed record ProviderHttpOptions
{
    /// <summary>Retries after the first attempt on 429, 5xx, timeouts and connection failures.</summary>
    public int MaxRetries { get; init; } = 5;

    /// <summary>First backoff delay (exponential with jitter); a 429's Retry-After takes precedence.</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Longest wait a Retry-After header may ask for before it is capped.</summary>
    public TimeSpan MaxRetryAfter { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Timeout of one attempt (headers and body).</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Client-side limit on requests per minute (0 = none): a token every 60/N seconds.</summary>
    public int RequestsPerMinute { get; init; }

    /// <summary>Requests that may go at once before the limit spaces them (0 = a whole minute's worth).</summary>
    public int Burst { get; init; }
}

/// <summary>
/// The HTTP loop providers share: a token-bucket rate limit, then per attempt a timeout, with 429 (honouring
/// Retry-After), 5xx, timeouts and connection failures retried with jittered exponential backoff (Polly). Every attempt
/// is counted in <see cref="ProviderStats"/>. A final failure becomes a <see cref="ProviderException"/> whose kind
/// follows the status (401/403 credentials, 400/404/422 parameter) and whose message quotes the provider's own.
/// </summary>
internal sealed class ProviderHttp : IDisposable
{
    private readonly string _provider;
    private readonly HttpClient _http;
    private readonly bool _ownsHttp;
    private readonly ProviderStats _stats;
    private readonly ProviderHttpOptions _options;
    private readonly RateLimiter? _limiter;
    private readonly ResiliencePipeline<HttpResponseMessage> _pipeline;

    public ProviderHttp(string provider, HttpClient? http, ProviderStats stats, ProviderHttpOptions options)
    {
        _provider = provider;
        _ownsHttp = http is null;
        _http = http ?? new HttpClient();
        _http.Timeout = System.Threading.Timeout.InfiniteTimeSpan; // per attempt, by the pipeline
        _stats = stats;
        _options = options;
        if (options.RequestsPerMinute > 0)
        {
            _limiter = new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
            {
                TokenLimit = options.Burst > 0 ? options.Burst : options.RequestsPerMinute,
                TokensPerPeriod = 1,
                ReplenishmentPeriod = TimeSpan.FromMinutes(1) / options.RequestsPerMinute,
                QueueLimit = int.MaxValue,
                QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
                AutoReplenishment = true,
            });
        }

        var builder = new ResiliencePipelineBuilder<HttpResponseMessage>();
        if (options.MaxRetries > 0)
        {
            builder.AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                MaxRetryAttempts = options.MaxRetries,
                Delay = options.RetryDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                ShouldHandle = new PredicateBuilder<HttpResponseMessage>()
                    .Handle<HttpRequestException>()
                    .Handle<TimeoutRejectedException>()
                    .Handle<IOException>()
                    .HandleResult(r => r.StatusCode == HttpStatusCode.TooManyRequests || (int)r.StatusCode >= 500),
                DelayGenerator = a => ValueTask.FromResult(RetryAfter(a.Outcome.Result)),
                OnRetry = a =>
                {
                    a.Outcome.Result?.Dispose();
                    _stats.CountRetry();
                    return ValueTask.CompletedTask;
                },
            });
        }

        builder.AddTimeout(options.Timeout);
        _pipeline = builder.Build();
    }

    /// <summary>
    /// Sends GET <paramref name="uri"/> (with <paramref name="headers"/>) until it succeeds or the retries run out, and
    /// returns the body of a 2xx response. <paramref name="message"/> extracts the provider's error message from an
    /// error body (null when it has none).
    /// </summary>
    public async Task<byte[]> GetAsync(Uri uri, IReadOnlyList<KeyValuePair<string, string>> headers,
        Func<byte[], string?> message, CancellationToken cancellationToken)
    {
        HttpResponseMessage response;
        byte[] body;
        try
        {
            (response, body) = await SendAsync(uri, headers, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutRejectedException e)
        {
            throw new ProviderException(_provider, ProviderErrorKind.Unavailable, null,
                $"no answer within {_options.Timeout.TotalSeconds:0.#} s from {Redact(uri)} after {_options.MaxRetries} retries.", e);
        }
        catch (Exception e) when (e is HttpRequestException or IOException)
        {
            throw new ProviderException(_provider, ProviderErrorKind.Unavailable, null,
                $"request to {Redact(uri)} failed after {_options.MaxRetries} retries: {e.Message}", e);
        }

        using (response)
        {
            if (response.IsSuccessStatusCode) return body;
            int status = (int)response.StatusCode;
            string quoted;
            try
            {
                quoted = message(body) ?? Snippet(body);
            }
            catch (Exception)
            {
                quoted = Snippet(body);
            }

            var kind = status switch
            {
                401 or 403 => ProviderErrorKind.Credentials,
                400 or 404 or 422 => ProviderErrorKind.Parameter,
                429 => ProviderErrorKind.RateLimited,
                _ => ProviderErrorKind.Unavailable,
            };
            string what = kind switch
            {
                ProviderErrorKind.Credentials => "credentials rejected",
                ProviderErrorKind.Parameter => "request rejected",
                ProviderErrorKind.RateLimited => $"still rate limited after {_options.MaxRetries} retries",
                _ => $"server error after {_options.MaxRetries} retries",
            };
            throw new ProviderException(_provider, kind, status,
                string.Create(CultureInfo.InvariantCulture, $"{what} (HTTP {status}) for {Redact(uri)}: \"{quoted}\""));
        }
    }

    private async Task<(HttpResponseMessage, byte[])> SendAsync(Uri uri, IReadOnlyList<KeyValuePair<string, string>> headers,
        CancellationToken cancellationToken)
    {
        byte[] body = [];
        var response = await _pipeline.ExecuteAsync(async ct =>
        {
            if (_limiter is not null)
            {
                using var lease = await _limiter.AcquireAsync(1, ct).ConfigureAwait(false);
            }

            _stats.CountRequest();
            using var request = new HttpRequestMessage(HttpMethod.Get, uri);
            foreach (var (k, v) in headers) request.Headers.TryAddWithoutValidation(k, v);
            var r = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct).ConfigureAwait(false);
            try
            {
                body = await r.Content.ReadAsByteArrayAsync(ct).ConfigureAwait(false);
            }
            catch
            {
                r.Dispose();
                throw;
            }

            return r;
        }, cancellationToken).ConfigureAwait(false);
        return (response, body);
    }

    /// <summary>The delay a 429/503 asks for (Retry-After seconds or date, capped), or null for the backoff's own.</summary>
    private TimeSpan? RetryAfter(HttpResponseMessage? response)
    {
        var header = response?.Headers.RetryAfter;
        if (header is null) return null;
        TimeSpan? wait = header.Delta ?? (header.Date is { } d ? d - DateTimeOffset.UtcNow : null);
        if (wait is null) return null;
        if (wait < TimeSpan.Zero) wait = TimeSpan.Zero;
        return wait > _options.MaxRetryAfter ? _options.MaxRetryAfter : wait;
    }

    /// <summary>The URI without its query's page token (safe to print; credentials travel only in headers).</summary>
    private static string Redact(Uri uri) => uri.GetLeftPart(UriPartial.Path);

    private static string Snippet(byte[] body)
    {
        var text = System.Text.Encoding.UTF8.GetString(body, 0, Math.Min(body.Length, 300)).ReplaceLineEndings(" ").Trim();
        return text.Length == 0 ? "(empty body)" : text;
    }

    public void Dispose()
    {
        _limiter?.Dispose();
        if (_ownsHttp) _http.Dispose();
    }
}
