using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using static System.Runtime.Intrinsics.Vector256;
using Lanes = Research.Core.Features.Indicators.StockStatsLanes.Lanes;
using LaneOutput = Research.Core.Features.Indicators.StockStatsLanes.LaneOutput;

namespace Research.Core.Features.Indicators;

/// <summary>
/// TA-Lib's WILLR, STOCH (SMA smoothing) and AROON for four tickers at once, one ticker per lane (see <see cref="TaLibLanes"/>).
/// The rolling highest high and lowest low are taken with van Herk/Gil-Werman's block prefix and suffix extremes
/// (three comparisons a day whatever the window): a window's extreme is the same value bit for bit however it is
/// found when the window holds no NaN and no zero (−0 and +0 compare equal), so these kernels only take groups whose
/// highs and lows are all non-zero numbers (<see cref="Clean"/>); other groups go ticker by ticker through
/// <see cref="Window"/>, which follows TA-Lib's scan around NaN. The divisions and the SMA recursions perform the
/// scalar kernels' IEEE operations in the same order.
/// </summary>
internal static class RangeLanes
{
    private const int Width = StockStatsLanes.Width;

    /// <summary>Compiled on their own, fully optimised at once (see <see cref="StockStatsLanes"/>).</summary>
    private const MethodImplOptions Kernel = MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization;

    /// <summary>Whether every value of <paramref name="x"/> is a number other than zero.</summary>
    public static bool Clean(ReadOnlySpan<double> x)
    {
        var bad = Vector256<double>.Zero;
        var zero = Vector256<double>.Zero;
        int i = 0;
        for (; i <= x.Length - Width; i += Width)
        {
            var v = Create(x[i..]);
            bad |= Vector256.Equals(v, zero) | ~Vector256.Equals(v, v);
        }

        for (; i < x.Length; i++)
        {
            if (x[i] == 0 || double.IsNaN(x[i])) return false;
        }

        return bad == Vector256<double>.Zero;
    }

    /// <summary>WILLR (TA_WILLR) per lane from period − 1 on: −100·(highest − close)/(highest − lowest), 0 without range.</summary>
    [MethodImpl(Kernel)]
    public static void Willr(ReadOnlySpan<double> interleavedHigh, ReadOnlySpan<double> interleavedLow, ReadOnlySpan<double> interleavedClose,
        Span<double> interleavedOutput, int period)
    {
        var close = new Lanes(interleavedClose);
        var output = new LaneOutput(interleavedOutput);
        int n = close.Length;
        using var scratch = Scratch.Begin();
        var highest = Scratch.Uninitialized(Width * n);
        var lowest = Scratch.Uninitialized(Width * n);
        Extremes<Highest>(interleavedHigh, period, highest);
        Extremes<Lowest>(interleavedLow, period, lowest);
        var hi = new Lanes(highest);
        var lo = new Lanes(lowest);
        var zero = Vector256<double>.Zero;
        var scale = Create(-100.0);
        for (int t = period - 1; t < n; t++)
        {
            var h = hi[t];
            var diff = (h - lo[t]) / scale;
            output.Store(t, ConditionalSelect(Vector256.Equals(diff, zero), zero, (h - close[t]) / diff));
        }
    }

    /// <summary>
    /// STOCH (TA_STOCH) with SMA smoothing per lane: fast %K = (close − lowest)/((highest − lowest)/100) (0 without
    /// range) from fastK − 1 on, its SMA(slowK) (a copy for slowK = 1) into slow %K, that one's SMA(slowD) into slow %D;
    /// both written from the lookback on.
    /// </summary>
    [MethodImpl(Kernel)]
    public static void Stoch(ReadOnlySpan<double> interleavedHigh, ReadOnlySpan<double> interleavedLow, ReadOnlySpan<double> interleavedClose,
        Span<double> interleavedSlowK, Span<double> interleavedSlowD, int fastK, int slowK, int slowD)
    {
        var close = new Lanes(interleavedClose);
        int n = close.Length;
        using var scratch = Scratch.Begin();
        var highest = Scratch.Uninitialized(Width * n);
        var lowest = Scratch.Uninitialized(Width * n);
        Extremes<Highest>(interleavedHigh, fastK, highest);
        Extremes<Lowest>(interleavedLow, fastK, lowest);
        var hi = new Lanes(highest);
        var lo = new Lanes(lowest);
        var k = Scratch.Uninitialized(Width * n);
        var zero = Vector256<double>.Zero;
        var hundred = Create(100.0);
        for (int t = fastK - 1; t < n; t++)
        {
            var l = lo[t];
            var diff = (hi[t] - l) / hundred;
            ConditionalSelect(Vector256.Equals(diff, zero), zero, (close[t] - l) / diff).CopyTo(k.AsSpan(Width * t));
        }

        Smooth(k, interleavedSlowK, fastK - 1, slowK);
        Smooth(interleavedSlowK, interleavedSlowD, fastK - 1 + slowK - 1, slowD);
    }

    /// <summary>
    /// AROON (TA_AROON) per lane from period on: each window of period + 1 days scanned oldest to newest with TA-Lib's
    /// comparisons (≥ for the high, ≤ for the low, so ties go to the latest day), which finds the day Window.ArgMax's
    /// rolling scan keeps when the window holds no NaN; up and down are (100/period)·(period − days since it).
    /// </summary>
    [MethodImpl(Kernel)]
    public static void Aroon(ReadOnlySpan<double> interleavedHigh, ReadOnlySpan<double> interleavedLow, Span<double> interleavedDown,
        Span<double> interleavedUp, int period)
    {
        var high = new Lanes(interleavedHigh);
        var low = new Lanes(interleavedLow);
        var down = new LaneOutput(interleavedDown);
        var up = new LaneOutput(interleavedUp);
        int n = high.Length;
        var factor = Create(100.0 / period);
        for (int t = period; t < n; t++)
        {
            int start = t - period;
            Vector256<double> hi = high[start], lo = low[start], hiAt = Vector256<double>.Zero, loAt = Vector256<double>.Zero;
            for (int m = 1; m <= period; m++)
            {
                // m = period − (t − j) for day j = start + m: the value the scalar kernel multiplies by the factor.
                var at = Create((double)m);
                Vector256<double> h = high[start + m], l = low[start + m];
                var higher = GreaterThanOrEqual(h, hi);
                var lower = LessThanOrEqual(l, lo);
                hi = ConditionalSelect(higher, h, hi);
                hiAt = ConditionalSelect(higher, at, hiAt);
                lo = ConditionalSelect(lower, l, lo);
                loAt = ConditionalSelect(lower, at, loAt);
            }

            up.Store(t, factor * hiAt);
            down.Store(t, factor * loAt);
        }
    }

    /// <summary>Stochastics.Smooth with an SMA: from <paramref name="first"/> on, MovingAverages.SmaCore's running sum (a copy for period 1).</summary>
    private static void Smooth(ReadOnlySpan<double> interleavedX, Span<double> interleavedOutput, int first, int period)
    {
        var x = new Lanes(interleavedX);
        var output = new LaneOutput(interleavedOutput);
        int n = x.Length;
        if (period == 1)
        {
            interleavedX[(Width * first)..].CopyTo(interleavedOutput[(Width * first)..]);
            return;
        }

        var p = Create((double)period);
        var sum = Vector256<double>.Zero;
        for (int i = first; i < first + period - 1; i++) sum += x[i];
        for (int i = first + period - 1; i < n; i++)
        {
            sum += x[i];
            output.Store(i, sum / p);
            sum -= x[i - period + 1];
        }
    }

    /// <summary>Which extreme a rolling window keeps.</summary>
    private interface IExtreme
    {
        static abstract Vector256<double> Pick(Vector256<double> a, Vector256<double> b);
    }

    private readonly struct Highest : IExtreme
    {
        public static Vector256<double> Pick(Vector256<double> a, Vector256<double> b) => Max(a, b);
    }

    private readonly struct Lowest : IExtreme
    {
        public static Vector256<double> Pick(Vector256<double> a, Vector256<double> b) => Min(a, b);
    }

    /// <summary>
    /// The extreme of each lane's window of <paramref name="window"/> days ending at t, for t ≥ window − 1 (earlier days
    /// left alone): van Herk/Gil-Werman, from prefix extremes within blocks of <paramref name="window"/> days and suffix
    /// extremes to each block's end, output[t] = pick(suffix[t − window + 1], prefix[t]).
    /// </summary>
    private static void Extremes<T>(ReadOnlySpan<double> interleavedX, int window, Span<double> interleavedOutput)
        where T : struct, IExtreme
    {
        var x = new Lanes(interleavedX);
        var output = new LaneOutput(interleavedOutput);
        int n = x.Length;
        using var scratch = Scratch.Begin();
        var prefixes = Scratch.Uninitialized(Width * n);
        var suffixes = Scratch.Uninitialized(Width * n);
        for (int start = 0; start < n; start += window)
        {
            int end = Math.Min(start + window, n) - 1;
            var run = x[start];
            run.CopyTo(prefixes.AsSpan(Width * start));
            for (int t = start + 1; t <= end; t++)
            {
                run = T.Pick(run, x[t]);
                run.CopyTo(prefixes.AsSpan(Width * t));
            }

            run = x[end];
            run.CopyTo(suffixes.AsSpan(Width * end));
            for (int t = end - 1; t >= start; t--)
            {
                run = T.Pick(x[t], run);
                run.CopyTo(suffixes.AsSpan(Width * t));
            }
        }

        var prefix = new Lanes(prefixes);
        var suffix = new Lanes(suffixes);
        for (int t = window - 1; t < n; t++) output.Store(t, T.Pick(suffix[t - window + 1], prefix[t]));
    }
}
