using System.Globalization;
using System.Text.Json;

namespace Research.Core.Sweeps;

/// <summary>A real parameter on [low, high]: <c>uniform</c>, or <c>loguniform</c> when <see cref="Log"/>; with
/// <see cref="Q"/>, values are rounded to multiples of q (from low on the uniform scale, from 0 on the log scale).</summary>
public sealed record FloatParameter(string Key, double Low, double High, bool Log = false, double? Q = null) : ParameterSpec(Key)
{
    /// <inheritdoc />
    public override string TypeName => Log ? "loguniform" : "uniform";

    /// <inheritdoc />
    public override object Sample(Random rng)
    {
        double x = Log
            ? Math.Exp(Math.Log(Low) + rng.NextDouble() * (Math.Log(High) - Math.Log(Low)))
            : Low + rng.NextDouble() * (High - Low);
        return Quantize(x);
    }

    /// <summary>Rounds to the q grid (if any) and clips to [low, high].</summary>
    public double Quantize(double x)
    {
        if (Q is double q)
        {
            double origin = Log ? 0 : Low;
            x = origin + Math.Round((x - origin) / q) * q;
            while (x > High + 1e-12 * Math.Abs(High)) x -= q;
            while (x < Low - 1e-12 * Math.Abs(Low)) x += q;
        }
        return Math.Clamp(x, Low, High);
    }

    /// <inheritdoc />
    public override bool Contains(object value) => value is double d && d >= Low && d <= High;

    internal override IEnumerable<string> Validate()
    {
        if (!double.IsFinite(Low)) yield return Prefix + "\"low\" must be a finite number";
        if (!double.IsFinite(High)) yield return Prefix + "\"high\" must be a finite number";
        if (Log && Low <= 0) yield return Prefix + $"\"low\" ({F(Low)}) must be > 0 for loguniform";
        if (Low >= High) yield return Prefix + $"\"low\" ({F(Low)}) must be < \"high\" ({F(High)})";
        if (Q is double q && !(q > 0)) yield return Prefix + $"\"q\" ({F(q)}) must be > 0";
    }

    internal override object ReadValue(JsonElement e) => e.GetDouble();

    private static string F(double d) => d.ToString("R", CultureInfo.InvariantCulture);
}
