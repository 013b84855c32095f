using Research.Core.Tracking;

namespace Research.Serving;

/// <summary>Settings of <c>research serve</c>.</summary>
public sealed record ServingOptions
{
    /// <summary>Default listening URL.</summary>
    public const string DefaultUrls = "http://127.0.0.1:8080";

    /// <summary>URLs Kestrel listens on (semicolon-separated).</summary>
    public string Urls { get; init; } = DefaultUrls;

    /// <summary>The API key <c>/v1/*</c> requests must send in <c>X-API-Key</c> (null: no key needed).</summary>
    public string? ApiKey { get; init; }

    /// <summary>Default of <see cref="MaxBatch"/>.</summary>
    public const int DefaultMaxBatch = 64;

    /// <summary>Most predict requests in one <c>POST /v1/predict/batch</c>; more get 413.</summary>
    public int MaxBatch { get; init; } = DefaultMaxBatch;

    /// <summary>Largest request body in bytes; larger bodies get 413.</summary>
    public long MaxBodyBytes { get; init; } = 8 * 1024 * 1024;

    /// <summary>How often to poll the model source and reload when its version changed (null: no polling).</summary>
    public TimeSpan? ReloadInterval { get; init; }

    /// <summary>Synthetic predictions a newly loaded model makes before it takes traffic (JIT warm-up; 0: none).</summary>
    public int WarmUpCalls { get; init; } = 200;

    /// <summary>Requests per second each client (remote address) may make outside /health, /ready and /metrics (null: no limit).</summary>
    public int? RateLimit { get; init; }

    /// <summary>Most recent predictions remembered for feedback, by (ticker, date).</summary>
    public int RememberedPredictions { get; init; } = 100_000;

    /// <summary>Matched feedback pairs behind the live rank IC and hit rate (the most recent ones).</summary>
    public int FeedbackWindow { get; init; } = 500;

    /// <summary>Served feature rows (one per predicted ticker) in the drift window (the most recent ones).</summary>
    public int DriftWindow { get; init; } = 1000;

    /// <summary>Folder for the server's files (the prediction log).</summary>
    public string OutputFolder { get; init; } = "serving";

    /// <summary>Log every N-th prediction to the prediction log (null: no log).</summary>
    public int? LogSample { get; init; }

    /// <summary>Size at which the prediction log rotates.</summary>
    public long LogMaxBytes { get; init; } = 10 * 1024 * 1024;

    /// <summary>Prediction log files kept, the current one included.</summary>
    public int LogKeep { get; init; } = 5;

    /// <summary>The tracking store the prediction log is copied to (into the served model's run) on reload and shutdown; null: not copied.</summary>
    public ITrackingStore? ArtifactStore { get; init; }

    /// <summary>How long shutdown waits for requests in flight to finish.</summary>
    public TimeSpan ShutdownTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Write logs as JSON lines (structured) instead of plain console text.</summary>
    public bool JsonLogs { get; init; }
}
