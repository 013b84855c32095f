using System.Text.Json;

namespace Research.Core.Sweeps;

/// <summary>One dimension of a <see cref="SearchSpace"/>, named by its config key (e.g. <c>forecaster.hiddenSize</c>).</summary>
/// <param name="Key">The config key the value is written to.</param>
public abstract record ParameterSpec(string Key)
{
    /// <summary>Conditions: the parameter is active only when, for every entry, the named parameter is active and has
    /// one of the listed values. Empty: always active.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<object>> When { get; init; } =
        new Dictionary<string, IReadOnlyList<object>>();

    /// <summary>The JSON type name: uniform, loguniform, int, choice or grid.</summary>
    public abstract string TypeName { get; }

    /// <summary>A copy active only when <paramref name="parameter"/> takes one of <paramref name="values"/>.</summary>
    public ParameterSpec ActiveWhen(string parameter, params object[] values)
    {
        var when = new Dictionary<string, IReadOnlyList<object>>(When)
        {
            [parameter] = values.Select(v => ParameterValues.Normalize(v) ?? v).ToArray(),
        };
        return this with { When = when };
    }

    /// <summary>Draws a value from the prior (uniform in the parameter's scale).</summary>
    public abstract object Sample(Random rng);

    /// <summary>Whether <paramref name="value"/> is a value this parameter can take.</summary>
    public abstract bool Contains(object value);

    /// <summary>Field-level problems, each already prefixed with <c>space.&lt;key&gt;: </c>.</summary>
    internal abstract IEnumerable<string> Validate();

    /// <summary>Reads a value of this parameter back from JSON (the sweep state).</summary>
    internal abstract object ReadValue(JsonElement e);

    private protected string Prefix => $"space.{Key}: ";
}
