namespace Research.Core.Features.Indicators;

/// <summary>Per-bar price transforms (TA-Lib's AVGPRICE, MEDPRICE, TYPPRICE, WCLPRICE); lookback 0.</summary>
public static class PriceTransforms
{
    /// <summary>(open + high + low + close) / 4.</summary>
    public static void AvgPrice(ReadOnlySpan<double> open, ReadOnlySpan<double> high, ReadOnlySpan<double> low, ReadOnlySpan<double> close, Span<double> output)
    {
        Ta.SameLength(close.Length, output);
        for (int t = 0; t < close.Length; t++) output[t] = (open[t] + high[t] + low[t] + close[t]) / 4;
    }

    /// <summary>(high + low) / 2.</summary>
    public static void MedPrice(ReadOnlySpan<double> high, ReadOnlySpan<double> low, Span<double> output)
    {
        Ta.SameLength(high.Length, output);
        for (int t = 0; t < high.Length; t++) output[t] = (high[t] + low[t]) / 2;
    }

    /// <summary>(high + low + close) / 3.</summary>
    public static void TypPrice(ReadOnlySpan<double> high, ReadOnlySpan<double> low, ReadOnlySpan<double> close, Span<double> output)
    {
        Ta.SameLength(close.Length, output);
        for (int t = 0; t < close.Length; t++) output[t] = (high[t] + low[t] + close[t]) / 3;
    }

    /// <summary>(high + low + 2·close) / 4.</summary>
    public static void WclPrice(ReadOnlySpan<double> high, ReadOnlySpan<double> low, ReadOnlySpan<double> close, Span<double> output)
    {
        Ta.SameLength(close.Length, output);
        for (int t = 0; t < close.Length; t++) output[t] = (high[t] + low[t] + close[t] * 2) / 4;
    }
}
