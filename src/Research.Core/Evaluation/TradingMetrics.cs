namespace Research.Core.Evaluation;

/// <summary>
/// Statistics of series a backtester reports beside its returns: turnover (traded notional / equity per period) and
/// exposure (gross market value / equity per period). NaN entries are skipped; an empty or all-NaN series gives NaN.
/// </summary>
public static class TradingMetrics
{
    /// <summary>Mean turnover per period.</summary>
    public static double AverageTurnover(ReadOnlySpan<double> turnover) => NumPy.NanMean(turnover);

    /// <summary>Annualised turnover: mean turnover per period × periods (e.g. 2.0 = the book traded twice a year).</summary>
    public static double AnnualTurnover(ReadOnlySpan<double> turnover, int periods = ReturnMetrics.TradingDaysPerYear) =>
        NumPy.NanMean(turnover) * periods;

    /// <summary>Mean exposure per period.</summary>
    public static double AverageExposure(ReadOnlySpan<double> exposure) => NumPy.NanMean(exposure);

    /// <summary>Largest absolute exposure.</summary>
    public static double MaxExposure(ReadOnlySpan<double> exposure)
    {
        double m = double.NaN;
        foreach (double e in exposure)
        {
            if (double.IsNaN(e)) continue;
            double a = Math.Abs(e);
            if (double.IsNaN(m) || a > m) m = a;
        }

        return m;
    }

    /// <summary>Share of periods with a non-zero exposure (time in the market).</summary>
    public static double TimeInMarket(ReadOnlySpan<double> exposure)
    {
        int n = 0, invested = 0;
        foreach (double e in exposure)
        {
            if (double.IsNaN(e)) continue;
            n++;
            if (e != 0) invested++;
        }

        return n == 0 ? double.NaN : (double)invested / n;
    }
}
