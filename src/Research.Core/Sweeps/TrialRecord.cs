namespace Research.Core.Sweeps;

/// <summary>A trial as the executor tracks and persists it.</summary>
public sealed record TrialRecord(Trial Trial, TrialState State, double Value, int Step, IReadOnlyList<(int Step, double Value)> Intermediate, string? Error = null)
{
    /// <summary>Whether the trial ended (completed, killed or failed).</summary>
    public bool IsFinished => State != TrialState.Running;
}
