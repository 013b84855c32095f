using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using static System.Runtime.Intrinsics.Vector256;
using Lanes = Research.Core.Features.Indicators.StockStatsLanes.Lanes;
using LaneOutput = Research.Core.Features.Indicators.StockStatsLanes.LaneOutput;

namespace Research.Core.Features.Indicators;

/// <summary>
/// TA-Lib's parabolic SAR for four tickers at once, one ticker per lane (see <see cref="TaLibLanes"/>). The scalar
/// kernel (<see cref="OverlapStudies"/>.Sar) branches on the position and on reversals, which mispredicts often on
/// prices; here every lane computes the four cases (long or short, reversing or not) with the scalar kernel's IEEE
/// operations in the same order and keeps the one its state selects, so each lane's values are bit-identical.
/// </summary>
internal static class SarLanes
{
    /// <summary>SAR per lane from day 1 on, OverlapStudies.Sar's initial position, extreme point and acceleration.</summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    public static void Sar(ReadOnlySpan<double> interleavedHigh, ReadOnlySpan<double> interleavedLow, Span<double> interleavedOutput,
        double acceleration, double maximum)
    {
        var high = new Lanes(interleavedHigh);
        var low = new Lanes(interleavedLow);
        var output = new LaneOutput(interleavedOutput);
        int n = high.Length;
        var step = Create(Math.Min(acceleration, maximum));
        var max = Create(maximum);
        var zero = Vector256<double>.Zero;
        var af = step;
        var upMove = high[1] - high[0];
        var downMove = low[0] - low[1];
        var isLong = ~(GreaterThan(downMove, zero) & LessThan(upMove, downMove));
        var ep = ConditionalSelect(isLong, high[1], low[1]);
        var sar = ConditionalSelect(isLong, low[0], high[0]);
        Vector256<double> newHigh = high[1], newLow = low[1];
        for (int t = 1; t < n; t++)
        {
            var prevLow = newLow;
            var prevHigh = newHigh;
            newLow = low[t];
            newHigh = high[t];

            // Long and the low reaches the SAR: reverse to short from the highest point.
            var longReverse = Max(Max(ep, prevHigh), newHigh);
            var longReverseNext = longReverse + step * (newLow - longReverse);
            longReverseNext = Max(Max(longReverseNext, prevHigh), newHigh);

            // Long and holding: a new high moves the extreme point and speeds up.
            var longRaise = GreaterThan(newHigh, ep);
            var longEp = ConditionalSelect(longRaise, newHigh, ep);
            var longAf = ConditionalSelect(longRaise, Min(af + step, max), af);
            var longNext = sar + longAf * (longEp - sar);
            longNext = Min(Min(longNext, prevLow), newLow);

            // Short and the high reaches the SAR: reverse to long from the lowest point.
            var shortReverse = Min(Min(ep, prevLow), newLow);
            var shortReverseNext = shortReverse + step * (newHigh - shortReverse);
            shortReverseNext = Min(Min(shortReverseNext, prevLow), newLow);

            // Short and holding: a new low moves the extreme point and speeds up.
            var shortLower = LessThan(newLow, ep);
            var shortEp = ConditionalSelect(shortLower, newLow, ep);
            var shortAf = ConditionalSelect(shortLower, Min(af + step, max), af);
            var shortNext = sar + shortAf * (shortEp - sar);
            shortNext = Max(Max(shortNext, prevHigh), newHigh);

            var reverseLong = isLong & LessThanOrEqual(newLow, sar);
            var reverseShort = ~isLong & GreaterThanOrEqual(newHigh, sar);
            var reverse = reverseLong | reverseShort;
            output.Store(t, ConditionalSelect(reverseLong, longReverse, ConditionalSelect(reverseShort, shortReverse, sar)));
            var nextSar = ConditionalSelect(isLong, ConditionalSelect(reverseLong, longReverseNext, longNext),
                ConditionalSelect(reverseShort, shortReverseNext, shortNext));
            ep = ConditionalSelect(isLong, ConditionalSelect(reverseLong, newLow, longEp), ConditionalSelect(reverseShort, newHigh, shortEp));
            af = ConditionalSelect(reverse, step, ConditionalSelect(isLong, longAf, shortAf));
            sar = nextSar;
            isLong ^= reverse;
        }
    }
}
