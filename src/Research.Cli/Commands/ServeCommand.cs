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
        var cmd = new Command("serve", "Serve the forecaster over HTTP: /v1/model, /v1/predict, /v1/predict/batch, /health, /ready, /metrics.")
        {
            model, urls, apiKeyEnv, maxBatch, risk, tracking,
        };
        CommandAction.Set(cmd, (parse, stdout, stderr) =>
        {
            FileStore? store = parse.GetValue(tracking) is { } t && Tracker.ResolveUri(t) is ("file", var root) ? new FileStore(root) : null;
            string folder = ModelUri.Resolve(parse.GetValue(model)!, store);
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
            var options = new ServingOptions { Urls = parse.GetValue(urls)!, ApiKey = key, MaxBatch = batch };
            var app = ServingApp.Build(options, () => ServedModel.Load(folder, riskFile));
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
