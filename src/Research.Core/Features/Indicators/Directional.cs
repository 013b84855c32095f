using System.Runtime.Intrinsics;

namespace Research.Core.Features.Indicators;

/// <summary>Wilder's directional movement system and Aroon, with TA-Lib's definitions and seeding.</summary>
public static class Directional
{
    /// <summary>Lookback of <see cref="PlusDm"/>/<see cref="MinusDm"/>: period − 1.</summary>
    public static int DmLookback(int period = 14) => period - 1;

    /// <summary>Lookback of the DI lines and DX: period.</summary>
    public static int DiLookback(int period = 14) => period;

    /// <summary>Lookback of <see cref="Adx"/>: 2·period − 1.</summary>
    public static int AdxLookback(int period = 14) => 2 * period - 1;

    /// <summary>Lookback of <see cref="Adxr"/>: ADX's plus period − 1.</summary>
    public static int AdxrLookback(int period = 14) => AdxLookback(period) + period - 1;

    /// <summary>Wilder-smoothed +DM (TA_PLUS_DM): the sum of the first period − 1 moves, then s − s/period + dm.</summary>
    public static void PlusDm(ReadOnlySpan<double> high, ReadOnlySpan<double> low, Span<double> output, int period = 14) =>
        Dm(high, low, output, period, plus: true);

    /// <summary>Wilder-smoothed −DM (TA_MINUS_DM).</summary>
    public static void MinusDm(ReadOnlySpan<double> high, ReadOnlySpan<double> low, Span<double> output, int period = 14) =>
        Dm(high, low, output, period, plus: false);

    private static void Dm(ReadOnlySpan<double> high, ReadOnlySpan<double> low, Span<double> output, int period, bool plus)
    {
        Ta.Period(period, 2, nameof(period), high.Length);
        Ta.SameLength(high.Length, output);
        if (!Ta.WarmUp(output, period - 1)) return;
        double s = 0;
        for (int t = 1; t < period; t++) s += Move(high, low, t, plus);
        output[period - 1] = s;
        for (int t = period; t < high.Length; t++)
        {
            s = s - s / period + Move(high, low, t, plus);
            output[t] = s;
        }
    }

    private static double Move(ReadOnlySpan<double> high, ReadOnlySpan<double> low, int t, bool plus)
    {
        double up = high[t] - high[t - 1], down = low[t - 1] - low[t];
        if (plus) return up > 0 && up > down ? up : 0;
        return down > 0 && up < down ? down : 0;
    }

    /// <summary>+DI (TA_PLUS_DI): 100 · smoothed +DM / smoothed true range; 0 when the range is 0.</summary>
    public static void PlusDi(ReadOnlySpan<double> high, ReadOnlySpan<double> low, ReadOnlySpan<double> close, Span<double> output, int period = 14) =>
        Run(high, low, close, period, output, Line.PlusDi);

    /// <summary>−DI (TA_MINUS_DI).</summary>
    public static void MinusDi(ReadOnlySpan<double> high, ReadOnlySpan<double> low, ReadOnlySpan<double> close, Span<double> output, int period = 14) =>
        Run(high, low, close, period, output, Line.MinusDi);

    /// <summary>Directional movement index (TA_DX): 100·|+DI − −DI|/(+DI + −DI); repeats the previous value when undefined.</summary>
    public static void Dx(ReadOnlySpan<double> high, ReadOnlySpan<double> low, ReadOnlySpan<double> close, Span<double> output, int period = 14) =>
        Run(high, low, close, period, output, Line.Dx);

    /// <summary>Average directional index (TA_ADX): the mean of the first <paramref name="period"/> DX values, then Wilder's smoothing.</summary>
    public static void Adx(ReadOnlySpan<double> high, ReadOnlySpan<double> low, ReadOnlySpan<double> close, Span<double> output, int period = 14) =>
        Run(high, low, close, period, output, Line.Adx);

    /// <summary>Average directional movement rating (TA_ADXR): (ADX[t] + ADX[t − period + 1]) / 2.</summary>
    public static void Adxr(ReadOnlySpan<double> high, ReadOnlySpan<double> low, ReadOnlySpan<double> close, Span<double> output, int period = 14)
    {
        Ta.Period(period, 2, nameof(period), close.Length);
        Ta.SameLength(close.Length, output);
        using var scratch = Scratch.Begin();
        var adx = Scratch.Doubles(close.Length);
        Adx(high, low, close, adx, period);
        int lookback = AdxrLookback(period);
        if (!Ta.WarmUp(output, lookback)) return;
        for (int t = lookback; t < close.Length; t++) output[t] = (adx[t] + adx[t - (period - 1)]) / 2;
    }

    private enum Line { PlusDi, MinusDi, Dx, Adx }

    private static void Run(ReadOnlySpan<double> high, ReadOnlySpan<double> low, ReadOnlySpan<double> close, int period, Span<double> output, Line line)
    {
        Ta.Period(period, 2, nameof(period), close.Length);
        Ta.SameLength(close.Length, output);
        int lookback = line == Line.Adx ? AdxLookback(period) : period;
        if (!Ta.WarmUp(output, lookback)) return;
        var lines = DirectionalLines.Get(high, low, close, period);
        var source = line switch { Line.PlusDi => lines.PlusDi, Line.MinusDi => lines.MinusDi, Line.Dx => lines.Dx, _ => lines.Adx };
        source.AsSpan(lookback).CopyTo(output[lookback..]);
    }

    /// <summary>
    /// +DI, −DI, DX and ADX of one series in one pass (all four from the same Wilder sums). The one-bar moves and true
    /// ranges come from a vectorised pass; +DM and −DM are smoothed as one two-lane vector, and both DI lines come from
    /// one two-lane division (each lane the same IEEE operations as the scalar recursion).
    /// </summary>
    internal static void Lines(ReadOnlySpan<double> high, ReadOnlySpan<double> low, ReadOnlySpan<double> close, int period,
        Span<double> plusDiOut, Span<double> minusDiOut, Span<double> dxOut, Span<double> adxOut)
    {
        int n = close.Length;
        using var scratch = Scratch.Begin();
        var plusMove = Scratch.Uninitialized(n);
        var minusMove = Scratch.Uninitialized(n);
        var trueRange = Scratch.Uninitialized(n);
        BarChanges.DirectionalMovement(high, low, plusMove, minusMove);
        BarChanges.TrueRange(high, low, close, trueRange);
        double plusDm = 0, minusDm = 0, tr = 0;
        for (int t = 1; t < period; t++)
        {
            plusDm += plusMove[t];
            minusDm += minusMove[t];
            tr += trueRange[t];
        }

        var dm = Vector128.Create(plusDm, minusDm);
        var periodV = Vector128.Create((double)period);
        var hundred = Vector128.Create(100.0);
        double adx = 0, sumDx = 0, previous = 0;
        for (int t = period; t < n; t++)
        {
            dm = dm - dm / periodV + Vector128.Create(plusMove[t], minusMove[t]);
            tr = tr - tr / period + trueRange[t];
            bool defined = !Ta.IsZero(tr);
            var di = defined ? hundred * (dm / Vector128.Create(tr)) : Vector128<double>.Zero;
            double plusDi = di.GetElement(0), minusDi = di.GetElement(1);
            double sum = plusDi + minusDi;
            bool dxDefined = defined && !Ta.IsZero(sum);
            double dx = dxDefined ? 100 * (Math.Abs(minusDi - plusDi) / sum) : 0;
            plusDiOut[t] = plusDi;
            minusDiOut[t] = minusDi;
            previous = dxDefined || t == period ? dx : previous;
            dxOut[t] = previous;
            if (t < 2 * period)
            {
                if (dxDefined) sumDx += dx;
                if (t == 2 * period - 1)
                {
                    adx = sumDx / period;
                    adxOut[t] = adx;
                }
            }
            else
            {
                if (dxDefined) adx = (adx * (period - 1) + dx) / period;
                adxOut[t] = adx;
            }
        }
    }

    /// <summary>Lookback of <see cref="Aroon"/> and <see cref="AroonOsc"/>: period.</summary>
    public static int AroonLookback(int period = 14) => period;

    /// <summary>
    /// Aroon (TA_AROON) over the last period + 1 bars: up = 100·(period − bars since the highest high)/period, down
    /// likewise with the lowest low; on ties the most recent bar counts.
    /// </summary>
    public static void Aroon(ReadOnlySpan<double> high, ReadOnlySpan<double> low, Span<double> down, Span<double> up, int period = 14)
    {
        Ta.Period(period, 2, nameof(period), high.Length);
        Ta.SameLength(high.Length, down, nameof(down));
        Ta.SameLength(high.Length, up, nameof(up));
        Ta.WarmUp(down, period);
        if (!Ta.WarmUp(up, period)) return;
        double factor = 100.0 / period;
        using var scratch = Scratch.Begin();
        var hiIdx = Window.ArgMax(high, period + 1);
        var loIdx = Window.ArgMin(low, period + 1);
        for (int t = period; t < high.Length; t++)
        {
            up[t] = factor * (period - (t - hiIdx[t]));
            down[t] = factor * (period - (t - loIdx[t]));
        }
    }

    /// <summary>Aroon oscillator (TA_AROONOSC): up − down.</summary>
    public static void AroonOsc(ReadOnlySpan<double> high, ReadOnlySpan<double> low, Span<double> output, int period = 14)
    {
        Ta.Period(period, 2, nameof(period), high.Length);
        Ta.SameLength(high.Length, output);
        if (!Ta.WarmUp(output, period)) return;
        double factor = 100.0 / period;
        using var scratch = Scratch.Begin();
        var hiIdx = Window.ArgMax(high, period + 1);
        var loIdx = Window.ArgMin(low, period + 1);
        for (int t = period; t < high.Length; t++) output[t] = factor * (hiIdx[t] - loIdx[t]);
    }
}
