using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Research.Core.Tracking;
using Research.Serving;

namespace Research.Cli.Commands;

/// <summary><c>research serve</c>: the forecaster behind an HTTP API (see docs/serving.md).</summary>
internal static class ServeCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "Model folder, run folder, runs:/<run-id>/model, or a registered models:/<name>/<version|latest>.", Required = true };
        var urls = new Option<string>("--urls")
        {
            Description = $"URLs to listen on, separated by ';' (default {ServingOptions.DefaultUrls}).", DefaultValueFactory = _ => ServingOptions.DefaultUrls,
        };
        var apiKeyEnv = new Option<string?>("--api-key-env") { Description = "Name of an environment variable holding the API key /v1/* requests must send in X-API-Key." };
        var risk = new Option<string?>("--risk") { Description = "Risk limits JSON file (RiskLimits keys, camelCase); default: the limits the model's run logged, else the defaults." };
        var maxBatch = new Option<int>("--max-batch")
        {
            Description = $"Most predict bodies in one POST /v1/predict/batch (default {ServingOptions.DefaultMaxBatch}); more get 413.",
            DefaultValueFactory = _ => ServingOptions.DefaultMaxBatch,
        };
        var tracking = new Option<string?>("--tracking-uri") { Description = "Local MLflow store for runs:/ URIs (default: MLFLOW_TRACKING_URI, else ./mlruns)." };
        var reloadInterval = new Option<double?>("--reload-interval")
        {
            Description = "Seconds between polls of the --model source; a new version there is loaded and swapped in (default: no polling; POST /admin/reload always works).",
        };
        var rateLimit = new Option<int?>("--rate-limit")
        {
            Description = "Requests per second per client address (token bucket, no queue); more get 429 with Retry-After. /health, /ready, /metrics are exempt. Default: no limit.",
        };
        var output = new Option<string>("--output") { Description = "Folder for the server's files (the prediction log; default ./serving).", DefaultValueFactory = _ => "serving" };
        var logSample = new Option<int?>("--log-sample") { Description = "Log every N-th prediction as a JSON line in <output>/predictions.jsonl (default: no log)." };
        var logMaxMb = new Option<double>("--log-max-mb") { Description = "Size in MiB at which the prediction log rotates (default 10).", DefaultValueFactory = _ => 10 };
        var logKeep = new Option<int>("--log-keep") { Description = "Prediction log files kept, the current one included (default 5).", DefaultValueFactory = _ => 5 };
        var shutdownTimeout = new Option<double>("--shutdown-timeout")
        {
            Description = "Seconds shutdown waits for requests in flight (default 30).", DefaultValueFactory = _ => 30,
        };
        var jsonLogs = new Option<bool>("--json-logs") { Description = "Write the server's logs as JSON lines (structured: message template values as fields)." };
        var torchThreads = new Option<int>("--torch-threads")
        {
            Description = "TorchSharp intra-op threads while loading (default 1; predictions run in the span kernel, one thread per request).",
            DefaultValueFactory = _ => 1,
        };
        var warmUp = new Option<int>("--warm-up")
        {
            Description = "Synthetic predictions each newly loaded model makes before it takes traffic, so the JIT has compiled the hot path (default 200; 0: none).",
            DefaultValueFactory = _ => 200,
        };
        var cmd = new Command("serve", "Serve the forecaster over HTTP: /v1/model, /v1/predict, /v1/predict/batch, /v1/feedback, /v1/model/drift, /admin/reload, /health, /ready, /metrics.")
        {
            model, urls, apiKeyEnv, maxBatch, risk, tracking, reloadInterval, rateLimit, output, logSample, logMaxMb, logKeep, shutdownTimeout, jsonLogs, torchThreads, warmUp,
        };
        CommandAction.Set(cmd, (parse, stdout, stderr) =>
        {
            FileStore? store = parse.GetValue(tracking) is { } t && Tracker.ResolveUri(t) is ("file", var root) ? new FileStore(root) : null;
            string uri = parse.GetValue(model)!;
            string folder = ModelUri.Resolve(uri, store);
            string? riskFile = parse.GetValue(risk);
            if (riskFile is not null && !File.Exists(riskFile)) throw new FileNotFoundException($"{riskFile}: no such risk limits file.", riskFile);
            string? key = null;
            if (parse.GetValue(apiKeyEnv) is { } name)
            {
                key = Environment.GetEnvironmentVariable(name);
                if (string.IsNullOrEmpty(key)) throw new ArgumentException($"--api-key-env {name}: the environment variable {name} is not set or empty.");
            }

            int batch = parse.GetValue(maxBatch);
            if (batch < 1) throw new ArgumentException($"--max-batch must be ≥ 1, got {batch}.");
            double? every = parse.GetValue(reloadInterval);
            if (every is <= 0) throw new ArgumentException($"--reload-interval must be > 0 seconds, got {every}.");
            int? limit = parse.GetValue(rateLimit);
            if (limit is < 1) throw new ArgumentException($"--rate-limit must be ≥ 1 request per second, got {limit}.");
            int? sample = parse.GetValue(logSample);
            if (sample is < 1) throw new ArgumentException($"--log-sample must be ≥ 1, got {sample}.");
            if (parse.GetValue(logKeep) < 1) throw new ArgumentException("--log-keep must be ≥ 1.");
            if (!(parse.GetValue(logMaxMb) > 0)) throw new ArgumentException("--log-max-mb must be > 0.");
            if (!(parse.GetValue(shutdownTimeout) >= 0)) throw new ArgumentException("--shutdown-timeout must be ≥ 0.");
            if (parse.GetValue(torchThreads) < 1) throw new ArgumentException("--torch-threads must be ≥ 1.");
            TorchSharp.torch.set_num_threads(parse.GetValue(torchThreads));
            // Latency over throughput for the server's lifetime: a predict runs synchronously (and waits on the model's
            // lock), so keep enough pool threads ready that a burst never waits for the pool's slow thread injection,
            // and let background gen2 collections run instead of blocking ones while memory allows.
            ThreadPool.GetMinThreads(out int workers, out int io);
            ThreadPool.SetMinThreads(Math.Max(workers, 32), Math.Max(io, 32));
            System.Runtime.GCSettings.LatencyMode = System.Runtime.GCLatencyMode.SustainedLowLatency;
            var options = new ServingOptions
            {
                RateLimit = limit,
                OutputFolder = parse.GetValue(output)!,
                LogSample = sample,
                LogMaxBytes = (long)(parse.GetValue(logMaxMb) * 1024 * 1024),
                LogKeep = parse.GetValue(logKeep),
                ArtifactStore = ArtifactStore(parse.GetValue(tracking)),
                ShutdownTimeout = TimeSpan.FromSeconds(parse.GetValue(shutdownTimeout)),
                JsonLogs = parse.GetValue(jsonLogs),
                Urls = parse.GetValue(urls)!, ApiKey = key, MaxBatch = batch, ReloadInterval = every is { } s ? TimeSpan.FromSeconds(s) : null,
                WarmUpCalls = parse.GetValue(warmUp) >= 0 ? parse.GetValue(warmUp) : throw new ArgumentException($"--warm-up must be ≥ 0, got {parse.GetValue(warmUp)}."),
            };
            // The source resolves --model again on every reload and poll.
            var app = ServingApp.Build(options, ModelSource.FromUri(uri, riskFile, store));
            var host = app.Services.GetRequiredService<ModelHost>();
            stdout.WriteLine($"serving {folder} on {options.Urls}{(key is null ? "" : " (API key required on /v1/*)")}; Ctrl+C stops");
            app.Run(); // returns on Ctrl+C / SIGTERM, or when the model fails to load; disposes the app
            if (host.Error is { } error)
            {
                stderr.WriteLine($"error: the model failed to load: {error.Message}");
                return 1;
            }

            return 0;
        });
        return cmd;
    }

    /// <summary>The store the prediction log is copied to: the --tracking-uri, else MLFLOW_TRACKING_URI; none when neither is set.</summary>
    private static ITrackingStore? ArtifactStore(string? trackingUri)
    {
        trackingUri ??= Environment.GetEnvironmentVariable("MLFLOW_TRACKING_URI");
        if (string.IsNullOrWhiteSpace(trackingUri)) return null;
        var (kind, location) = Tracker.ResolveUri(trackingUri);
        return kind == "file" ? new FileStore(location) : new RestStore(location);
    }
}
