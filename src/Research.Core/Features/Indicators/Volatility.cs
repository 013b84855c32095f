namespace Research.Core.Features.Indicators;

/// <summary>True range and average true range with TA-Lib's definitions (TRANGE, ATR, NATR).</summary>
public static class Volatility
{
    /// <summary>Lookback of <see cref="TRange"/>: 1.</summary>
    public static int TRangeLookback() => 1;

    /// <summary>True range (TA_TRANGE): max(high, previous close) − min(low, previous close).</summary>
    public static void TRange(ReadOnlySpan<double> high, ReadOnlySpan<double> low, ReadOnlySpan<double> close, Span<double> output)
    {
        Ta.SameLength(close.Length, output);
        if (!Ta.WarmUp(output, 1)) return;
        BarChanges.TrueRange(high, low, close, output);
    }

    /// <summary>Lookback of <see cref="Atr"/> and <see cref="Natr"/>: period.</summary>
    public static int AtrLookback(int period = 14) => period;

    /// <summary>Average true range (TA_ATR): the mean of the first <paramref name="period"/> true ranges, then Wilder's smoothing.</summary>
    public static void Atr(ReadOnlySpan<double> high, ReadOnlySpan<double> low, ReadOnlySpan<double> close, Span<double> output, int period = 14)
    {
        Ta.Period(period, 1, nameof(period), close.Length);
        Ta.SameLength(close.Length, output);
        if (!Ta.WarmUp(output, period)) return;
        using var scratch = Scratch.Begin();
        var tr = Scratch.Uninitialized(close.Length);
        BarChanges.TrueRange(high, low, close, tr);
        double atr = 0;
        for (int t = 1; t <= period; t++) atr += tr[t];
        atr /= period;
        output[period] = atr;
        for (int t = period + 1; t < close.Length; t++)
        {
            atr *= period - 1;
            atr += tr[t];
            atr /= period;
            output[t] = atr;
        }
    }

    /// <summary>Normalised ATR (TA_NATR): 100 · ATR / close; 0 when the close is 0.</summary>
    public static void Natr(ReadOnlySpan<double> high, ReadOnlySpan<double> low, ReadOnlySpan<double> close, Span<double> output, int period = 14)
    {
        Atr(high, low, close, output, period);
        for (int t = period; t < close.Length; t++) output[t] = Ta.IsZero(close[t]) ? 0 : output[t] / close[t] * 100;
    }
}
