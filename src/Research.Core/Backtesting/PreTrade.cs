using Research.Core.Backtesting.Costs;
using Research.Core.Risk;

namespace Research.Core.Backtesting;

/// <summary>The risk manager's pre-trade check as the engine runs it; the serving pre-trade verdict runs the same.</summary>
public static class PreTrade
{
    /// <summary>
    /// <see cref="RiskManager.Approve"/> on equity net of the order's own costs: a smaller approved size can cost more
    /// per unit of value (a minimum commission), so the check repeats at the approved size (at most four passes) until
    /// its cost rate, the cost model's estimate inside [<paramref name="low"/>, <paramref name="high"/>] per unit of
    /// traded value with a hair of headroom, holds. Returns the approved quantity.
    /// </summary>
    public static double Approve(RiskManager risk, CostModel costs, DateOnly date, string symbol, int k, double quantity, double reference,
        double sigma, double adv, double low, double high, IPortfolioView portfolio)
    {
        double approved = quantity, costRate = 0;
        for (int pass = 0; pass < 4 && approved != 0; pass++)
        {
            costs.Price(approved, reference, sigma, adv, low, high, out var estimate);
            double rate = estimate.Total / Math.Abs(approved * reference) * 1.000001;
            if (pass > 0 && rate <= costRate) break;
            costRate = rate;
            approved = risk.Approve(date, symbol, k, approved, reference, adv, portfolio, costRate);
        }

        return approved;
    }
}
