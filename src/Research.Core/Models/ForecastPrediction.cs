namespace Research.Core.Models;

/// <summary>One forecast.</summary>
/// <param name="ExpectedReturn">Expected log return over the horizon.</param>
/// <param name="ProbabilityUp">Calibrated probability that the return is positive.</param>
/// <param name="Confidence">|2p − 1|: 0 for a coin flip, 1 for certainty.</param>
public readonly record struct ForecastPrediction(double ExpectedReturn, double ProbabilityUp, double Confidence);
