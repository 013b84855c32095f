using System.Text.Json;

namespace Research.Core.Sweeps;

/// <summary>An integer parameter on [low, high] (both inclusive), uniform or log-uniform; with <see cref="Q"/> the
/// values are low, low + q, low + 2q, … ≤ high.</summary>
public sealed record IntParameter(string Key, long Low, long High, bool Log = false, long? Q = null) : ParameterSpec(Key)
{
    /// <inheritdoc />
    public override string TypeName => "int";

    /// <summary>The step between values (q, or 1).</summary>
    public long Step => Q ?? 1;

    /// <inheritdoc />
    public override object Sample(Random rng)
    {
        if (!Log) return Low + Step * rng.NextInt64((High - Low) / Step + 1);
        double lo = Math.Log(Low - 0.5), hi = Math.Log(High + 0.5);
        return Quantize(Math.Exp(lo + rng.NextDouble() * (hi - lo)));
    }

    /// <summary>Rounds to the nearest allowed value.</summary>
    public long Quantize(double x)
    {
        long k = (long)Math.Round((x - Low) / Step);
        long max = (High - Low) / Step;
        return Low + Step * Math.Clamp(k, 0, max);
    }

    /// <inheritdoc />
    public override bool Contains(object value) => value is long l && l >= Low && l <= High && (l - Low) % Step == 0;

    internal override IEnumerable<string> Validate()
    {
        if (Log && Low < 1) yield return Prefix + $"\"low\" ({Low}) must be ≥ 1 for a log-scale int";
        if (Low >= High) yield return Prefix + $"\"low\" ({Low}) must be < \"high\" ({High})";
        if (Q is long q && q < 1) yield return Prefix + $"\"q\" ({q}) must be ≥ 1";
        if (Q is > 1 && Log) yield return Prefix + "\"q\" cannot be combined with \"log\" for int";
    }

    internal override object ReadValue(JsonElement e) => e.GetInt64();
}
