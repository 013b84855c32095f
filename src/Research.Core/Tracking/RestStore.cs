using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Polly;
using Polly.Retry;

namespace Research.Core.Tracking;

/// <summary>
/// MLflow's REST API 2.0 over <see cref="HttpClient"/>: experiments, runs, log-batch (split within MLflow's limits:
/// 1000 metrics, 100 params, 100 tags per request), metric history, and artifacts through the server's
/// <c>mlflow-artifacts</c> proxy. Auth from MLFLOW_TRACKING_TOKEN (Bearer) or MLFLOW_TRACKING_USERNAME/PASSWORD
/// (Basic); at most 1000 entities in all per request. 429 and 5xx responses and connection failures are retried with exponential backoff (Polly); a server that
/// stays unreachable raises <see cref="TrackingUnavailableException"/>. MLflow's error responses become
/// <see cref="TrackingException"/>s with their <c>error_code</c>.
/// </summary>
public sealed class RestStore : ITrackingStore, IDisposable
{
    private readonly HttpClient _http;
    private readonly bool _ownsClient;
    private readonly ResiliencePipeline<HttpResponseMessage> _retry;

    /// <summary>A client of the server at <paramref name="baseUri"/> (e.g. http://127.0.0.1:5000).</summary>
    /// <param name="baseUri">Server root.</param>
    /// <param name="http">An HttpClient to use (default: a new one owned by the store).</param>
    /// <param name="maxRetries">Retries after the first attempt.</param>
    /// <param name="baseDelay">First backoff delay (doubles each retry, with jitter).</param>
    /// <param name="environment">Reads auth variables (default: the process environment).</param>
    public RestStore(string baseUri, HttpClient? http = null, int maxRetries = 4, TimeSpan? baseDelay = null,
        Func<string, string?>? environment = null)
    {
        Uri = baseUri.TrimEnd('/');
        _ownsClient = http is null;
        _http = http ?? new HttpClient { Timeout = TimeSpan.FromSeconds(60) };
        environment ??= Environment.GetEnvironmentVariable;
        if (environment("MLFLOW_TRACKING_TOKEN") is { Length: > 0 } token)
            _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        else if (environment("MLFLOW_TRACKING_USERNAME") is { Length: > 0 } user)
        {
            string basic = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{environment("MLFLOW_TRACKING_PASSWORD") ?? ""}"));
            _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", basic);
        }

        _retry = new ResiliencePipelineBuilder<HttpResponseMessage>()
            .AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                MaxRetryAttempts = Math.Max(1, maxRetries),
                Delay = baseDelay ?? TimeSpan.FromMilliseconds(250),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                ShouldHandle = new PredicateBuilder<HttpResponseMessage>()
                    .Handle<HttpRequestException>()
                    .Handle<TaskCanceledException>()
                    .HandleResult(r => r.StatusCode == HttpStatusCode.TooManyRequests || (int)r.StatusCode >= 500),
            })
            .Build();
        if (maxRetries == 0) _retry = ResiliencePipeline<HttpResponseMessage>.Empty;
    }

    /// <inheritdoc />
    public string Uri { get; }

    /// <summary>Requests sent (including retries), for diagnostics and tests.</summary>
    public int RequestCount { get; private set; }

    /// <inheritdoc />
    public string CreateExperiment(string name) =>
        Post("mlflow/experiments/create", new JsonObject { ["name"] = name })["experiment_id"]!.GetValue<string>();

    /// <inheritdoc />
    public Experiment? GetExperimentByName(string name)
    {
        try
        {
            return ParseExperiment(Get($"mlflow/experiments/get-by-name?experiment_name={System.Uri.EscapeDataString(name)}")["experiment"]!);
        }
        catch (TrackingException e) when (e.ErrorCode == TrackingException.ResourceDoesNotExist)
        {
            return null;
        }
    }

    /// <inheritdoc />
    public IReadOnlyList<Experiment> SearchExperiments()
    {
        var list = new List<Experiment>();
        string? token = null;
        do
        {
            var body = new JsonObject { ["max_results"] = 1000 };
            if (token is not null) body["page_token"] = token;
            var page = Post("mlflow/experiments/search", body);
            if (page["experiments"] is JsonArray items) list.AddRange(items.Select(e => ParseExperiment(e!)));
            token = page["next_page_token"]?.GetValue<string>();
        }
        while (!string.IsNullOrEmpty(token));
        return list;
    }

    /// <inheritdoc />
    public RunInfo CreateRun(string experimentId, string runName, long startTime, IReadOnlyDictionary<string, string> tags, string userId)
    {
        foreach (var (k, v) in tags) TrackingValidation.Tag(k, v);
        var body = new JsonObject
        {
            ["experiment_id"] = experimentId, ["user_id"] = userId, ["run_name"] = runName, ["start_time"] = startTime,
            ["tags"] = new JsonArray(tags.Select(t => (JsonNode)new JsonObject { ["key"] = t.Key, ["value"] = t.Value }).ToArray()),
        };
        return ParseRun(Post("mlflow/runs/create", body)["run"]!).Info;
    }

    /// <inheritdoc />
    public void UpdateRun(string runId, RunStatus status, long? endTime)
    {
        var body = new JsonObject { ["run_id"] = runId, ["status"] = StatusName(status) };
        if (endTime is { } e) body["end_time"] = e;
        Post("mlflow/runs/update", body);
    }

    /// <inheritdoc />
    public Run GetRun(string runId) => ParseRun(Get($"mlflow/runs/get?run_id={System.Uri.EscapeDataString(runId)}")["run"]!);

    /// <inheritdoc />
    public IReadOnlyList<Run> SearchRuns(IReadOnlyList<string> experimentIds)
    {
        var runs = new List<Run>();
        string? token = null;
        do
        {
            var body = new JsonObject
            {
                ["experiment_ids"] = new JsonArray(experimentIds.Select(i => (JsonNode)JsonValue.Create(i)).ToArray()),
                ["max_results"] = 1000,
                ["order_by"] = new JsonArray("attributes.start_time DESC"),
            };
            if (token is not null) body["page_token"] = token;
            var page = Post("mlflow/runs/search", body);
            if (page["runs"] is JsonArray items) runs.AddRange(items.Select(r => ParseRun(r!)));
            token = page["next_page_token"]?.GetValue<string>();
        }
        while (!string.IsNullOrEmpty(token));
        return runs;
    }

    /// <inheritdoc />
    public void LogBatch(string runId, IReadOnlyList<Metric> metrics, IReadOnlyList<KeyValuePair<string, string>> parameters,
        IReadOnlyList<KeyValuePair<string, string>> tags)
    {
        foreach (var m in metrics) TrackingValidation.MetricKey(m.Key);
        foreach (var (k, v) in parameters) TrackingValidation.Param(k, v);
        foreach (var (k, v) in tags) TrackingValidation.Tag(k, v);
        int mi = 0, pi = 0, ti = 0;
        do
        {
            int pn = Math.Min(TrackingValidation.MaxParamsTagsPerBatch, parameters.Count - pi);
            int tn = Math.Min(TrackingValidation.MaxParamsTagsPerBatch, tags.Count - ti);
            int mn = Math.Min(Math.Min(TrackingValidation.MaxMetricsPerBatch, TrackingValidation.MaxEntitiesPerBatch - pn - tn), metrics.Count - mi);
            var body = new JsonObject
            {
                ["run_id"] = runId,
                ["metrics"] = new JsonArray(metrics.Skip(mi).Take(mn).Select(m => (JsonNode)new JsonObject
                {
                    ["key"] = m.Key, ["value"] = JsonDouble(m.Value), ["timestamp"] = m.Timestamp, ["step"] = m.Step,
                }).ToArray()),
                ["params"] = KeyValues(parameters.Skip(pi).Take(pn)),
                ["tags"] = KeyValues(tags.Skip(ti).Take(tn)),
            };
            Post("mlflow/runs/log-batch", body);
            mi += mn;
            pi += pn;
            ti += tn;
        }
        while (mi < metrics.Count || pi < parameters.Count || ti < tags.Count);
    }

    /// <inheritdoc />
    public IReadOnlyList<Metric> GetMetricHistory(string runId, string key)
    {
        var list = new List<Metric>();
        string? token = null;
        do
        {
            string q = $"mlflow/metrics/get-history?run_id={System.Uri.EscapeDataString(runId)}&metric_key={System.Uri.EscapeDataString(key)}&max_results=25000";
            if (token is not null) q += "&page_token=" + System.Uri.EscapeDataString(token);
            var page = Get(q);
            if (page["metrics"] is JsonArray items) list.AddRange(items.Select(m => ParseMetric(m!)));
            token = page["next_page_token"]?.GetValue<string>();
        }
        while (!string.IsNullOrEmpty(token));
        return list;
    }

    /// <inheritdoc />
    public void LogArtifact(string runId, string localPath, string artifactPath)
    {
        if (!File.Exists(localPath)) throw new FileNotFoundException($"{localPath}: no such file to log as an artifact.", localPath);
        string url = $"{Uri}/api/2.0/mlflow-artifacts/artifacts/{ArtifactRoot(runId)}/{EscapePath(artifactPath)}";
        byte[] bytes = File.ReadAllBytes(localPath);
        Send(() => new HttpRequestMessage(HttpMethod.Put, url) { Content = new ByteArrayContent(bytes) }, $"PUT {artifactPath}");
    }

    /// <inheritdoc />
    public IReadOnlyList<ArtifactInfo> ListArtifacts(string runId, string? path = null)
    {
        string root = ArtifactRoot(runId);
        string full = path is null ? root : $"{root}/{path.Trim('/')}";
        var json = Get($"mlflow-artifacts/artifacts?path={System.Uri.EscapeDataString(full)}");
        var list = new List<ArtifactInfo>();
        if (json["files"] is JsonArray files)
        {
            foreach (var f in files)
            {
                string name = f!["path"]!.GetValue<string>();
                string rel = path is null ? name : $"{path.Trim('/')}/{name}";
                bool dir = f["is_dir"]?.GetValue<bool>() ?? false;
                long? size = f["file_size"] is { } s ? long.Parse(s.ToString(), CultureInfo.InvariantCulture) : null;
                list.Add(new ArtifactInfo(rel, dir, dir ? null : size));
            }
        }

        return list;
    }

    /// <inheritdoc />
    public void DownloadArtifact(string runId, string artifactPath, string destination)
    {
        string url = $"{Uri}/api/2.0/mlflow-artifacts/artifacts/{ArtifactRoot(runId)}/{EscapePath(artifactPath)}";
        using var response = Send(() => new HttpRequestMessage(HttpMethod.Get, url), $"GET {artifactPath}");
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(destination))!);
        string temp = destination + ".download";
        using (var fs = File.Create(temp)) response.Content.ReadAsStream().CopyTo(fs);
        File.Move(temp, destination, overwrite: true);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_ownsClient) _http.Dispose();
    }

    /// <summary>MLflow's status name for <paramref name="status"/>.</summary>
    public static string StatusName(RunStatus status) => status.ToString().ToUpperInvariant();

    private string ArtifactRoot(string runId)
    {
        string uri = GetRun(runId).Info.ArtifactUri;
        const string proxy = "mlflow-artifacts:";
        if (!uri.StartsWith(proxy, StringComparison.Ordinal))
        {
            throw new TrackingException(TrackingException.InvalidParameterValue,
                $"Run {runId}'s artifact location '{uri}' is not served by the tracking server; start it with artifact proxying (mlflow server --serve-artifacts, the default in MLflow 2.x).");
        }

        string rest = uri[proxy.Length..].TrimStart('/');
        // mlflow-artifacts://host:port/path → drop the authority.
        if (uri.StartsWith(proxy + "//", StringComparison.Ordinal)) rest = rest[(rest.IndexOf('/') + 1)..];
        return rest.TrimEnd('/');
    }

    private static string EscapePath(string path) => string.Join('/', path.Split('/').Select(System.Uri.EscapeDataString));

    private static JsonArray KeyValues(IEnumerable<KeyValuePair<string, string>> pairs) =>
        new(pairs.Select(p => (JsonNode)new JsonObject { ["key"] = p.Key, ["value"] = p.Value }).ToArray());

    private static JsonNode JsonDouble(double v) =>
        double.IsNaN(v) ? JsonValue.Create("NaN") : double.IsPositiveInfinity(v) ? JsonValue.Create("Infinity")
        : double.IsNegativeInfinity(v) ? JsonValue.Create("-Infinity") : JsonValue.Create(v);

    private static double ReadDouble(JsonNode? n) =>
        n is null ? double.NaN
        : n.GetValueKind() == JsonValueKind.String ? n.GetValue<string>() switch
        {
            "NaN" => double.NaN, "Infinity" => double.PositiveInfinity, "-Infinity" => double.NegativeInfinity,
            var s => double.Parse(s, CultureInfo.InvariantCulture),
        }
        : n.GetValue<double>();

    private static long ReadLong(JsonNode? n) =>
        n is null ? 0 : n.GetValueKind() == JsonValueKind.String ? long.Parse(n.GetValue<string>(), CultureInfo.InvariantCulture) : n.GetValue<long>();

    private static Experiment ParseExperiment(JsonNode e) =>
        new(e["experiment_id"]!.GetValue<string>(), e["name"]!.GetValue<string>(), e["artifact_location"]?.GetValue<string>() ?? "",
            e["lifecycle_stage"]?.GetValue<string>() ?? "active", ReadLong(e["creation_time"]));

    private static Metric ParseMetric(JsonNode m) =>
        new(m["key"]!.GetValue<string>(), ReadDouble(m["value"]), ReadLong(m["timestamp"]), ReadLong(m["step"]));

    private static Run ParseRun(JsonNode run)
    {
        var i = run["info"]!;
        var info = new RunInfo(i["run_id"]!.GetValue<string>(), i["experiment_id"]!.GetValue<string>(), i["run_name"]?.GetValue<string>() ?? "",
            Enum.Parse<RunStatus>(i["status"]?.GetValue<string>() ?? "RUNNING", ignoreCase: true), ReadLong(i["start_time"]),
            i["end_time"] is { } e ? ReadLong(e) : null, i["artifact_uri"]?.GetValue<string>() ?? "", i["user_id"]?.GetValue<string>() ?? "",
            i["lifecycle_stage"]?.GetValue<string>() ?? "active");
        var data = run["data"];
        var metrics = (data?["metrics"] as JsonArray ?? []).Select(m => ParseMetric(m!)).ToDictionary(m => m.Key, StringComparer.Ordinal);
        var parameters = (data?["params"] as JsonArray ?? []).ToDictionary(p => p!["key"]!.GetValue<string>(), p => p!["value"]?.GetValue<string>() ?? "", StringComparer.Ordinal);
        var tags = (data?["tags"] as JsonArray ?? []).ToDictionary(p => p!["key"]!.GetValue<string>(), p => p!["value"]?.GetValue<string>() ?? "", StringComparer.Ordinal);
        return new Run(info, metrics, parameters, tags);
    }

    private JsonNode Get(string path) =>
        Read(Send(() => new HttpRequestMessage(HttpMethod.Get, $"{Uri}/api/2.0/{path}"), $"GET {path}"));

    private JsonNode Post(string path, JsonObject body)
    {
        string json = body.ToJsonString();
        return Read(Send(() => new HttpRequestMessage(HttpMethod.Post, $"{Uri}/api/2.0/{path}")
        {
            Content = new StringContent(json, Encoding.UTF8, "application/json"),
        }, $"POST {path}"));
    }

    private static JsonNode Read(HttpResponseMessage response)
    {
        using (response)
        {
            string text = response.Content.ReadAsStringAsync().GetAwaiter().GetResult();
            return text.Length == 0 ? new JsonObject() : JsonNode.Parse(text) ?? new JsonObject();
        }
    }

    private HttpResponseMessage Send(Func<HttpRequestMessage> request, string what)
    {
        HttpResponseMessage response;
        try
        {
            response = _retry.Execute(() =>
            {
                RequestCount++;
                using var message = request();
                return _http.Send(message, HttpCompletionOption.ResponseHeadersRead);
            });
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            throw new TrackingUnavailableException($"MLflow server {Uri} unreachable ({what}): {e.Message}", e);
        }

        if (response.IsSuccessStatusCode) return response;
        string body = response.Content.ReadAsStringAsync().GetAwaiter().GetResult();
        int status = (int)response.StatusCode;
        response.Dispose();
        if (status == 429 || status >= 500)
            throw new TrackingUnavailableException($"MLflow server {Uri} answered {status} to {what} after retries: {Trim(body)}");
        string code = "HTTP_" + status.ToString(CultureInfo.InvariantCulture), message = Trim(body);
        try
        {
            if (JsonNode.Parse(body) is JsonObject o)
            {
                code = o["error_code"]?.GetValue<string>() ?? code;
                message = o["message"]?.GetValue<string>() ?? message;
            }
        }
        catch (JsonException)
        {
            // not JSON: keep the raw text
        }

        if (status == 401 || status == 403)
            message += " (set MLFLOW_TRACKING_TOKEN, or MLFLOW_TRACKING_USERNAME and MLFLOW_TRACKING_PASSWORD)";
        throw new TrackingException(code, $"{what}: {message}");
    }

    private static string Trim(string s) => s.Length > 500 ? s[..500] + "…" : s;
}
