using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;

namespace Research.Core.Data.Providers;

/// <summary>
/// Yahoo Finance's v8 chart API, one request per symbol: <c>GET {base}/v8/finance/chart/{symbol}?period1=…&amp;period2=…
/// &amp;interval=1m|5m|15m|60m|1d&amp;includePrePost=…&amp;events=div,splits&amp;includeAdjustedClose=true</c>. The body is
/// <c>{"chart": {"result": [{"meta", "timestamp": [unix s…], "indicators": {"quote": [{"open", "high", "low", "close",
/// "volume"}], "adjclose": [{"adjclose"}]}}], "error": null | {"code", "description"}}}</c>. Entries that are null in
/// every price field (no trade in that interval) are skipped: they are not bars; a bar with only some prices null is a
/// payload error; a null volume beside prices reads as 0 and a null adjclose as NaN.
/// </summary>
public sealed class YahooBarProvider : IBarProvider, IDisposable
{
    private readonly YahooOptions _options;
    private readonly ProviderHttp _http;
    private readonly KeyValuePair<string, string>[] _headers;

    /// <summary>Creates the client; <paramref name="http"/> null makes (and owns) one.</summary>
    public YahooBarProvider(YahooOptions? options = null, HttpClient? http = null)
    {
        _options = options ?? new YahooOptions();
        _http = new ProviderHttp(Name, http, Stats, _options.Http);
        _headers = [new("User-Agent", _options.UserAgent), new("Accept", "application/json")];
    }

    /// <inheritdoc/>
    public string Name => "yahoo";

    /// <inheritdoc/>
    public ProviderStats Stats { get; } = new();

    /// <summary>Yahoo's interval for a timeframe.</summary>
    public static string Interval(BarTimeframe tf) => tf.Name switch
    {
        "1Min" => "1m",
        "5Min" => "5m",
        "15Min" => "15m",
        "1Hour" => "60m",
        _ => "1d",
    };

    /// <summary>Yahoo serves at most 8 days of 1-minute bars per request: 1-minute fetches go a week at a time.</summary>
    public TimeSpan MaxRequestSpan(BarTimeframe timeframe) => timeframe == BarTimeframe.Minute1 ? TimeSpan.FromDays(7) : TimeSpan.MaxValue;

    /// <inheritdoc/>
    public async IAsyncEnumerable<BarPage> FetchAsync(BarRequest request, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        foreach (var symbol in request.Symbols)
        {
            var uri = ChartUri(symbol, request);
            var body = await _http.GetAsync(uri, _headers, ErrorMessage, cancellationToken).ConfigureAwait(false);
            var bars = ParseChart(body, symbol);
            yield return new BarPage(new Dictionary<string, IReadOnlyList<ProviderBar>>(StringComparer.Ordinal) { [symbol] = bars });
        }
    }

    /// <summary>The chart URI of one symbol.</summary>
    internal Uri ChartUri(string symbol, BarRequest r) => new(string.Create(CultureInfo.InvariantCulture,
        $"{_options.BaseUrl.TrimEnd('/')}/v8/finance/chart/{Uri.EscapeDataString(symbol)}?period1={r.Start.ToUnixTimeSeconds()}&period2={r.End.ToUnixTimeSeconds()}&interval={Interval(r.Timeframe)}&includePrePost={(_options.IncludePrePost ? "true" : "false")}&events=div%2Csplits&includeAdjustedClose=true"));

    /// <summary>Yahoo's error body <c>{"chart": {"error": {"code", "description"}}}</c>: "code: description".</summary>
    internal static string? ErrorMessage(byte[] body)
    {
        using var doc = JsonDocument.Parse(body);
        if (doc.RootElement.TryGetProperty("chart", out var chart) && chart.TryGetProperty("error", out var e)
            && e.ValueKind == JsonValueKind.Object)
        {
            string? code = e.TryGetProperty("code", out var c) ? c.GetString() : null;
            string? description = e.TryGetProperty("description", out var d) ? d.GetString() : null;
            return code is null ? description : $"{code}: {description}";
        }

        return doc.RootElement.TryGetProperty("finance", out var f) && f.TryGetProperty("error", out var fe)
            && fe.TryGetProperty("description", out var fd) ? fd.GetString() : null;
    }

    /// <summary>
    /// Parses a chart body into the symbol's bars (oldest first). A <c>chart.error</c> in a 200 body, a body that is not
    /// the documented shape, columns of different lengths or a partly-null bar are payload errors naming the field.
    /// </summary>
    internal static List<ProviderBar> ParseChart(byte[] body, string symbol)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(body);
        }
        catch (JsonException e)
        {
            throw Payload(symbol, $"malformed JSON (line {e.LineNumber + 1}, byte {e.BytePositionInLine}): {e.Message}", e);
        }

        using (doc)
        {
            try
            {
                return Bars(doc.RootElement, symbol);
            }
            catch (InvalidOperationException e)
            {
                // JsonElement's accessors on a value of another kind (an array where an object belongs, a number code).
                throw Payload(symbol, $"the body is not the documented chart shape: {e.Message}", e);
            }
        }
    }

    private static List<ProviderBar> Bars(JsonElement root, string symbol)
    {
        {
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("chart", out var chart) || chart.ValueKind != JsonValueKind.Object)
                throw Payload(symbol, "the body has no 'chart' object.");
            if (chart.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object)
            {
                string code = error.TryGetProperty("code", out var c) ? c.GetString() ?? "" : "";
                string description = error.TryGetProperty("description", out var d) ? d.GetString() ?? "" : "";
                throw new ProviderException("yahoo", ProviderErrorKind.Parameter, 200, $"{symbol}: \"{code}: {description}\"");
            }

            if (!chart.TryGetProperty("result", out var results) || results.ValueKind != JsonValueKind.Array || results.GetArrayLength() == 0)
                throw Payload(symbol, "'chart.result' is missing or empty.");
            var result = results[0];
            if (result.ValueKind != JsonValueKind.Object) throw Payload(symbol, $"'chart.result[0]' is {result.ValueKind}, expected an object.");
            if (!result.TryGetProperty("timestamp", out var stamps) || stamps.ValueKind == JsonValueKind.Null)
                return []; // Yahoo omits 'timestamp' when the range holds no bars.
            if (stamps.ValueKind != JsonValueKind.Array) throw Payload(symbol, "'chart.result[0].timestamp' is not an array.");
            if (!result.TryGetProperty("indicators", out var indicators) || indicators.ValueKind != JsonValueKind.Object
                || !indicators.TryGetProperty("quote", out var quotes) || quotes.ValueKind != JsonValueKind.Array
                || quotes.GetArrayLength() == 0 || quotes[0].ValueKind != JsonValueKind.Object)
                throw Payload(symbol, "'chart.result[0].indicators.quote[0]' is missing.");
            var quote = quotes[0];
            int n = stamps.GetArrayLength();
            var open = Column(quote, "open", n, symbol);
            var high = Column(quote, "high", n, symbol);
            var low = Column(quote, "low", n, symbol);
            var close = Column(quote, "close", n, symbol);
            var volume = Column(quote, "volume", n, symbol);
            double[]? adj = null;
            if (indicators.TryGetProperty("adjclose", out var adjs) && adjs.ValueKind == JsonValueKind.Array && adjs.GetArrayLength() > 0
                && adjs[0].ValueKind == JsonValueKind.Object)
            {
                adj = Column(adjs[0], "adjclose", n, symbol, "indicators.adjclose[0]");
            }

            var bars = new List<ProviderBar>(n);
            int i = 0;
            foreach (var s in stamps.EnumerateArray())
            {
                if (s.ValueKind != JsonValueKind.Number || !s.TryGetInt64(out long unix))
                    throw Payload(symbol, $"'timestamp[{i}]' is not a Unix time in seconds.");
                bool anyNull = double.IsNaN(open[i]) || double.IsNaN(high[i]) || double.IsNaN(low[i]) || double.IsNaN(close[i]);
                bool allNull = double.IsNaN(open[i]) && double.IsNaN(high[i]) && double.IsNaN(low[i]) && double.IsNaN(close[i]);
                if (allNull)
                {
                    i++;
                    continue;
                }

                if (anyNull) throw Payload(symbol, $"bar {i} (timestamp {unix}) has some prices null and some not.");
                bars.Add(new ProviderBar(DateTimeOffset.FromUnixTimeSeconds(unix), open[i], high[i], low[i], close[i],
                    double.IsNaN(volume[i]) ? 0 : volume[i], AdjClose: adj is null ? double.NaN : adj[i]));
                i++;
            }

            return bars;
        }
    }

    private static double[] Column(JsonElement parent, string name, int n, string symbol, string at = "indicators.quote[0]")
    {
        if (!parent.TryGetProperty(name, out var a) || a.ValueKind != JsonValueKind.Array)
            throw Payload(symbol, $"'{at}.{name}' is missing.");
        if (a.GetArrayLength() != n)
            throw Payload(symbol, $"'{at}.{name}' has {a.GetArrayLength()} entries, 'timestamp' {n}.");
        var values = new double[n];
        int i = 0;
        foreach (var v in a.EnumerateArray())
        {
            values[i] = v.ValueKind switch
            {
                JsonValueKind.Null => double.NaN,
                JsonValueKind.Number => v.GetDouble(),
                _ => throw Payload(symbol, $"'{at}.{name}[{i}]' is {v.ValueKind}, expected a number or null."),
            };
            i++;
        }

        return values;
    }

    private static ProviderException Payload(string symbol, string message, Exception? inner = null) =>
        new("yahoo", ProviderErrorKind.Payload, 200, $"{symbol}: {message}", inner);

    /// <inheritdoc/>
    public void Dispose() => _http.Dispose();
}
