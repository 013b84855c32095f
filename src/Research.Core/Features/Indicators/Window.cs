namespace Research.Core.Features.Indicators;

/// <summary>Extremes over inclusive index windows.</summary>
internal static class Window
{
    public static void HighLow(ReadOnlySpan<double> high, ReadOnlySpan<double> low, int from, int to, out double hi, out double lo)
    {
        hi = high[from];
        lo = low[from];
        for (int j = from + 1; j <= to; j++)
        {
            if (high[j] > hi) hi = high[j];
            if (low[j] < lo) lo = low[j];
        }
    }
}
