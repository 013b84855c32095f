namespace Research.Core.Backtesting;

/// <summary>A strategy's value over time and its daily simple returns (<c>Returns[0]</c> is the first day's, net of costs).</summary>
/// <param name="Name">Strategy name.</param>
/// <param name="Dates">One date per point.</param>
/// <param name="Equity">Portfolio value at each date's close.</param>
/// <param name="Returns">Daily simple returns, net of costs; the first is relative to the initial cash.</param>
/// <param name="Costs">Total transaction costs paid.</param>
/// <param name="Turnover">Sum over trades of |traded value| / portfolio value (one-way), over the whole period.</param>
public sealed record EquityCurve(string Name, DateOnly[] Dates, double[] Equity, double[] Returns, double Costs,
    double Turnover)
{
    /// <summary>Final value over initial value, minus one.</summary>
    public double TotalReturn(double initialCash) => Equity[^1] / initialCash - 1;

    /// <summary>Largest peak-to-trough fall of the equity, as a negative fraction (0 when it never fell).</summary>
    public double MaxDrawdown()
    {
        double peak = double.NegativeInfinity, worst = 0;
        foreach (var v in Equity)
        {
            peak = Math.Max(peak, v);
            worst = Math.Min(worst, v / peak - 1);
        }

        return worst;
    }
}
