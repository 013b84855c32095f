using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Research.Core.Features.Indicators;

/// <summary>
/// Sums over every trailing window of a series, each window added in order from its oldest value (TA-Lib's loop
/// order). Thirty-two consecutive windows are summed at once, eight 4-lane vectors whose lane i follows window t + i,
/// so every result is the sequential loop's, bit for bit, independent of the vector width. Eight accumulators rather
/// than four: each addition waits for the previous one into the same accumulator, and eight independent chains keep
/// both floating-point adders busy where four left them waiting. Results go to index t for t ≥ period − 1; earlier
/// indices are left alone.
/// </summary>
internal static class WindowSums
{
    private const int Width = 4;
    private const int Block = 8 * Width;

    /// <summary>sums[t] = x[t − period + 1] + … + x[t].</summary>
    [MethodImpl(MethodImplOptions.NoInlining)] // compiled on its own: inlined into a large caller, the JIT's inlining budget ran out inside it
    public static void Sums(ReadOnlySpan<double> x, int period, Span<double> sums)
    {
        int t = period - 1;
        if (Vector256.IsHardwareAccelerated)
        {
            ref double x0 = ref MemoryMarshal.GetReference(x);
            for (; t <= x.Length - Block; t += Block)
            {
                // In range: j ≥ t − period + 1 ≥ 0 and j + 28 + 3 ≤ t + 31 < x.Length.
                Vector256<double> a0 = default, a1 = default, a2 = default, a3 = default, a4 = default, a5 = default, a6 = default, a7 = default;
                for (int j = t - period + 1; j <= t; j++)
                {
                    nuint i = (nuint)j;
                    a0 += Vector256.LoadUnsafe(ref x0, i);
                    a1 += Vector256.LoadUnsafe(ref x0, i + 4);
                    a2 += Vector256.LoadUnsafe(ref x0, i + 8);
                    a3 += Vector256.LoadUnsafe(ref x0, i + 12);
                    a4 += Vector256.LoadUnsafe(ref x0, i + 16);
                    a5 += Vector256.LoadUnsafe(ref x0, i + 20);
                    a6 += Vector256.LoadUnsafe(ref x0, i + 24);
                    a7 += Vector256.LoadUnsafe(ref x0, i + 28);
                }

                Store(sums[t..], a0, a1, a2, a3, a4, a5, a6, a7);
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
    [MethodImpl(MethodImplOptions.NoInlining)] // as Sums
    public static void AbsDeviations(ReadOnlySpan<double> x, ReadOnlySpan<double> center, int period, Span<double> sums)
    {
        int t = period - 1;
        if (Vector256.IsHardwareAccelerated)
        {
            ref double x0 = ref MemoryMarshal.GetReference(x);
            for (; t <= x.Length - Block; t += Block)
            {
                var c0 = Vector256.Create(center[t..]);
                var c1 = Vector256.Create(center[(t + 4)..]);
                var c2 = Vector256.Create(center[(t + 8)..]);
                var c3 = Vector256.Create(center[(t + 12)..]);
                var c4 = Vector256.Create(center[(t + 16)..]);
                var c5 = Vector256.Create(center[(t + 20)..]);
                var c6 = Vector256.Create(center[(t + 24)..]);
                var c7 = Vector256.Create(center[(t + 28)..]);
                // In range as in Sums.
                Vector256<double> a0 = default, a1 = default, a2 = default, a3 = default, a4 = default, a5 = default, a6 = default, a7 = default;
                for (int j = t - period + 1; j <= t; j++)
                {
                    nuint i = (nuint)j;
                    a0 += Vector256.Abs(Vector256.LoadUnsafe(ref x0, i) - c0);
                    a1 += Vector256.Abs(Vector256.LoadUnsafe(ref x0, i + 4) - c1);
                    a2 += Vector256.Abs(Vector256.LoadUnsafe(ref x0, i + 8) - c2);
                    a3 += Vector256.Abs(Vector256.LoadUnsafe(ref x0, i + 12) - c3);
                    a4 += Vector256.Abs(Vector256.LoadUnsafe(ref x0, i + 16) - c4);
                    a5 += Vector256.Abs(Vector256.LoadUnsafe(ref x0, i + 20) - c5);
                    a6 += Vector256.Abs(Vector256.LoadUnsafe(ref x0, i + 24) - c6);
                    a7 += Vector256.Abs(Vector256.LoadUnsafe(ref x0, i + 28) - c7);
                }

                Store(sums[t..], a0, a1, a2, a3, a4, a5, a6, a7);
            }
        }

        for (; t < x.Length; t++)
        {
            double s = 0;
            for (int j = t - period + 1; j <= t; j++) s += Math.Abs(x[j] - center[t]);
            sums[t] = s;
        }
    }

    /// <summary>Writes eight consecutive 4-lane vectors from the start of <paramref name="to"/>.</summary>
    private static void Store(Span<double> to, Vector256<double> a0, Vector256<double> a1, Vector256<double> a2, Vector256<double> a3,
        Vector256<double> a4, Vector256<double> a5, Vector256<double> a6, Vector256<double> a7)
    {
        a0.CopyTo(to);
        a1.CopyTo(to[4..]);
        a2.CopyTo(to[8..]);
        a3.CopyTo(to[12..]);
        a4.CopyTo(to[16..]);
        a5.CopyTo(to[20..]);
        a6.CopyTo(to[24..]);
        a7.CopyTo(to[28..]);
    }
}
