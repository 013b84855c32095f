namespace Research.Core.Sweeps;

/// <summary>How <see cref="SweepObjectives.Create"/> builds an objective.</summary>
public sealed record SweepObjectiveOptions
{
    /// <summary>Quick mode: the experiment config's quick settings (e.g. <c>forecaster.quickEpochs</c> and
    /// <c>quickTickers</c>); synthetic objectives ignore it.</summary>
    public bool Quick { get; init; }

    /// <summary>Folder pipeline trials write to (<c>trials/&lt;id&gt;/</c> under it).</summary>
    public required string WorkDirectory { get; init; }
}
