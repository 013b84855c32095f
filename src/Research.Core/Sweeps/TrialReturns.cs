namespace Research.Core.Sweeps;

/// <summary>
/// Daily returns of a pipeline trial's forecaster as a long/short rule (each day, long the tickers with a positive
/// forecast and short the others, equal weights: the mean of sign(forecast) × realised log return), on the validation
/// block (used to compare trials) and on the test block (read only for the best trial, as its out-of-sample result).
/// </summary>
/// <param name="ValidationSharpe">Per-period Sharpe ratio of the validation-block returns.</param>
/// <param name="TestReturns">The test-block returns, one per day.</param>
/// <param name="TestMetrics">The forecaster's test-block metrics as the forecast stage recorded them.</param>
public sealed record TrialReturns(double ValidationSharpe, double[] TestReturns, IReadOnlyDictionary<string, double> TestMetrics);
