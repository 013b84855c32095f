using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using static System.Runtime.Intrinsics.Vector256;
using Lanes = Research.Core.Features.Indicators.StockStatsLanes.Lanes;
using LaneOutput = Research.Core.Features.Indicators.StockStatsLanes.LaneOutput;

namespace Research.Core.Features.Indicators;

/// <summary>
/// TA-Lib's DX and ADX for four tickers at once, one ticker per lane (see <see cref="TaLibLanes"/>): the Wilder sums
/// of +DM, −DM and the true range, the DI lines, DX (repeating the last defined value) and ADX, each lane performing
/// <see cref="Directional"/>.Lines' IEEE operations in the same order, its branches turned into lane selections.
/// </summary>
internal static class DirectionalLanes
{
    /// <summary>
    /// DX from <paramref name="period"/> on into <paramref name="interleavedDx"/> and ADX from 2·period − 1 on into
    /// <paramref name="interleavedAdx"/>, interleaved; an empty output is skipped.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    public static void DxAdx(ReadOnlySpan<double> interleavedHigh, ReadOnlySpan<double> interleavedLow, ReadOnlySpan<double> interleavedClose,
        Span<double> interleavedDx, Span<double> interleavedAdx, int period)
    {
        var high = new Lanes(interleavedHigh);
        var low = new Lanes(interleavedLow);
        var close = new Lanes(interleavedClose);
        bool wantDx = !interleavedDx.IsEmpty, wantAdx = !interleavedAdx.IsEmpty;
        var dxOut = new LaneOutput(interleavedDx);
        var adxOut = new LaneOutput(interleavedAdx);
        int n = close.Length;
        var zero = Vector256<double>.Zero;
        var hundred = Create(100.0);
        var p = Create((double)period);
        var p1 = Create((double)(period - 1));
        Vector256<double> plusDm = zero, minusDm = zero, tr = zero;
        for (int t = 1; t < period; t++)
        {
            var (plus, minus) = Moves(high[t], high[t - 1], low[t], low[t - 1]);
            plusDm += plus;
            minusDm += minus;
            tr += TaLibLanes.TrueRange(high[t], low[t], close[t - 1]);
        }

        Vector256<double> adx = zero, sumDx = zero, previous = zero;
        for (int t = period; t < n; t++)
        {
            var (plus, minus) = Moves(high[t], high[t - 1], low[t], low[t - 1]);
            plusDm = plusDm - plusDm / p + plus;
            minusDm = minusDm - minusDm / p + minus;
            tr = tr - tr / p + TaLibLanes.TrueRange(high[t], low[t], close[t - 1]);
            var defined = ~TaLibLanes.IsZero(tr);
            var plusDi = defined & (hundred * (plusDm / tr));
            var minusDi = defined & (hundred * (minusDm / tr));
            var sum = plusDi + minusDi;
            var dxDefined = defined & ~TaLibLanes.IsZero(sum);
            var dx = dxDefined & (hundred * (Abs(minusDi - plusDi) / sum));
            previous = t == period ? dx : ConditionalSelect(dxDefined, dx, previous);
            if (wantDx) dxOut.Store(t, previous);
            if (t < 2 * period)
            {
                sumDx = ConditionalSelect(dxDefined, sumDx + dx, sumDx);
                if (t == 2 * period - 1)
                {
                    adx = sumDx / p;
                    if (wantAdx) adxOut.Store(t, adx);
                }
            }
            else
            {
                adx = ConditionalSelect(dxDefined, (adx * p1 + dx) / p, adx);
                if (wantAdx) adxOut.Store(t, adx);
            }
        }
    }

    /// <summary>BarChanges.DirectionalMovement's day: +DM is up when up &gt; 0 and up &gt; down, −DM is down when down &gt; 0 and up &lt; down.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Vector256<double> Plus, Vector256<double> Minus) Moves(Vector256<double> high, Vector256<double> previousHigh,
        Vector256<double> low, Vector256<double> previousLow)
    {
        var zero = Vector256<double>.Zero;
        var up = high - previousHigh;
        var down = previousLow - low;
        return (ConditionalSelect(GreaterThan(up, zero) & GreaterThan(up, down), up, zero),
            ConditionalSelect(GreaterThan(down, zero) & LessThan(up, down), down, zero));
    }
}
