using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;

namespace Research.Core.Data.Providers;

/// <summary>
/// Alpaca Market Data v2 historical stock bars: <c>GET {base}/v2/stocks/bars?symbols=…&amp;timeframe=…&amp;start=…&amp;end=…
/// &amp;limit=…&amp;adjustment=…&amp;feed=…&amp;sort=asc[&amp;page_token=…]</c> with the <c>APCA-API-KEY-ID</c> and
/// <c>APCA-API-SECRET-KEY</c> headers. A page is <c>{"bars": {"AAPL": [{"t","o","h","l","c","v","n","vw"}, …], …},
/// "next_page_token": "…" | null}</c>; pages are followed until the token is null (an empty page in the middle is
/// followed too). Errors are <c>{"code": …, "message": "…"}</c>.
/// </summary>
public sealed class AlpacaBarProvider : IBarProvider, IDisposable
{
    private readonly AlpacaOptions _options;
    private readonly ProviderHttp _http;
    private readonly KeyValuePair<string, string>[] _headers;

    /// <summary>Creates the client; <paramref name="http"/> null makes (and owns) one.</summary>
    public AlpacaBarProvider(AlpacaOptions options, HttpClient? http = null)
    {
        _options = options;
        if (options.Limit is < 1 or > 10_000) throw new ArgumentOutOfRangeException(nameof(options), options.Limit, "limit must be 1..10000.");
        _http = new ProviderHttp(Name, http, Stats, options.Http);
        _headers = options.KeyId is null || options.SecretKey is null ? []
            : [new("APCA-API-KEY-ID", options.KeyId), new("APCA-API-SECRET-KEY", options.SecretKey), new("Accept", "application/json")];
    }

    /// <inheritdoc/>
    public string Name => "alpaca";

    /// <inheritdoc/>
    public ProviderStats Stats { get; } = new();

    /// <inheritdoc/>
    public async IAsyncEnumerable<BarPage> FetchAsync(BarRequest request, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        if (_headers.Length == 0)
        {
            throw new ProviderException(Name, ProviderErrorKind.Credentials, null,
                "no credentials: set APCA_API_KEY_ID and APCA_API_SECRET_KEY in the environment or with `dotnet user-secrets set` for src/Research.Cli.");
        }

        string? token = null;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (int page = 1; ; page++)
        {
            var uri = PageUri(request, token);
            var body = await _http.GetAsync(uri, _headers, ErrorMessage, cancellationToken).ConfigureAwait(false);
            var (bars, next) = ParsePage(body, page);
            yield return bars;
            if (next is null) yield break;
            if (!seen.Add(next))
                throw new ProviderException(Name, ProviderErrorKind.Payload, 200, $"page {page}: next_page_token '{next}' was already followed (the pagination loops).");
            token = next;
        }
    }

    /// <summary>The URI of one page.</summary>
    internal Uri PageUri(BarRequest r, string? token)
    {
        var q = new StringBuilder(256);
        q.Append(_options.BaseUrl.TrimEnd('/')).Append("/v2/stocks/bars?symbols=")
            .Append(Uri.EscapeDataString(string.Join(",", r.Symbols)))
            .Append("&timeframe=").Append(r.Timeframe.Name)
            .Append("&start=").Append(Uri.EscapeDataString(Rfc3339(r.Start)))
            // Alpaca's end is inclusive; the request's is exclusive.
            .Append("&end=").Append(Uri.EscapeDataString(Rfc3339(r.End.AddSeconds(-1))))
            .Append("&limit=").Append(_options.Limit.ToString(CultureInfo.InvariantCulture))
            .Append("&adjustment=").Append(_options.Adjustment)
            .Append("&feed=").Append(_options.Feed)
            .Append("&sort=asc");
        if (token is not null) q.Append("&page_token=").Append(Uri.EscapeDataString(token));
        return new Uri(q.ToString());
    }

    private static string Rfc3339(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>Alpaca's error body <c>{"code", "message"}</c>: the message.</summary>
    internal static string? ErrorMessage(byte[] body)
    {
        using var doc = JsonDocument.Parse(body);
        return doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("message", out var m)
            ? m.GetString() : null;
    }

    /// <summary>
    /// Parses one page: the bars by symbol and the next page token. A body that is not JSON, is cut short, or lacks a
    /// bar's <c>t</c>, <c>o</c>, <c>h</c>, <c>l</c>, <c>c</c> or <c>v</c> is a payload error naming the page and the bar.
    /// </summary>
    internal static (BarPage Page, string? Next) ParsePage(ReadOnlySpan<byte> body, int page)
    {
        var reader = new Utf8JsonReader(body, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow });
        var bars = new Dictionary<string, IReadOnlyList<ProviderBar>>(StringComparer.Ordinal);
        string? next = null;
        string where = "the body";
        try
        {
            Expect(ref reader, JsonTokenType.StartObject, page, where);
            while (Read(ref reader, page) && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("bars"u8))
                {
                    Read(ref reader, page);
                    if (reader.TokenType == JsonTokenType.Null) continue;
                    if (reader.TokenType != JsonTokenType.StartObject)
                        throw Payload(page, $"'bars' is {reader.TokenType}, expected an object of symbol → bars.");
                    while (Read(ref reader, page) && reader.TokenType == JsonTokenType.PropertyName)
                    {
                        string symbol = reader.GetString()!;
                        where = $"bars.{symbol}";
                        Read(ref reader, page);
                        if (reader.TokenType == JsonTokenType.Null) continue;
                        if (reader.TokenType != JsonTokenType.StartArray) throw Payload(page, $"'{where}' is {reader.TokenType}, expected an array.");
                        var list = new List<ProviderBar>();
                        while (Read(ref reader, page) && reader.TokenType == JsonTokenType.StartObject)
                        {
                            list.Add(ReadBar(ref reader, page, $"{where}[{list.Count}]"));
                        }

                        if (reader.TokenType != JsonTokenType.EndArray) throw Payload(page, $"'{where}[{list.Count}]' is {reader.TokenType}, expected a bar object.");
                        bars[symbol] = list;
                    }
                }
                else if (reader.ValueTextEquals("next_page_token"u8))
                {
                    Read(ref reader, page);
                    next = reader.TokenType switch
                    {
                        JsonTokenType.Null => null,
                        JsonTokenType.String => reader.GetString() is { Length: > 0 } s ? s : null,
                        _ => throw Payload(page, $"'next_page_token' is {reader.TokenType}, expected a string or null."),
                    };
                }
                else
                {
                    Read(ref reader, page);
                    reader.Skip();
                }
            }

            if (reader.TokenType != JsonTokenType.EndObject) throw Payload(page, "the body is not one JSON object.");
        }
        catch (JsonException e)
        {
            var trimmed = body.Trim(" \t\r\n"u8);
            bool cut = trimmed.Length > 0 && trimmed[0] == (byte)'{' && trimmed[^1] != (byte)'}';
            throw Payload(page, $"malformed JSON at byte {reader.BytesConsumed} (in {where}){(cut ? "; the body was cut short (truncated)" : "")}: {e.Message}", e);
        }

        return (new BarPage(bars), next);
    }

    private static ProviderBar ReadBar(ref Utf8JsonReader reader, int page, string where)
    {
        DateTimeOffset? t = null;
        double o = double.NaN, h = double.NaN, l = double.NaN, c = double.NaN, v = double.NaN, n = double.NaN, vw = double.NaN;
        int seen = 0;
        while (Read(ref reader, page) && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("t"u8))
            {
                Read(ref reader, page);
                if (reader.TokenType != JsonTokenType.String || !reader.TryGetDateTimeOffset(out var ts))
                    throw Payload(page, $"'{where}.t' is not an RFC 3339 timestamp.");
                t = ts.ToUniversalTime();
                seen |= 1;
                continue;
            }

            int bit;
            ref double into = ref o;
            if (reader.ValueTextEquals("o"u8)) { bit = 2; into = ref o; }
            else if (reader.ValueTextEquals("h"u8)) { bit = 4; into = ref h; }
            else if (reader.ValueTextEquals("l"u8)) { bit = 8; into = ref l; }
            else if (reader.ValueTextEquals("c"u8)) { bit = 16; into = ref c; }
            else if (reader.ValueTextEquals("v"u8)) { bit = 32; into = ref v; }
            else if (reader.ValueTextEquals("n"u8)) { bit = 0; into = ref n; }
            else if (reader.ValueTextEquals("vw"u8)) { bit = 0; into = ref vw; }
            else
            {
                Read(ref reader, page);
                reader.Skip();
                continue;
            }

            string name = reader.GetString()!;
            Read(ref reader, page);
            if (reader.TokenType != JsonTokenType.Number) throw Payload(page, $"'{where}.{name}' is {reader.TokenType}, expected a number.");
            into = reader.GetDouble();
            seen |= bit;
        }

        if (seen != 63)
        {
            var missing = new[] { "t", "o", "h", "l", "c", "v" }.Where((_, i) => (seen & (1 << i)) == 0);
            throw Payload(page, $"'{where}' lacks {string.Join(", ", missing.Select(m => $"'{m}'"))}.");
        }

        return new ProviderBar(t!.Value, o, h, l, c, v, n, vw);
    }

    private static bool Read(ref Utf8JsonReader reader, int page)
    {
        if (!reader.Read()) throw Payload(page, $"the body ends early (truncated after {reader.BytesConsumed} bytes).");
        return true;
    }

    private static void Expect(ref Utf8JsonReader reader, JsonTokenType type, int page, string where)
    {
        Read(ref reader, page);
        if (reader.TokenType != type) throw Payload(page, $"{where} starts with {reader.TokenType}, expected {type}.");
    }

    private static ProviderException Payload(int page, string message, Exception? inner = null) =>
        new("alpaca", ProviderErrorKind.Payload, 200, $"page {page}: {message}", inner);

    /// <inheritdoc/>
    public void Dispose() => _http.Dispose();
}
