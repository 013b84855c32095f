namespace Research.Core.Sweeps;

/// <summary>The trials of a sweep, in id order, and the best finished one.</summary>
public sealed record SweepResult(IReadOnlyList<TrialRecord> Trials, OptimizationMode Mode)
{
    /// <summary>The best completed trial, or null.</summary>
    public TrialRecord? Best => Mode == OptimizationMode.Min
        ? Trials.Where(t => t.State == TrialState.Completed).MinBy(t => t.Value)
        : Trials.Where(t => t.State == TrialState.Completed).MaxBy(t => t.Value);

    /// <summary>Σ over trials of the last step reached: the training budget spent.</summary>
    public long TotalSteps => Trials.Sum(t => (long)t.Step);
}
