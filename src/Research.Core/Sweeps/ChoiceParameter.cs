using System.Text.Json;

namespace Research.Core.Sweeps;

/// <summary>A categorical parameter over numbers, strings or bools: <c>choice</c>, or <c>grid</c> when
/// <see cref="Grid"/> (enumerated by <see cref="GridSearch"/>, sampled like a choice by the other searchers).</summary>
public sealed record ChoiceParameter : ParameterSpec
{
    /// <summary>Creates a choice (or grid) over <paramref name="values"/>.</summary>
    public ChoiceParameter(string key, IEnumerable<object> values, bool grid = false) : base(key)
    {
        RawValues = values.ToArray();
        Values = RawValues.Select(v => ParameterValues.Normalize(v)!).Where(v => v is not null).ToArray();
        Grid = grid;
    }

    /// <summary>The values, in their canonical boxed form.</summary>
    public IReadOnlyList<object> Values { get; }

    /// <summary>True for a <c>grid</c> parameter.</summary>
    public bool Grid { get; }

    private IReadOnlyList<object> RawValues { get; }

    /// <inheritdoc />
    public override string TypeName => Grid ? "grid" : "choice";

    /// <inheritdoc />
    public override object Sample(Random rng) => Values[rng.Next(Values.Count)];

    /// <summary>Index of <paramref name="value"/> in <see cref="Values"/>, or −1.</summary>
    public int IndexOf(object value)
    {
        for (int i = 0; i < Values.Count; i++)
            if (ParameterValues.AreEqual(Values[i], value)) return i;
        return -1;
    }

    /// <inheritdoc />
    public override bool Contains(object value) => IndexOf(value) >= 0;

    internal override IEnumerable<string> Validate()
    {
        if (RawValues.Count == 0) yield return Prefix + "\"values\" must not be empty";
        for (int i = 0; i < RawValues.Count; i++)
        {
            if (ParameterValues.Normalize(RawValues[i]) is null)
                yield return Prefix + $"\"values\"[{i}] must be a number, string or bool";
        }
        for (int i = 0; i < Values.Count; i++)
            for (int j = 0; j < i; j++)
                if (ParameterValues.AreEqual(Values[i], Values[j]))
                    yield return Prefix + $"\"values\" lists {ParameterValues.Format(Values[i])} twice";
    }

    internal override object ReadValue(JsonElement e)
    {
        var v = ParameterValues.FromJson(e) ?? throw new FormatException($"space.{Key}: {e} is not a number, string or bool");
        int i = IndexOf(v);
        return i >= 0 ? Values[i] : throw new FormatException($"space.{Key}: {e} is not one of the values");
    }
}
