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
        var model = new Option<string>("--model") { Description = "Model folder, run folder, or runs:/<run-id>/model.", Required = true };
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
        var cmd = new Command("serve", "Serve the forecaster over HTTP: /v1/model, /v1/predict, /v1/predict/batch, /admin/reload, /health, /ready, /metrics.")
        {
            model, urls, apiKeyEnv, maxBatch, risk, tracking, reloadInterval, rateLimit,
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
            var options = new ServingOptions
            {
                RateLimit = limit,
                Urls = parse.GetValue(urls)!, ApiKey = key, MaxBatch = batch, ReloadInterval = every is { } s ? TimeSpan.FromSeconds(s) : null,
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
}
