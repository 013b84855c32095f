using System.Globalization;

namespace Research.Core.Sweeps;

/// <summary>One configuration to evaluate: an id unique within the sweep and the values of the active parameters
/// (inactive conditional parameters are absent).</summary>
public sealed record Trial(int Id, IReadOnlyDictionary<string, object> Parameters)
{
    /// <summary>Whether the parameter is present (active) in this trial.</summary>
    public bool Has(string key) => Parameters.ContainsKey(key);

    /// <summary>A numeric parameter as double.</summary>
    public double Double(string key) => Convert.ToDouble(Parameters[key], CultureInfo.InvariantCulture);

    /// <summary>An integer parameter.</summary>
    public int Int(string key) => Convert.ToInt32(Parameters[key], CultureInfo.InvariantCulture);

    /// <summary>A string parameter.</summary>
    public string String(string key) => (string)Parameters[key];

    /// <summary>A bool parameter.</summary>
    public bool Bool(string key) => (bool)Parameters[key];

    /// <summary>Whether both trials assign the same values to the same keys.</summary>
    public bool SameParameters(IReadOnlyDictionary<string, object> other) =>
        Parameters.Count == other.Count &&
        Parameters.All(kv => other.TryGetValue(kv.Key, out var v) && ParameterValues.AreEqual(kv.Value, v));

    /// <inheritdoc />
    public override string ToString() =>
        $"#{Id} {{{string.Join(", ", Parameters.Select(kv => kv.Key + "=" + ParameterValues.Format(kv.Value)))}}}";
}
