namespace Research.Core.Sweeps;

/// <summary>A search space that failed validation; every message names the key and the field, e.g.
/// <c>space.forecaster.hiddenSize: "low" (64) must be &lt; "high" (32)</c>.</summary>
public sealed class SearchSpaceException(IReadOnlyList<string> errors)
    : FormatException(string.Join(Environment.NewLine, errors))
{
    /// <summary>One message per problem found.</summary>
    public IReadOnlyList<string> Errors { get; } = errors;
}
