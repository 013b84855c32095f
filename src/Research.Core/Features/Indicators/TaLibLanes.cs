using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using Research.Core.Features.Catalog;
using static System.Runtime.Intrinsics.Vector256;
using Lanes = Research.Core.Features.Indicators.StockStatsLanes.Lanes;
using LaneOutput = Research.Core.Features.Indicators.StockStatsLanes.LaneOutput;

namespace Research.Core.Features.Indicators;

/// <summary>
/// TA-Lib's recursive indicators (RSI, ATR, MFI, ULTOSC) for four tickers at once, one ticker per lane of a
/// <see cref="Vector256{T}"/>, as <see cref="StockStatsLanes"/> does for stockstats' definitions: Wilder's smoothing
/// and running sums make every day wait for the previous day's division or addition, so four tickers share each step.
/// Every lane performs the scalar kernel's IEEE operations (<see cref="Momentum"/>, <see cref="Volatility"/>,
/// <see cref="BarChanges"/>) in the same order, with no fused multiply-add and no reciprocal, so each lane's values are
/// bit-identical to the per-ticker path's.
/// </summary>
internal static class TaLibLanes
{
    private const int Width = StockStatsLanes.Width;

    /// <summary>Compiled on their own, fully optimised at once (see <see cref="StockStatsLanes"/>).</summary>
    private const MethodImplOptions Kernel = MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization;

    /// <summary>
    /// Runs a lane kernel over a group of four tickers: their <paramref name="fields"/> interleaved day by day (one
    /// buffer per field, in order) and one interleaved buffer per output; the kernel writes days from
    /// <paramref name="lookback"/> on, which are split back into outputs[i][o] for group[i], NaN before. Declines
    /// (returns false) when the lookback leaves no value, so the per-ticker path handles that case.
    /// </summary>
    public static bool Run(Ohlcv[] group, double[][][] outputs, Data.PriceField[] fields, int lookback, Action<double[][], double[][]> kernel)
    {
        if (group.Length != Width || outputs.Length != Width) throw new ArgumentException($"A lane group has {Width} tickers.");
        int n = group[0].Length;
        if (lookback < 0 || lookback >= n) return false;
        using var scratch = Scratch.Begin();
        var inputs = new double[fields.Length][];
        for (int f = 0; f < fields.Length; f++)
        {
            inputs[f] = Scratch.Uninitialized(Width * n);
            LaneTranspose.Interleave(group[0].Field(fields[f]).Span, group[1].Field(fields[f]).Span, group[2].Field(fields[f]).Span,
                group[3].Field(fields[f]).Span, inputs[f]);
        }

        var interleaved = new double[outputs[0].Length][];
        for (int o = 0; o < interleaved.Length; o++) interleaved[o] = Scratch.Uninitialized(Width * n);
        kernel(inputs, interleaved);
        for (int o = 0; o < interleaved.Length; o++)
        {
            LaneTranspose.Deinterleave(interleaved[o], outputs[0][o], outputs[1][o], outputs[2][o], outputs[3][o]);
            for (int i = 0; i < Width; i++) outputs[i][o].AsSpan(0, lookback).Fill(double.NaN);
        }

        return true;
    }

    /// <summary>TA-Lib's <c>TA_IS_ZERO</c> lane by lane: −1e-8 &lt; v &lt; 1e-8.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> IsZero(Vector256<double> v)
    {
        var tiny = Create(1e-8);
        return GreaterThan(v, -tiny) & LessThan(v, tiny);
    }

    /// <summary>RSI (TA_RSI) per lane, from <paramref name="period"/> on: Momentum.Rsi's plain-average seed, then Wilder's smoothing.</summary>
    [MethodImpl(Kernel)]
    public static void Rsi(ReadOnlySpan<double> interleavedClose, Span<double> interleavedOutput, int period)
    {
        var x = new Lanes(interleavedClose);
        var output = new LaneOutput(interleavedOutput);
        int n = x.Length;
        var zero = Vector256<double>.Zero;
        var hundred = Create(100.0);
        var p = Create((double)period);
        var p1 = Create((double)(period - 1));
        Vector256<double> gain = zero, loss = zero;
        var previous = x[0];
        for (int t = 1; t <= period; t++)
        {
            var (g, l) = GainLoss(x[t], ref previous);
            loss += l;
            gain += g;
        }

        gain /= p;
        loss /= p;
        output.Store(period, RsiValue(gain, loss, hundred));
        for (int t = period + 1; t < n; t++)
        {
            var (g, l) = GainLoss(x[t], ref previous);
            loss = (loss * p1 + l) / p;
            gain = (gain * p1 + g) / p;
            output.Store(t, RsiValue(gain, loss, hundred));
        }
    }

    /// <summary>BarChanges.GainsLosses's day: d = x − previous; the gain is d unless d &lt; 0, the loss −d when d &lt; 0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Vector256<double> Gain, Vector256<double> Loss) GainLoss(Vector256<double> x, ref Vector256<double> previous)
    {
        var d = x - previous;
        previous = x;
        var negative = LessThan(d, Vector256<double>.Zero);
        return (ConditionalSelect(negative, Vector256<double>.Zero, d), ConditionalSelect(negative, -d, Vector256<double>.Zero));
    }

    /// <summary>Momentum's RSI value: 100·(gain/(gain + loss)), 0 when the sum is zero.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> RsiValue(Vector256<double> gain, Vector256<double> loss, Vector256<double> hundred)
    {
        var total = gain + loss;
        return ConditionalSelect(IsZero(total), Vector256<double>.Zero, hundred * (gain / total));
    }

    /// <summary>ATR (TA_ATR) per lane, from <paramref name="period"/> on: the mean of the first true ranges, then ×(period − 1), +TR, ÷period.</summary>
    [MethodImpl(Kernel)]
    public static void Atr(ReadOnlySpan<double> interleavedHigh, ReadOnlySpan<double> interleavedLow, ReadOnlySpan<double> interleavedClose,
        Span<double> interleavedOutput, int period)
    {
        var high = new Lanes(interleavedHigh);
        var low = new Lanes(interleavedLow);
        var close = new Lanes(interleavedClose);
        var output = new LaneOutput(interleavedOutput);
        int n = close.Length;
        var p = Create((double)period);
        var p1 = Create((double)(period - 1));
        var atr = Vector256<double>.Zero;
        for (int t = 1; t <= period; t++) atr += TrueRange(high[t], low[t], close[t - 1]);
        atr /= p;
        output.Store(period, atr);
        for (int t = period + 1; t < n; t++)
        {
            atr *= p1;
            atr += TrueRange(high[t], low[t], close[t - 1]);
            atr /= p;
            output.Store(t, atr);
        }
    }

    /// <summary>BarChanges.TrueRange's expression: max(high, previous close) − min(low, previous close).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> TrueRange(Vector256<double> high, Vector256<double> low, Vector256<double> previousClose) =>
        Max(high, previousClose) - Min(low, previousClose);

    /// <summary>MFI (TA_MFI) per lane, from <paramref name="period"/> on: running sums of BarChanges.MoneyFlows' positive and negative flows.</summary>
    [MethodImpl(Kernel)]
    public static void Mfi(ReadOnlySpan<double> interleavedHigh, ReadOnlySpan<double> interleavedLow, ReadOnlySpan<double> interleavedClose,
        ReadOnlySpan<double> interleavedVolume, Span<double> interleavedOutput, int period)
    {
        var high = new Lanes(interleavedHigh);
        var low = new Lanes(interleavedLow);
        var close = new Lanes(interleavedClose);
        var volume = new Lanes(interleavedVolume);
        var output = new LaneOutput(interleavedOutput);
        int n = close.Length;
        using var scratch = Scratch.Begin();
        var positive = Scratch.Uninitialized(Width * n);
        var negative = Scratch.Uninitialized(Width * n);
        var zero = Vector256<double>.Zero;
        var three = Create(3.0);
        var previous = (high[0] + low[0] + close[0]) / three;
        for (int t = 1; t < n; t++)
        {
            var tp = (high[t] + low[t] + close[t]) / three;
            var flow = tp * volume[t];
            ConditionalSelect(GreaterThan(tp, previous), flow, zero).CopyTo(positive.AsSpan(Width * t));
            ConditionalSelect(LessThan(tp, previous), flow, zero).CopyTo(negative.AsSpan(Width * t));
            previous = tp;
        }

        var pos = new Lanes(positive);
        var neg = new Lanes(negative);
        Vector256<double> sp = zero, sn = zero;
        for (int t = 1; t <= period; t++)
        {
            sp += pos[t];
            sn += neg[t];
        }

        var one = Vector256<double>.One;
        var hundred = Create(100.0);
        for (int t = period; t < n; t++)
        {
            if (t > period)
            {
                sp += pos[t] - pos[t - period];
                sn += neg[t] - neg[t - period];
            }

            var total = sp + sn;
            output.Store(t, ConditionalSelect(LessThan(total, one), zero, hundred * (sp / total)));
        }
    }

    /// <summary>
    /// ULTOSC (TA_ULTOSC) per lane, from the longest period on, with the periods sorted ascending: Momentum.UltOsc's
    /// window sums of buying pressure and true range, averages (0 on a zero range), and 100·((0 + 4·A₁) + 2·A₂ + 1·A₃)/7.
    /// </summary>
    [MethodImpl(Kernel)]
    public static void UltOsc(ReadOnlySpan<double> interleavedHigh, ReadOnlySpan<double> interleavedLow, ReadOnlySpan<double> interleavedClose,
        Span<double> interleavedOutput, int shortest, int middle, int longest)
    {
        var high = new Lanes(interleavedHigh);
        var low = new Lanes(interleavedLow);
        var close = new Lanes(interleavedClose);
        var output = new LaneOutput(interleavedOutput);
        int n = close.Length;
        using var scratch = Scratch.Begin();
        var pressure = Scratch.Uninitialized(Width * n);
        var range = Scratch.Uninitialized(Width * n);
        for (int t = 1; t < n; t++)
        {
            var previousClose = close[t - 1];
            // BarChanges.BuyingPressure's and TrueRange's expressions.
            (close[t] - Min(low[t], previousClose)).CopyTo(pressure.AsSpan(Width * t));
            TrueRange(high[t], low[t], previousClose).CopyTo(range.AsSpan(Width * t));
        }

        var bp = new Lanes(pressure);
        var tr = new Lanes(range);
        int lookback = longest;
        var (b1, r1) = WindowSums(bp, tr, lookback, shortest);
        var (b2, r2) = WindowSums(bp, tr, lookback, middle);
        var (b3, r3) = WindowSums(bp, tr, lookback, longest);
        var zero = Vector256<double>.Zero;
        Vector256<double> four = Create(4.0), two = Create(2.0), one = Vector256<double>.One, seven = Create(7.0), hundred = Create(100.0);
        for (int t = lookback; t < n; t++)
        {
            if (t > lookback)
            {
                var b = bp[t];
                var r = tr[t];
                b1 += b - bp[t - shortest];
                b2 += b - bp[t - middle];
                b3 += b - bp[t - longest];
                r1 += r - tr[t - shortest];
                r2 += r - tr[t - middle];
                r3 += r - tr[t - longest];
            }

            var a1 = ConditionalSelect(IsZero(r1), zero, b1 / r1);
            var a2 = ConditionalSelect(IsZero(r2), zero, b2 / r2);
            var a3 = ConditionalSelect(IsZero(r3), zero, b3 / r3);
            var total = zero + a1 * four;
            total += a2 * two;
            total += a3 * one;
            output.Store(t, hundred * (total / seven));
        }
    }

    /// <summary>The sums of bp and tr over the <paramref name="period"/> days ending at <paramref name="last"/>, added oldest first from 0.</summary>
    private static (Vector256<double> Pressure, Vector256<double> Range) WindowSums(Lanes bp, Lanes tr, int last, int period)
    {
        Vector256<double> b = Vector256<double>.Zero, r = Vector256<double>.Zero;
        for (int j = last - period + 1; j <= last; j++)
        {
            b += bp[j];
            r += tr[j];
        }

        return (b, r);
    }
}
