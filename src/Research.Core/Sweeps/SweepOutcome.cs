namespace Research.Core.Sweeps;

/// <summary>What <see cref="SweepRunner.Run"/> produced.</summary>
/// <param name="Sweep">The sweep as run (flags applied).</param>
/// <param name="Result">Every trial, in id order.</param>
/// <param name="SweepRunId">The MLflow parent run, or null when not tracked.</param>
/// <param name="TrialRunIds">Each trial's nested MLflow run (empty when not tracked).</param>
/// <param name="DeflatedSharpe">The best trial's deflated Sharpe ratio, or null when the objective has no return
/// series (synthetic objectives).</param>
/// <param name="BestOutOfSample">The best trial's test-block returns and metrics, or null (synthetic objectives).</param>
/// <param name="Directory">The sweep folder (state, run ids, plots, trial folders).</param>
/// <param name="ContentHash">The objective's content hash.</param>
public sealed record SweepOutcome(SweepFile Sweep, SweepResult Result, string? SweepRunId, IReadOnlyDictionary<int, string> TrialRunIds,
    double? DeflatedSharpe, TrialReturns? BestOutOfSample, string Directory, string ContentHash)
{
    /// <summary>The best completed trial, or null.</summary>
    public TrialRecord? Best => Result.Best;
}
