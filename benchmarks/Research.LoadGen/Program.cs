using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Research.Core.Configuration;
using Research.Core.Data;
using Research.LoadGen;

try
{
    var options = LoadOptions.Parse(args);
    using var client = OpenLoopRunner.Client();
    string? key = options.ApiKeyEnv is { } env ? Environment.GetEnvironmentVariable(env) ?? throw new ArgumentException($"{env} is not set.") : null;
    string body = options.BodyFile is { } file ? File.ReadAllText(file) : await BodyFromData(client, options, key);
    var bytes = Encoding.UTF8.GetBytes(body);
    HttpRequestMessage Request()
    {
        var message = new HttpRequestMessage(HttpMethod.Post, options.Url + options.Route) { Content = new ByteArrayContent(bytes) };
        message.Content.Headers.ContentType = new("application/json");
        if (key is not null) message.Headers.Add("X-API-Key", key);
        return message;
    }

    var runner = new OpenLoopRunner(client, Request);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"POST {options.Url}{options.Route} ({bytes.Length:N0}-byte body) at {options.Rate}/s: {options.Warmup} s warm-up, then {options.Duration} s recorded"));
    if (options.Warmup > 0) await runner.Run(options.Rate, options.Warmup, record: false);
    var outcome = await runner.Run(options.Rate, options.Duration, record: true);
    Report(outcome, options);
    if (options.HistogramFile is { } csv) outcome.Latency.WriteCsv(csv);
    return outcome.Errors.Count == 0 ? 0 : 1;
}
catch (ArgumentException e)
{
    Console.Error.WriteLine($"error: {e.Message}\n{LoadOptions.Usage}");
    return 2;
}

static void Report(OpenLoopRunner.Outcome o, LoadOptions options)
{
    static string Ms(double s) => (s * 1000).ToString("0.000", CultureInfo.InvariantCulture);
    int errors = o.Errors.Values.Sum();
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"sent {o.Sent:N0} in {o.Seconds:0.00} s ({o.Sent / o.Seconds:0.0}/s achieved, target {options.Rate}/s); errors {errors}{(errors == 0 ? "" : " (" + string.Join(", ", o.Errors.Select(e => $"{e.Key}: {e.Value}")) + ")")}; max send lag {Ms(o.MaxSendLag)} ms"));
    foreach (var (name, h) in new[] { ("latency (from scheduled send)", o.Latency), ("service time (from actual send)", o.Service) })
        Console.WriteLine($"{name,-32} p50 {Ms(h.Percentile(0.50))} ms  p90 {Ms(h.Percentile(0.90))} ms  p99 {Ms(h.Percentile(0.99))} ms  p99.9 {Ms(h.Percentile(0.999))} ms  max {Ms(h.Max)} ms");
    Console.WriteLine("latency histogram:");
    foreach (var (label, count) in o.Latency.Coarse([0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.5]))
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {label,-12} {count,7:N0}  {100.0 * count / Math.Max(1, o.Latency.Count),6:0.00} %"));
}

static async Task<string> BodyFromData(HttpClient client, LoadOptions options, string? key)
{
    using var info = new HttpRequestMessage(HttpMethod.Get, options.Url + "/v1/model");
    if (key is not null) info.Headers.Add("X-API-Key", key);
    using var response = await client.SendAsync(info);
    response.EnsureSuccessStatusCode();
    var model = await response.Content.ReadFromJsonAsync<JsonElement>();
    int minBars = model.GetProperty("min_bars").GetInt32();
    string root = FindRoot();
    var panel = MarketDataLoader.Load(new DataConfig { Paths = [Path.Combine(root, "data", "djia")] }, null).Panel;
    var tickers = model.GetProperty("tickers").EnumerateArray().Select(t => t.GetString()!).Where(panel.Tickers.Contains).Take(options.Tickers).ToList();
    if (tickers.Count == 0) throw new ArgumentException("none of the model's tickers are in data/djia; give --body.");
    int count = Math.Max(options.Bars, minBars), end = panel.DateCount - 1;
    var bars = new JsonObject();
    foreach (var ticker in tickers)
    {
        int k = panel.TickerIndex(ticker);
        var list = new JsonArray();
        for (int t = end - count + 1; t <= end; t++)
        {
            list.Add(new JsonObject
            {
                ["date"] = panel.Calendar[t].ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                ["open"] = panel.Series(PriceField.Open, k)[t], ["high"] = panel.Series(PriceField.High, k)[t],
                ["low"] = panel.Series(PriceField.Low, k)[t], ["close"] = panel.Series(PriceField.Close, k)[t],
                ["volume"] = panel.Series(PriceField.Volume, k)[t],
            });
        }

        bars[ticker] = list;
    }

    return new JsonObject { ["bars"] = bars }.ToJsonString();
}

static string FindRoot()
{
    foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
    {
        for (var d = new DirectoryInfo(start); d is not null; d = d.Parent)
        {
            if (File.Exists(Path.Combine(d.FullName, "Research.sln"))) return d.FullName;
        }
    }

    throw new ArgumentException("run inside the repository (data/djia is found from Research.sln), or give --body.");
}
