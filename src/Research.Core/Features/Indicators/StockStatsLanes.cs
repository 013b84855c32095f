using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using static System.Runtime.Intrinsics.Vector256;

namespace Research.Core.Features.Indicators;

/// <summary>
/// stockstats' recursive indicators (<c>macd</c>, <c>rsi_N</c>, <c>dx_N</c>) for four tickers at once, one ticker per
/// lane of a <see cref="Vector256{T}"/>. Their pandas adjusted EWMs make every day wait for the previous day's division,
/// so one ticker at a time leaves the divider idle most of the time; four tickers share each step instead. Every lane
/// performs the scalar kernels' IEEE operations (<see cref="StockStats"/>, <see cref="BarChanges"/>) in the same order,
/// with no fused multiply-add and no reciprocal, so each lane's values are bit-identical to the single-ticker path's.
/// </summary>
internal static class StockStatsLanes
{
    /// <summary>Tickers per group (lanes of a vector of doubles).</summary>
    public const int Width = 4;

    /// <summary>
    /// How the day loops are compiled: on their own, fully optimised at once. Inlined into a caller (a catalog lambda),
    /// the JIT ran out of inlining budget and left Step and DxValue as calls, three times slower, depending on which
    /// indicator ran first; tiering (PGO) otherwise changes nothing in these loops.
    /// </summary>
    private const MethodImplOptions Kernel = MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization;

    /// <summary>
    /// Runs a lane kernel over a group of four tickers: their <paramref name="fields"/> interleaved day by day (one
    /// buffer per field, in order), the kernel's interleaved output split back into outputs[i] for group[i].
    /// </summary>
    public static void Run(Catalog.Ohlcv[] group, double[][] outputs, Data.PriceField[] fields, Action<double[][], double[]> kernel)
    {
        if (group.Length != Width || outputs.Length != Width) throw new ArgumentException($"A lane group has {Width} tickers.");
        int n = group[0].Length;
        using var scratch = Scratch.Begin();
        var inputs = new double[fields.Length][];
        for (int f = 0; f < fields.Length; f++) inputs[f] = Interleaved(group, fields[f]);

        var output = Scratch.Uninitialized(Width * n);
        kernel(inputs, output);
        LaneTranspose.Deinterleave(output, outputs[0], outputs[1], outputs[2], outputs[3]);
    }

    /// <summary>stockstats <c>macd</c> per lane: EMA(fast) − EMA(slow), both pandas span-EMAs from the first bar.</summary>
    [MethodImpl(Kernel)]
    public static void Macd(ReadOnlySpan<double> interleavedClose, Span<double> interleavedOutput, int fast, int slow)
    {
        var close = new Lanes(interleavedClose);
        var output = new LaneOutput(interleavedOutput);
        int n = close.Length;
        Ta.Period(fast, 1, nameof(fast), n);
        Ta.Period(slow, 1, nameof(slow), n);
        // The same alphas and factors StockStats.Macd hands its two-chain EWM.
        var fastFactor = Create(1 - 2.0 / (fast + 1));
        var slowFactor = Create(1 - 2.0 / (slow + 1));
        var fastMean = close[0];
        var slowMean = fastMean;
        Vector256<double> fastWeight = Vector256<double>.One, slowWeight = Vector256<double>.One;
        output.Store(0, fastMean - slowMean);
        for (int t = 1; t < n; t++)
        {
            var x = close[t];
            fastMean = EwmStep(fastMean, x, ref fastWeight, fastFactor);
            slowMean = EwmStep(slowMean, x, ref slowWeight, slowFactor);
            output.Store(t, fastMean - slowMean);
        }
    }

    /// <summary>stockstats <c>rsi_N</c> per lane: gains and losses smoothed by pandas <c>ewm(alpha=1/N)</c>; 50 on the first bar and when flat.</summary>
    [MethodImpl(Kernel)]
    public static void Rsi(ReadOnlySpan<double> interleavedClose, Span<double> interleavedOutput, int period)
    {
        var close = new Lanes(interleavedClose);
        var output = new LaneOutput(interleavedOutput);
        int n = close.Length;
        Ta.Period(period, 1, nameof(period), n);
        var factor = Create(1 - 1.0 / period);
        var zero = Vector256<double>.Zero;
        var fifty = Create(50.0);
        var hundred = Create(100.0);
        Vector256<double> gains = zero, losses = zero, weight = Vector256<double>.One;
        var previous = close[0];
        output.Store(0, fifty);
        for (int t = 1; t < n; t++)
        {
            // stockstats' closepm/closenm, as StockStats' UpsDowns computes them.
            var x = close[t];
            var d = x - previous;
            previous = x;
            var up = ConditionalSelect(GreaterThan(d, zero), d, zero);
            var down = ConditionalSelect(LessThan(d, zero), -d, zero);
            // Both means share one weight sequence, as the scalar two-chain EWM's lanes do.
            weight *= factor;
            gains = Step(gains, up, weight);
            losses = Step(losses, down, weight);
            weight += Vector256<double>.One;
            var total = gains + losses;
            output.Store(t, ConditionalSelect(Vector256.Equals(total, zero), fifty, hundred * (gains / total)));
        }
    }

    /// <summary>stockstats <c>close_N_sma</c> per lane: the rolling mean with <c>min_periods=1</c>, StockStats.Sma's running sum.</summary>
    [MethodImpl(Kernel)]
    public static void Sma(ReadOnlySpan<double> interleavedX, Span<double> interleavedOutput, int period)
    {
        var x = new Lanes(interleavedX);
        var output = new LaneOutput(interleavedOutput);
        int n = x.Length;
        Ta.Period(period, 1, nameof(period), n);
        var sum = Vector256<double>.Zero;
        // The first bars average what there is; from bar `period` on the oldest value leaves the sum.
        int t = 0;
        for (; t < Math.Min(period, n); t++)
        {
            sum += x[t];
            output.Store(t, sum / Create((double)(t + 1)));
        }

        var count = Create((double)period);
        for (; t < n; t++)
        {
            sum += x[t];
            sum -= x[t - period];
            output.Store(t, sum / count);
        }
    }

    /// <summary>
    /// stockstats <c>cci_N</c> for a group: the typical prices and their running mean (the recursive part) four tickers
    /// per vector, then each ticker's window deviations and values as StockStats.Cci computes them.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void Cci(Catalog.Ohlcv[] group, double[][] outputs, int period)
    {
        int n = group[0].Length;
        Ta.Period(period, 1, nameof(period), n);
        using var scratch = Scratch.Begin();
        var high = Interleaved(group, Data.PriceField.High);
        var low = Interleaved(group, Data.PriceField.Low);
        var close = Interleaved(group, Data.PriceField.Close);
        var tp = Scratch.Uninitialized(Width * n);
        TypicalPrices(high, low, close, tp);
        var sma = Scratch.Uninitialized(Width * n);
        Sma(tp, sma, period);

        var tickerTp = new double[Width][];
        var tickerSma = new double[Width][];
        for (int i = 0; i < Width; i++)
        {
            tickerTp[i] = Scratch.Uninitialized(n);
            tickerSma[i] = Scratch.Uninitialized(n);
        }

        LaneTranspose.Deinterleave(tp, tickerTp[0], tickerTp[1], tickerTp[2], tickerTp[3]);
        LaneTranspose.Deinterleave(sma, tickerSma[0], tickerSma[1], tickerSma[2], tickerSma[3]);
        for (int i = 0; i < Width; i++) StockStats.CciFromTypicalPrices(tickerTp[i], tickerSma[i], outputs[i], period);
    }

    /// <summary>(close + high + low) / 3 per lane and day, StockStats' typical price.</summary>
    private static void TypicalPrices(ReadOnlySpan<double> high, ReadOnlySpan<double> low, ReadOnlySpan<double> close, Span<double> tp)
    {
        var three = Create(3.0);
        for (int i = 0; i < tp.Length; i += Width)
        {
            ((Create(close[i..]) + Create(high[i..]) + Create(low[i..])) / three).CopyTo(tp[i..]);
        }
    }

    /// <summary>One field of the group's four tickers interleaved into a scratch buffer (valid in the caller's scope).</summary>
    private static double[] Interleaved(Catalog.Ohlcv[] group, Data.PriceField field)
    {
        var buffer = Scratch.Uninitialized(Width * group[0].Length);
        LaneTranspose.Interleave(group[0].Field(field).Span, group[1].Field(field).Span, group[2].Field(field).Span, group[3].Field(field).Span, buffer);
        return buffer;
    }

    /// <summary>stockstats <c>dx_N</c> per lane: 100·|+DI − −DI|/(+DI + −DI) from +DM, −DM and true range smoothed by pandas <c>ewm(alpha=1/N)</c>.</summary>
    [MethodImpl(Kernel)]
    public static void Dx(ReadOnlySpan<double> interleavedHigh, ReadOnlySpan<double> interleavedLow, ReadOnlySpan<double> interleavedClose,
        Span<double> interleavedOutput, int period)
    {
        var high = new Lanes(interleavedHigh);
        var low = new Lanes(interleavedLow);
        var close = new Lanes(interleavedClose);
        var output = new LaneOutput(interleavedOutput);
        int n = close.Length;
        Ta.Period(period, 1, nameof(period), n);
        var factor = Create(1 - 1.0 / period);
        var zero = Vector256<double>.Zero;
        // With period 1 StockStats.Dx copies the moves unsmoothed (only the true range goes through an EWM).
        bool smooth = period > 1;
        Vector256<double> h = high[0], l = low[0], c = close[0];
        Vector256<double> plus = zero, minus = zero, range = Max(h, c) - Min(l, c), weight = Vector256<double>.One;
        output.Store(0, DxValue(plus, minus, range));
        for (int t = 1; t < n; t++)
        {
            Vector256<double> ht = high[t], lt = low[t], ct = close[t];
            // BarChanges.DirectionalMovement's and TrueRange's expressions.
            var up = ht - h;
            var down = l - lt;
            var plusMove = ConditionalSelect(GreaterThan(up, zero) & GreaterThan(up, down), up, zero);
            var minusMove = ConditionalSelect(GreaterThan(down, zero) & LessThan(up, down), down, zero);
            var trueRange = Max(ht, c) - Min(lt, c);
            (h, l, c) = (ht, lt, ct);

            weight *= factor;
            plus = smooth ? Step(plus, plusMove, weight) : plusMove;
            minus = smooth ? Step(minus, minusMove, weight) : minusMove;
            range = Step(range, trueRange, weight);
            weight += Vector256<double>.One;
            output.Store(t, DxValue(plus, minus, range));
        }
    }

    /// <summary>StockStats.Dx's last line: the DIs, then 100·|+DI − −DI|/(+DI + −DI), 0 when the sum is 0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> DxValue(Vector256<double> plus, Vector256<double> minus, Vector256<double> range)
    {
        var hundred = Create(100.0);
        var pdi = plus / range * hundred;
        var ndi = minus / range * hundred;
        var divisor = pdi + ndi;
        return ConditionalSelect(Vector256.Equals(divisor, Vector256<double>.Zero), Vector256<double>.Zero, Abs(pdi - ndi) / divisor * hundred);
    }

    /// <summary>One adjusted-EWM day with its own weight: the weight decays, the mean moves, the weight gains the new bar.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> EwmStep(Vector256<double> mean, Vector256<double> x, ref Vector256<double> weight, Vector256<double> factor)
    {
        weight *= factor;
        mean = Step(mean, x, weight);
        weight += Vector256<double>.One;
        return mean;
    }

    /// <summary>
    /// StockStats.AdjustedEwm's update with the weight already decayed: (w·mean + x)/(w + 1), except that a mean equal
    /// to the new value is kept as it is (pandas skips the update there; a NaN compares unequal and updates).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> Step(Vector256<double> mean, Vector256<double> x, Vector256<double> weight)
    {
        var next = (weight * mean + x) / (weight + Vector256<double>.One);
        return ConditionalSelect(Vector256.Equals(mean, x), mean, next);
    }

    /// <summary>
    /// Four series of equal length interleaved day by day (lane i of day t at 4t + i), so a day's four values load as
    /// one vector; reading the four tickers' arrays side by side instead was slower and varied with where they sat in memory.
    /// </summary>
    public readonly ref struct Lanes
    {
        private readonly ReadOnlySpan<double> _values;

        public Lanes(ReadOnlySpan<double> interleaved)
        {
            if (interleaved.Length % Width != 0) throw new ArgumentException($"Interleaved lanes need a multiple of {Width} values.");
            _values = interleaved;
        }

        public int Length => _values.Length / Width;

        public Vector256<double> this[int t] => Create(_values.Slice(t * Width, Width));
    }

    /// <summary>Four output series interleaved day by day, as <see cref="Lanes"/>.</summary>
    public readonly ref struct LaneOutput(Span<double> interleaved)
    {
        private readonly Span<double> _values = interleaved;

        public void Store(int t, Vector256<double> v) => v.CopyTo(_values.Slice(t * Width, Width));
    }
}
