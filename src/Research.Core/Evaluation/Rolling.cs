namespace Research.Core.Evaluation;

/// <summary>
/// Rolling-window statistics (empyrical's <c>roll_*</c>): the value at position i uses the window ending at i, so the
/// result has <c>n - window + 1</c> entries, the first for position <c>window - 1</c>. Empty when n &lt; window.
/// </summary>
public static class Rolling
{
    /// <summary>pyfolio's default rolling window: six months of trading days.</summary>
    public const int SixMonths = 126;

    /// <summary>Rolling <see cref="RatioMetrics.SharpeRatio"/> (annualised).</summary>
    public static double[] SharpeRatio(ReadOnlySpan<double> returns, int window = SixMonths, double riskFree = 0,
        int periods = ReturnMetrics.TradingDaysPerYear)
    {
        CheckWindow(window);
        if (returns.Length < window) return [];
        var result = new double[returns.Length - window + 1];
        for (int i = 0; i < result.Length; i++) result[i] = RatioMetrics.SharpeRatio(returns.Slice(i, window), riskFree, periods);
        return result;
    }

    /// <summary>Rolling <see cref="BenchmarkMetrics.Beta"/>.</summary>
    public static double[] Beta(ReadOnlySpan<double> returns, ReadOnlySpan<double> benchmark, int window = SixMonths)
    {
        CheckWindow(window);
        BenchmarkMetrics.CheckAligned(returns, benchmark);
        if (returns.Length < window) return [];
        var result = new double[returns.Length - window + 1];
        for (int i = 0; i < result.Length; i++)
            result[i] = BenchmarkMetrics.Beta(returns.Slice(i, window), benchmark.Slice(i, window));
        return result;
    }

    private static void CheckWindow(int window)
    {
        if (window < 1) throw new ArgumentOutOfRangeException(nameof(window), window, "The window must be at least 1.");
    }
}
