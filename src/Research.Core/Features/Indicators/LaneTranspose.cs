using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Research.Core.Features.Indicators;

/// <summary>
/// Moves four equal-length series into the day-by-day interleaved layout the lane kernels read (series i of day t at
/// 4t + i) and back. Only values move; nothing is computed. With AVX, four days of the four series go as one 4×4
/// transpose in registers.
/// </summary>
internal static class LaneTranspose
{
    private const int W = 4;

    /// <summary>interleaved[4t + i] = series i at t, for the four series a, b, c, d.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)] // keeps its loop's code the same whichever caller comes first (see StockStatsLanes)
    public static void Interleave(ReadOnlySpan<double> a, ReadOnlySpan<double> b, ReadOnlySpan<double> c, ReadOnlySpan<double> d, Span<double> interleaved)
    {
        int n = a.Length, t = 0;
        if (b.Length != n || c.Length != n || d.Length != n || interleaved.Length != W * n) throw new ArgumentException("Lane series differ in length.");
        if (Avx.IsSupported)
        {
            for (; t <= n - W; t += W)
            {
                var (r0, r1, r2, r3) = Transpose(Vector256.Create(a[t..]), Vector256.Create(b[t..]), Vector256.Create(c[t..]), Vector256.Create(d[t..]));
                r0.CopyTo(interleaved[(W * t)..]);
                r1.CopyTo(interleaved[(W * t + 4)..]);
                r2.CopyTo(interleaved[(W * t + 8)..]);
                r3.CopyTo(interleaved[(W * t + 12)..]);
            }
        }

        for (; t < n; t++)
        {
            interleaved[W * t] = a[t];
            interleaved[W * t + 1] = b[t];
            interleaved[W * t + 2] = c[t];
            interleaved[W * t + 3] = d[t];
        }
    }

    /// <summary>The inverse of <see cref="Interleave"/>: series i at t = interleaved[4t + i].</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void Deinterleave(ReadOnlySpan<double> interleaved, Span<double> a, Span<double> b, Span<double> c, Span<double> d)
    {
        int n = a.Length, t = 0;
        if (b.Length != n || c.Length != n || d.Length != n || interleaved.Length != W * n) throw new ArgumentException("Lane series differ in length.");
        if (Avx.IsSupported)
        {
            for (; t <= n - W; t += W)
            {
                var (r0, r1, r2, r3) = Transpose(Vector256.Create(interleaved[(W * t)..]), Vector256.Create(interleaved[(W * t + 4)..]),
                    Vector256.Create(interleaved[(W * t + 8)..]), Vector256.Create(interleaved[(W * t + 12)..]));
                r0.CopyTo(a[t..]);
                r1.CopyTo(b[t..]);
                r2.CopyTo(c[t..]);
                r3.CopyTo(d[t..]);
            }
        }

        for (; t < n; t++)
        {
            a[t] = interleaved[W * t];
            b[t] = interleaved[W * t + 1];
            c[t] = interleaved[W * t + 2];
            d[t] = interleaved[W * t + 3];
        }
    }

    /// <summary>Transposes the 4×4 block whose rows are r0…r3 (its own inverse).</summary>
    private static (Vector256<double>, Vector256<double>, Vector256<double>, Vector256<double>) Transpose(
        Vector256<double> r0, Vector256<double> r1, Vector256<double> r2, Vector256<double> r3)
    {
        // Pairs within each 128-bit half first (r0[0] r1[0] r0[2] r1[2], …), then the halves swap across.
        var low01 = Avx.UnpackLow(r0, r1);
        var high01 = Avx.UnpackHigh(r0, r1);
        var low23 = Avx.UnpackLow(r2, r3);
        var high23 = Avx.UnpackHigh(r2, r3);
        return (Avx.Permute2x128(low01, low23, 0x20), Avx.Permute2x128(high01, high23, 0x20),
            Avx.Permute2x128(low01, low23, 0x31), Avx.Permute2x128(high01, high23, 0x31));
    }
}
