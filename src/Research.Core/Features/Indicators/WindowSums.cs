using System.Runtime.Intrinsics;

namespace Research.Core.Features.Indicators;

/// <summary>
/// Sums over every trailing window of a series, each window added in order from its oldest value (TA-Lib's loop
/// order). Sixteen consecutive windows are summed at once, four 4-lane vectors whose lane i follows window t + i, so
/// every result is the sequential loop's, bit for bit, independent of the vector width. Results go to index t for
/// t ≥ period − 1; earlier indices are left alone.
/// </summary>
internal static class WindowSums
{
    private const int Block = 4 * 4;

    /// <summary>sums[t] = x[t − period + 1] + … + x[t].</summary>
    public static void Sums(ReadOnlySpan<double> x, int period, Span<double> sums)
    {
        int t = period - 1;
        if (Vector256.IsHardwareAccelerated)
        {
            for (; t <= x.Length - Block; t += Block)
            {
                Vector256<double> a = default, b = default, c = default, d = default;
                for (int j = t - period + 1; j <= t; j++)
                {
                    a += Vector256.Create(x[j..]);
                    b += Vector256.Create(x[(j + 4)..]);
                    c += Vector256.Create(x[(j + 8)..]);
                    d += Vector256.Create(x[(j + 12)..]);
                }

                a.CopyTo(sums[t..]);
                b.CopyTo(sums[(t + 4)..]);
                c.CopyTo(sums[(t + 8)..]);
                d.CopyTo(sums[(t + 12)..]);
            }
        }

        for (; t < x.Length; t++)
        {
            double s = 0;
            for (int j = t - period + 1; j <= t; j++) s += x[j];
            sums[t] = s;
        }
    }

    /// <summary>sums[t] = |x[t − period + 1] − center[t]| + … + |x[t] − center[t]|.</summary>
    public static void AbsDeviations(ReadOnlySpan<double> x, ReadOnlySpan<double> center, int period, Span<double> sums)
    {
        int t = period - 1;
        if (Vector256.IsHardwareAccelerated)
        {
            for (; t <= x.Length - Block; t += Block)
            {
                var ca = Vector256.Create(center[t..]);
                var cb = Vector256.Create(center[(t + 4)..]);
                var cc = Vector256.Create(center[(t + 8)..]);
                var cd = Vector256.Create(center[(t + 12)..]);
                Vector256<double> a = default, b = default, c = default, d = default;
                for (int j = t - period + 1; j <= t; j++)
                {
                    a += Vector256.Abs(Vector256.Create(x[j..]) - ca);
                    b += Vector256.Abs(Vector256.Create(x[(j + 4)..]) - cb);
                    c += Vector256.Abs(Vector256.Create(x[(j + 8)..]) - cc);
                    d += Vector256.Abs(Vector256.Create(x[(j + 12)..]) - cd);
                }

                a.CopyTo(sums[t..]);
                b.CopyTo(sums[(t + 4)..]);
                c.CopyTo(sums[(t + 8)..]);
                d.CopyTo(sums[(t + 12)..]);
            }
        }

        for (; t < x.Length; t++)
        {
            double s = 0;
            for (int j = t - period + 1; j <= t; j++) s += Math.Abs(x[j] - center[t]);
            sums[t] = s;
        }
    }
}
