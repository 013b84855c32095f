using System.Text.Json.Serialization;

namespace Research.Serving;

/// <summary>One ticker's forecast for the day after the request's last date.</summary>
/// <param name="ExpectedReturn">Expected log return over the model's horizon.</param>
/// <param name="ProbabilityUp">Calibrated probability of an up move.</param>
/// <param name="Confidence">|2p − 1|.</param>
/// <param name="Signal"><c>long</c> when the backtest's sizing rule gives the ticker a positive target weight, else <c>flat</c>.</param>
public sealed record TickerPrediction(
    [property: JsonPropertyName("expected_return")] double ExpectedReturn,
    [property: JsonPropertyName("probability_up")] double ProbabilityUp,
    [property: JsonPropertyName("confidence")] double Confidence,
    [property: JsonPropertyName("signal")] string Signal);

/// <summary>The risk manager's pre-trade verdict on one ticker's target weight (from a flat book).</summary>
/// <param name="TargetWeight">The sizing rule's weight (fraction of equity).</param>
/// <param name="ApprovedWeight">The weight the pre-trade limits let through.</param>
/// <param name="Reasons">Rules that cut the weight (empty when approved as is).</param>
public sealed record TickerRisk(
    [property: JsonPropertyName("target_weight")] double TargetWeight,
    [property: JsonPropertyName("approved_weight")] double ApprovedWeight,
    [property: JsonPropertyName("reasons")] IReadOnlyList<string> Reasons);

/// <summary>What <c>POST /v1/predict</c> returns.</summary>
/// <param name="Model">The model that answered.</param>
/// <param name="Predictions">Forecasts by ticker.</param>
/// <param name="Risk">Risk verdicts by ticker.</param>
public sealed record PredictResponse(
    [property: JsonPropertyName("model")] ModelInfo Model,
    [property: JsonPropertyName("predictions")] IReadOnlyDictionary<string, TickerPrediction> Predictions,
    [property: JsonPropertyName("risk")] IReadOnlyDictionary<string, TickerRisk> Risk);

/// <summary>What <c>POST /v1/predict/batch</c> returns: one predict response per request, in order.</summary>
/// <param name="Responses">The responses.</param>
public sealed record BatchResponse([property: JsonPropertyName("responses")] IReadOnlyList<PredictResponse> Responses);
