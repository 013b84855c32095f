namespace Research.Core.Features;

/// <summary>How features are scaled; the statistics come from the training block only.</summary>
public enum NormalizationMethod
{
    /// <summary>Raw values.</summary>
    None,

    /// <summary>(x − mean) / standard deviation (ddof 0).</summary>
    ZScore,

    /// <summary>(x − median) / interquartile range (linear-interpolated quartiles).</summary>
    Robust,

    /// <summary>(x − min) / (max − min); values outside the training range fall outside [0, 1].</summary>
    MinMax,
}
