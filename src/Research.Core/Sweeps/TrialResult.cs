namespace Research.Core.Sweeps;

/// <summary>How a trial ended: its value (final, or last reported when killed; NaN when failed), its state and the last
/// step it reported (0 if none).</summary>
public readonly record struct TrialResult(double Value, TrialState State, int Step = 0);
