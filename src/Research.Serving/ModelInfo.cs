using System.Text.Json.Serialization;

namespace Research.Serving;

/// <summary>What <c>GET /v1/model</c> returns and every prediction repeats: which model answers and what it needs.</summary>
/// <param name="Name">The model type from the MLmodel file (e.g. <c>cnn_lstm_forecaster</c>).</param>
/// <param name="Version">A content hash of the weights and metadata: the same files give the same version.</param>
/// <param name="RunId">The MLflow run that logged the model (null when it was saved outside a run).</param>
/// <param name="Tickers">Tickers the model knows, in embedding order.</param>
/// <param name="Features">Feature names per time step, in order.</param>
/// <param name="Window">Days in each input window.</param>
/// <param name="MinBars">Bars a request needs per ticker: the window plus the features' warm-up.</param>
public sealed record ModelInfo(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("version")] string Version,
    [property: JsonPropertyName("run_id")] string? RunId,
    [property: JsonPropertyName("tickers")] IReadOnlyList<string> Tickers,
    [property: JsonPropertyName("features")] IReadOnlyList<string> Features,
    [property: JsonPropertyName("window")] int Window,
    [property: JsonPropertyName("min_bars")] int MinBars);
