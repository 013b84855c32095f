namespace Research.Core.Sweeps;

/// <summary>
/// What <see cref="SweepObjectives.Create"/> builds from a sweep file: the function a trial runs, a content hash of
/// the data the objective reads, and (for pipeline objectives) the return series a trial left behind.
/// </summary>
/// <param name="Evaluate">Runs one trial: reports intermediate results to the reporter, stops when the token is
/// cancelled, returns the sweep metric.</param>
/// <param name="ContentHash">SHA-256 (hex) of what the objective reads: for a synthetic objective of its name; for a
/// pipeline objective of the resolved config and every data file it reads.</param>
/// <param name="ReadReturns">The returns a finished trial left in its folder (id → returns), or null when the trial
/// wrote none; synthetic objectives have none.</param>
public sealed record SweepObjective(
    Func<Trial, ITrialReporter, CancellationToken, double> Evaluate,
    string ContentHash,
    Func<int, TrialReturns?> ReadReturns);
