using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Prometheus;

namespace Research.Serving;

/// <summary>
/// The serving web application: <c>GET /health</c>, <c>GET /ready</c>, <c>GET /metrics</c>, <c>GET /v1/model</c>,
/// <c>POST /v1/predict</c>, <c>POST /v1/predict/batch</c> and <c>POST /admin/reload</c>, with the API key check on
/// <c>/v1/*</c> and <c>/admin/*</c> and problem details for every refused request.
/// </summary>
public static class ServingApp
{
    /// <summary>The header carrying the API key.</summary>
    public const string ApiKeyHeader = "X-API-Key";

    /// <summary>
    /// Builds the application; <paramref name="load"/> loads the model in the background after start.
    /// <paramref name="configure"/> adjusts the builder (tests swap in the test server).
    /// </summary>
    public static WebApplication Build(ServingOptions options, Func<ServedModel> load, Action<WebApplicationBuilder>? configure = null) =>
        Build(options, new ModelSource(load), configure);

    /// <summary>
    /// Builds the application serving <paramref name="source"/>, loaded in the background after start and again on
    /// <c>POST /admin/reload</c> (or when polling finds a new version). <paramref name="configure"/> adjusts the builder.
    /// </summary>
    public static WebApplication Build(ServingOptions options, ModelSource source, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ApplicationName = typeof(ServingApp).Assembly.GetName().Name });
        builder.WebHost.UseUrls(options.Urls);
        // The body limit is enforced while reading (413 as problem details), not by Kestrel's reset.
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = null);
        // Request-by-request framework logs stay quiet; the model host and the lifetime messages still show.
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        if (options.JsonLogs)
        {
            builder.Logging.ClearProviders();
            builder.Logging.AddJsonConsole(o =>
            {
                o.UseUtcTimestamp = true;
                o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
            });
        }

        builder.Services.AddProblemDetails();
        builder.Services.AddSingleton(new ServingMetrics());
        builder.Services.AddSingleton(source);
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(new PredictionMemory(options.RememberedPredictions));
        builder.Services.AddSingleton(new LiveAccuracy(options.FeedbackWindow));
        builder.Services.AddSingleton(new DriftMonitor(options.DriftWindow));
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = options.ShutdownTimeout);
        if (options.LogSample is { } sample)
            builder.Services.AddSingleton(new PredictionLog(options.OutputFolder, sample, options.LogMaxBytes, options.LogKeep));
        builder.Services.AddSingleton<ModelHost>();
        if (options.RateLimit is { } perSecond) RateLimit.Add(builder.Services, perSecond);
        builder.Services.AddHostedService(s => s.GetRequiredService<ModelHost>());
        configure?.Invoke(builder);

        var app = builder.Build();
        var metrics = app.Services.GetRequiredService<ServingMetrics>();
        var host = app.Services.GetRequiredService<ModelHost>();
        var memory = app.Services.GetRequiredService<PredictionMemory>();
        var live = app.Services.GetRequiredService<LiveAccuracy>();
        var drift = app.Services.GetRequiredService<DriftMonitor>();
        var predictionLog = app.Services.GetService<PredictionLog>();
        if (predictionLog is not null)
        {
            var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Research.Serving.PredictionLog");
            // The old model's predictions go to its run when it is swapped out; the last model's when the server has drained.
            host.Swapped += (previous, _) => predictionLog.CopyToRun(options.ArtifactStore, previous, logger);
            app.Lifetime.ApplicationStopped.Register(() =>
            {
                if (host.Predictor is { } last) predictionLog.CopyToRun(options.ArtifactStore, last.Model.Info, logger);
            });
        }

        metrics.Registry.AddBeforeCollectCallback(() =>
        {
            using var lease = host.Acquire();
            if (lease is { } held && drift.Report(held.Predictor.Model) is { } report) metrics.SetDrift(report);
        });
        app.UseExceptionHandler();
        app.Use(async (context, next) =>
        {
            metrics.InFlight.Inc();
            try
            {
                await next(context);
            }
            finally
            {
                metrics.InFlight.Dec();
                string route = (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? "unmatched";
                metrics.Requests.WithLabels(route, context.Response.StatusCode.ToString(System.Globalization.CultureInfo.InvariantCulture)).Inc();
            }
        });
        if (options.RateLimit is not null) app.UseRateLimiter();
        if (options.ApiKey is { } key) app.Use(ApiKey(key));

        app.MapGet("/health", () => Results.Json(new { status = "ok" }));
        app.MapGet("/ready", () => host.Predictor is null
            ? Results.Json(new { status = host.Error is null ? "loading" : "failed" }, statusCode: StatusCodes.Status503ServiceUnavailable)
            : Results.Json(new { status = "ready" }));
        app.MapMetrics("/metrics", metrics.Registry);
        app.MapGet("/v1/model", () => host.Predictor is { } p ? Results.Json(p.Model.Info) : NotReady(host));
        app.MapGet("/v1/model/drift", () =>
        {
            using var lease = host.Acquire();
            if (lease is not { } held) return NotReady(host);
            return drift.Report(held.Predictor.Model) is { } report
                ? Results.Json(report)
                : Problem(new RequestProblem(StatusCodes.Status404NotFound, "No drift reference",
                    $"The served model ({held.Predictor.Model.Folder}) was saved without {Research.Core.Monitoring.FeatureReference.FileName}; models trained by this version of the workbench have one.", "$"));
        });
        app.MapPost("/admin/reload", (Func<HttpContext, Task<IResult>>)(context => Reload(host, context.RequestAborted)));
        app.MapPost("/v1/predict", (Func<HttpContext, Task<IResult>>)(context => Answer(context, host, options, (predictor, body) =>
        {
            var request = BarsRequest.Parse(body, predictor.Model.Info);
            var clock = Stopwatch.StartNew();
            var response = predictor.Predict(request, drift: drift);
            metrics.PredictionSeconds.Observe(clock.Elapsed.TotalSeconds);
            Remember(memory, request, response);
            predictionLog?.Offer(request.Panel.Calendar[request.Panel.DateCount - 1], response);
            return response;
        })));
        app.MapPost("/v1/predict/batch", (Func<HttpContext, Task<IResult>>)(context => Answer(context, host, options, (predictor, body) =>
        {
            // Every body is validated before any is predicted.
            var requests = Batch(body, options.MaxBatch).Select((r, i) => BarsRequest.Parse(r, predictor.Model.Info, $"requests[{i}]")).ToArray();
            var responses = new PredictResponse[requests.Length];
            for (int i = 0; i < responses.Length; i++)
            {
                var clock = Stopwatch.StartNew();
                responses[i] = predictor.Predict(requests[i], $"requests[{i}]", drift);
                metrics.PredictionSeconds.Observe(clock.Elapsed.TotalSeconds);
                Remember(memory, requests[i], responses[i]);
                predictionLog?.Offer(requests[i].Panel.Calendar[requests[i].Panel.DateCount - 1], responses[i]);
            }

            return new BatchResponse(responses);
        })));
        app.MapPost("/v1/feedback", (Func<HttpContext, Task<IResult>>)(async context =>
        {
            try
            {
                using var body = await ReadJson(context.Request, options.MaxBodyBytes, context.RequestAborted);
                var result = FeedbackRequest.Apply(FeedbackRequest.Parse(body.RootElement), memory, live);
                metrics.Feedback.WithLabels("matched").Inc(result.Matched);
                metrics.Feedback.WithLabels("unmatched").Inc(result.Unmatched.Count);
                metrics.SetLive(result.Live);
                return Results.Json(result);
            }
            catch (RequestProblem p)
            {
                return Problem(p);
            }
        }));
        return app;
    }

    /// <summary>Remembers each ticker's forecast for the request's last date, for feedback to match.</summary>
    private static void Remember(PredictionMemory memory, BarsRequest request, PredictResponse response)
    {
        var date = request.Panel.Calendar[request.Panel.DateCount - 1];
        foreach (var (ticker, p) in response.Predictions) memory.Record(ticker, date, p.ExpectedReturn);
    }

    /// <summary>Reads the JSON body and answers with <paramref name="handle"/>'s result, or problem details.</summary>
    private static async Task<IResult> Answer<T>(HttpContext context, ModelHost host, ServingOptions options, Func<Predictor, JsonElement, T> handle)
    {
        // The lease keeps this request's model alive through a reload (the response it returns is plain data).
        using var lease = host.Acquire();
        if (lease is not { } held) return NotReady(host);
        try
        {
            using var body = await ReadJson(context.Request, options.MaxBodyBytes, context.RequestAborted);
            var result = handle(held.Predictor, body.RootElement);
            return Results.Json(result);
        }
        catch (RequestProblem p)
        {
            return Problem(p);
        }
    }

    /// <summary>The predict bodies of <c>{"requests": [...]}</c>: 422 when missing or empty, 413 past <paramref name="maxBatch"/>.</summary>
    private static List<JsonElement> Batch(JsonElement body, int maxBatch)
    {
        if (body.ValueKind != JsonValueKind.Object) throw RequestProblem.Invalid("$", "the request body must be a JSON object {\"requests\": [...]}.");
        var found = body.EnumerateObject().Where(p => p.NameEquals("requests")).ToList();
        if (found.Count == 0) throw RequestProblem.Invalid("requests", "missing: the batch needs \"requests\", an array of predict bodies.");
        if (found.Count > 1) throw RequestProblem.Invalid("requests", "\"requests\" is given more than once.");
        var requests = found[0].Value;
        if (requests.ValueKind != JsonValueKind.Array) throw RequestProblem.Invalid("requests", "must be an array of predict bodies.");
        int count = requests.GetArrayLength();
        if (count == 0) throw RequestProblem.Invalid("requests", "empty: give at least one predict body.");
        if (count > maxBatch)
        {
            throw new RequestProblem(StatusCodes.Status413PayloadTooLarge, "Batch too large",
                $"{count} requests; this server takes at most {maxBatch} per batch (--max-batch).", "requests");
        }

        return [.. requests.EnumerateArray()];
    }

    /// <summary>Reloads the model: 200 with the previous and current model, 409 before the first load, 422 when the new one fails to load.</summary>
    private static async Task<IResult> Reload(ModelHost host, CancellationToken cancel)
    {
        if (host.Predictor is null) return NotReady(host);
        try
        {
            return Results.Json(await host.ReloadAsync("POST /admin/reload", cancel));
        }
        catch (InvalidOperationException e)
        {
            return Problem(new RequestProblem(StatusCodes.Status409Conflict, "No model to replace", e.Message, "$"));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return Problem(new RequestProblem(StatusCodes.Status422UnprocessableEntity, "Reload failed",
                $"The new model failed to load ({e.GetType().Name}: {e.Message}); the previous model keeps serving.", "$"));
        }
    }

    /// <summary>Problem details for <paramref name="problem"/>, its field as the <c>field</c> extension.</summary>
    public static IResult Problem(RequestProblem problem) =>
        Results.Problem(problem.Message, statusCode: problem.Status, title: problem.Title,
            extensions: new Dictionary<string, object?> { ["field"] = problem.Field });

    private static IResult NotReady(ModelHost host) =>
        Results.Problem(host.Error is null ? "The model is still loading; see /ready." : $"The model failed to load: {host.Error.Message}",
            statusCode: StatusCodes.Status503ServiceUnavailable, title: "Model not loaded");

    private static Func<HttpContext, RequestDelegate, Task> ApiKey(string key)
    {
        var expected = Encoding.UTF8.GetBytes(key);
        return async (context, next) =>
        {
            if (context.Request.Path.StartsWithSegments("/v1") || context.Request.Path.StartsWithSegments("/admin"))
            {
                string? given = context.Request.Headers[ApiKeyHeader];
                if (given is null || !CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), expected))
                {
                    var problem = new RequestProblem(StatusCodes.Status401Unauthorized, "Unauthorized",
                        given is null ? $"/v1 and /admin routes need the API key in the {ApiKeyHeader} header." : $"The {ApiKeyHeader} header does not match the server's key.",
                        ApiKeyHeader);
                    await Problem(problem).ExecuteAsync(context);
                    return;
                }
            }

            await next(context);
        };
    }

    /// <summary>Reads at most <paramref name="limit"/> bytes of body and parses them (413 past the limit, 400 when not JSON).</summary>
    private static async Task<JsonDocument> ReadJson(HttpRequest request, long limit, CancellationToken cancel)
    {
        if (request.ContentLength > limit) throw TooLarge(limit);
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancel)) > 0)
        {
            if (buffer.Length + read > limit) throw TooLarge(limit);
            buffer.Write(chunk, 0, read);
        }

        try
        {
            return JsonDocument.Parse(buffer.GetBuffer().AsMemory(0, (int)buffer.Length), new JsonDocumentOptions { MaxDepth = 16 });
        }
        catch (JsonException e)
        {
            throw new RequestProblem(StatusCodes.Status400BadRequest, "Malformed JSON",
                $"The body is not valid JSON (line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1}): {e.Message}", "$");
        }
    }

    private static RequestProblem TooLarge(long limit) =>
        new(StatusCodes.Status413PayloadTooLarge, "Request body too large", $"The body exceeds the limit of {limit:N0} bytes.", "$");
}
