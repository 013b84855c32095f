namespace Research.Core.Sweeps;

/// <summary>Whether a sweep minimises or maximises its objective.</summary>
public enum OptimizationMode
{
    /// <summary>Lower is better.</summary>
    Min,

    /// <summary>Higher is better.</summary>
    Max,
}
