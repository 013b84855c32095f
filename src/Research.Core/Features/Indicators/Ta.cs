using System.Runtime.Intrinsics;

namespace Research.Core.Features.Indicators;

/// <summary>Shared conventions of the indicator kernels: TA-Lib's zero tests, argument checks, NaN warm-up.</summary>
internal static class Ta
{
    /// <summary>TA-Lib's <c>TA_IS_ZERO</c>: |v| below 1e-8.</summary>
    public static bool IsZero(double v) => -1e-8 < v && v < 1e-8;

    /// <summary>TA-Lib's <c>TA_IS_ZERO_OR_NEG</c>: v below 1e-8.</summary>
    public static bool IsZeroOrNeg(double v) => v < 1e-8;

    /// <summary>Checks a period against its minimum and the series length; the message names the parameter.</summary>
    public static void Period(int value, int min, string name, int length)
    {
        if (value < min)
        {
            throw new ArgumentException($"{name} must be at least {min}; got {value}.", name);
        }

        if (value > length)
        {
            throw new ArgumentException($"{name} = {value} is longer than the series ({length} values).", name);
        }
    }

    /// <summary>Checks that every output has the input's length.</summary>
    public static void SameLength(int length, Span<double> output, string name = "output")
    {
        if (output.Length != length)
        {
            throw new ArgumentException($"{name} has {output.Length} values; the input has {length}.", name);
        }
    }

    /// <summary>Fills <c>output[0..lookback)</c> with NaN (all of it when the series is too short) and returns whether any output remains.</summary>
    public static bool WarmUp(Span<double> output, int lookback)
    {
        int n = Math.Min(Math.Max(lookback, 0), output.Length);
        output[..n].Fill(double.NaN);
        return lookback < output.Length;
    }

    /// <summary>
    /// v[i] = √v[i] · <paramref name="scale"/>, or 0 where v[i] is below 1e-8 (TA-Lib's zero-or-negative variance), in
    /// one vectorised pass (square roots are correctly rounded, so lanes equal the scalar result).
    /// </summary>
    public static void SqrtOrZero(Span<double> v, double scale)
    {
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var tiny = Vector256.Create(1e-8);
            var s = Vector256.Create(scale);
            for (; i <= v.Length - Vector256<double>.Count; i += Vector256<double>.Count)
            {
                var x = Vector256.Create((ReadOnlySpan<double>)v[i..]);
                Vector256.ConditionalSelect(Vector256.LessThan(x, tiny), Vector256<double>.Zero, Vector256.Sqrt(x) * s).CopyTo(v[i..]);
            }
        }

        for (; i < v.Length; i++) v[i] = IsZeroOrNeg(v[i]) ? 0 : Math.Sqrt(v[i]) * scale;
    }

    /// <summary>TA-Lib's EMA smoothing constant 2 / (period + 1).</summary>
    public static double K(int period) => 2.0 / (period + 1);
}
