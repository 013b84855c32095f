using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using static System.Runtime.Intrinsics.Vector256;
using Lanes = Research.Core.Features.Indicators.StockStatsLanes.Lanes;
using LaneOutput = Research.Core.Features.Indicators.StockStatsLanes.LaneOutput;

namespace Research.Core.Features.Indicators;

/// <summary>
/// TA-Lib's EMA-based indicators (EMA, MACD, TRIX, T3, KAMA) for four tickers at once, one ticker per lane (see
/// <see cref="TaLibLanes"/>): each lane performs <see cref="MovingAverages"/>' and <see cref="Momentum"/>'s IEEE
/// operations in the same order (the same SMA seeds, no fused multiply-add), so values are bit-identical to the
/// per-ticker kernels'. Every kernel writes days from its lookback on.
/// </summary>
internal static class EmaLanes
{
    /// <summary>Compiled on their own, fully optimised at once (see <see cref="StockStatsLanes"/>).</summary>
    private const MethodImplOptions Kernel = MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization;

    /// <summary>EMA (TA_EMA) per lane: MovingAverages.EmaCore seeded at 0.</summary>
    [MethodImpl(Kernel)]
    public static void Ema(ReadOnlySpan<double> interleavedX, Span<double> interleavedOutput, int period)
    {
        var x = new Lanes(interleavedX);
        var output = new LaneOutput(interleavedOutput);
        int n = x.Length, first = period - 1;
        var k = Create(Ta.K(period));
        var sum = Vector256<double>.Zero;
        for (int i = 0; i <= first; i++) sum += x[i];
        var ema = sum / Create((double)period);
        output.Store(first, ema);
        for (int i = first + 1; i < n; i++)
        {
            ema = (x[i] - ema) * k + ema;
            output.Store(i, ema);
        }
    }

    /// <summary>MACD (TA_MACD) per lane with fast ≤ slow: Momentum.Macd's three <see cref="SeededEma"/> chains.</summary>
    [MethodImpl(Kernel)]
    public static void Macd(ReadOnlySpan<double> interleavedX, Span<double> interleavedMacd, Span<double> interleavedSignal,
        Span<double> interleavedHistogram, int fast, int slow, int signal)
    {
        var x = new Lanes(interleavedX);
        var macd = new LaneOutput(interleavedMacd);
        var signalLine = new LaneOutput(interleavedSignal);
        var histogram = new LaneOutput(interleavedHistogram);
        int n = x.Length, first = slow - 1;
        Vector256<double> ks = Create(Ta.K(slow)), kf = Create(Ta.K(fast)), kSignal = Create(Ta.K(signal));
        LaneEma slowEma = default, fastEma = default, signalEma = default;
        for (int i = 0; i < first; i++)
        {
            slowEma.Push(x[i], slow, ks);
            if (i >= slow - fast) fastEma.Push(x[i], fast, kf);
        }

        for (int i = first; i < n; i++)
        {
            var xi = x[i];
            slowEma.Push(xi, slow, ks);
            fastEma.Push(xi, fast, kf);
            var line = fastEma.Value - slowEma.Value;
            if (!signalEma.Push(line, signal, kSignal)) continue;
            macd.Store(i, line);
            signalLine.Store(i, signalEma.Value);
            histogram.Store(i, line - signalEma.Value);
        }
    }

    /// <summary>TRIX (TA_TRIX) per lane: MovingAverages.TripleEma's chain, then (e3/e3[t−1] − 1)·100, 0 when e3[t−1] is 0.</summary>
    [MethodImpl(Kernel)]
    public static void Trix(ReadOnlySpan<double> interleavedX, Span<double> interleavedOutput, int period)
    {
        var x = new Lanes(interleavedX);
        var output = new LaneOutput(interleavedOutput);
        int n = x.Length, lookback = Momentum.TrixLookback(period);
        var k = Create(Ta.K(period));
        var zero = Vector256<double>.Zero;
        var one = Vector256<double>.One;
        var hundred = Create(100.0);
        LaneEma e1 = default, e2 = default, e3 = default;
        var previous = zero;
        for (int t = 0; t < n; t++)
        {
            if (!e1.Push(x[t], period, k) || !e2.Push(e1.Value, period, k) || !e3.Push(e2.Value, period, k)) continue;
            var e = e3.Value;
            if (t >= lookback) output.Store(t, ConditionalSelect(Vector256.Equals(previous, zero), zero, (e / previous - one) * hundred));
            previous = e;
        }
    }

    /// <summary>T3 (TA_T3) per lane: MovingAverages.T3's staged seeding of the six EMAs, then the six levels bar by bar.</summary>
    [MethodImpl(Kernel)]
    public static void T3(ReadOnlySpan<double> interleavedX, Span<double> interleavedOutput, int period, double vFactor)
    {
        var x = new Lanes(interleavedX);
        var output = new LaneOutput(interleavedOutput);
        int n = x.Length, lookback = MovingAverages.T3Lookback(period);
        double kScalar = Ta.K(period);
        Vector256<double> k = Create(kScalar), k1 = Create(1 - kScalar), p = Create((double)period);
        Span<Vector256<double>> e = stackalloc Vector256<double>[6];
        int today = 0;
        var sum = Vector256<double>.Zero;
        for (int i = 0; i < period; i++) sum += x[today++];
        e[0] = sum / p;
        for (int level = 1; level < 6; level++)
        {
            sum = e[level - 1];
            for (int i = 1; i < period; i++)
            {
                e[0] = k * x[today++] + k1 * e[0];
                for (int j = 1; j < level; j++) e[j] = k * e[j - 1] + k1 * e[j];
                sum += e[level - 1];
            }

            e[level] = sum / p;
        }

        double a = vFactor, a2 = a * a, a3 = a2 * a;
        var c1 = Create(-a3);
        var c2 = Create(3 * (a2 + a3));
        var c3 = Create(-6 * a2 - 3 * (a + a3));
        var c4 = Create(1 + 3 * a + a3 + 3 * a2);
        output.Store(lookback, c1 * e[5] + c2 * e[4] + c3 * e[3] + c4 * e[2]);
        Vector256<double> e0 = e[0], e1 = e[1], e2 = e[2], e3 = e[3], e4 = e[4], e5 = e[5];
        for (int t = lookback + 1; t < n; t++)
        {
            e0 = k * x[t] + k1 * e0;
            e1 = k * e0 + k1 * e1;
            e2 = k * e1 + k1 * e2;
            e3 = k * e2 + k1 * e3;
            e4 = k * e3 + k1 * e4;
            e5 = k * e4 + k1 * e5;
            output.Store(t, c1 * e5 + c2 * e4 + c3 * e3 + c4 * e2);
        }
    }

    /// <summary>KAMA (TA_KAMA) per lane: MovingAverages.Kama's running noise, efficiency ratio and squared smoothing constant.</summary>
    [MethodImpl(Kernel)]
    public static void Kama(ReadOnlySpan<double> interleavedX, Span<double> interleavedOutput, int period)
    {
        var x = new Lanes(interleavedX);
        var output = new LaneOutput(interleavedOutput);
        int n = x.Length;
        const double fast = 2.0 / 3.0, slow = 2.0 / 31.0;
        Vector256<double> range = Create(fast - slow), slowV = Create(slow), one = Vector256<double>.One;
        var noise = Vector256<double>.Zero;
        for (int i = 1; i <= period; i++) noise += Abs(x[i] - x[i - 1]);
        var kama = x[period - 1];
        for (int t = period; t < n; t++)
        {
            var xt = x[t];
            if (t > period) noise += Abs(xt - x[t - 1]) - Abs(x[t - period] - x[t - period - 1]);
            var change = xt - x[t - period];
            var er = ConditionalSelect(LessThanOrEqual(noise, change) | TaLibLanes.IsZero(noise), one, Abs(change / noise));
            var sc = er * range + slowV;
            sc *= sc;
            kama = (xt - kama) * sc + kama;
            output.Store(t, kama);
        }
    }

    /// <summary><see cref="SeededEma"/> lane by lane (all lanes start on the same day, so they share the count).</summary>
    private struct LaneEma
    {
        private int _count;
        private Vector256<double> _value;

        /// <summary>The EMA after the last push (the running sum while seeding).</summary>
        public readonly Vector256<double> Value => _value;

        /// <summary>Feeds x; returns whether the EMA has a value (false while the seed's window is filling).</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public bool Push(Vector256<double> x, int period, Vector256<double> k)
        {
            if (_count >= period)
            {
                _value = (x - _value) * k + _value;
                return true;
            }

            _value += x;
            if (++_count < period) return false;
            _value /= Create((double)period);
            return true;
        }
    }
}
