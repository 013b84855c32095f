using Research.Core.Configuration;
using Research.Core.Data;

namespace Research.Core.Backtesting;

/// <summary>
/// The passive benchmarks every strategy is compared with, computed directly from closes: buy-and-hold of equal initial
/// weights, and equal weight rebalanced at a chosen frequency. Trades happen at the close of the day they are decided
/// on and pay <c>costRate</c> × traded value. A ticker without a close on a day keeps its last value that day.
/// </summary>
public static class PassivePortfolios
{
    /// <summary>Buy equal dollar amounts of every ticker at the close of <paramref name="start"/> and hold.</summary>
    public static EquityCurve BuyAndHold(MarketPanel panel, int start, int end, double cash, double costRate) =>
        Simulate("buy-and-hold", panel, start, end, cash, costRate, RebalanceFrequency.Never);

    /// <summary>Equal weights, traded back to equal at the first close of each period of <paramref name="frequency"/>.</summary>
    public static EquityCurve EqualWeight(MarketPanel panel, int start, int end, double cash, double costRate,
        RebalanceFrequency frequency) =>
        Simulate($"equal-weight-{frequency.ToString().ToLowerInvariant()}", panel, start, end, cash, costRate, frequency);

    /// <summary>An index level as a curve scaled to <paramref name="cash"/> at <paramref name="start"/> (no costs: not investable).</summary>
    public static EquityCurve Index(string name, double[] levels, TradingCalendar calendar, int start, int end, double cash)
    {
        int n = end - start;
        var equity = new double[n];
        var returns = new double[n];
        double first = levels[start];
        for (int i = 0; i < n; i++)
        {
            equity[i] = cash * levels[start + i] / first;
            returns[i] = i == 0 ? 0 : equity[i] / equity[i - 1] - 1;
        }

        return new EquityCurve(name, calendar.Dates[start..end].ToArray(), equity, returns, 0, 0);
    }

    private static EquityCurve Simulate(string name, MarketPanel panel, int start, int end, double cash, double costRate,
        RebalanceFrequency frequency)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(costRate);
        if (start < 0 || end > panel.DateCount || end - start < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(end), $"[{start}, {end}) is not a non-empty range of {panel.DateCount} dates.");
        }

        int n = end - start, k = panel.TickerCount;
        var close = panel.Column(PriceField.Close);
        var last = new double[k];
        var shares = new double[k];
        var equity = new double[n];
        var returns = new double[n];
        double cashLeft = cash, costs = 0, turnover = 0, prevValue = cash;
        for (int i = 0; i < n; i++)
        {
            int t = start + i;
            for (int j = 0; j < k; j++)
            {
                double c = close[j * panel.DateCount + t];
                if (c > 0) last[j] = c;
            }

            double value = cashLeft;
            for (int j = 0; j < k; j++) value += shares[j] * last[j];
            if (i == 0 || IsRebalanceDay(panel.Calendar, t, frequency))
            {
                // Target equal weight over tickers with a price; cost is paid out of the portfolio so that
                // post-trade holdings plus cost equal the pre-trade value.
                int priced = 0;
                for (int j = 0; j < k; j++) if (last[j] > 0) priced++;
                if (priced > 0)
                {
                    double traded = TradeToEqual(shares, last, value, costRate, priced);
                    double cost = traded * costRate;
                    costs += cost;
                    turnover += traded / value;
                    cashLeft = value - cost;
                    for (int j = 0; j < k; j++) cashLeft -= shares[j] * last[j];
                    value -= cost;
                }
            }

            equity[i] = value;
            returns[i] = value / prevValue - 1;
            prevValue = value;
        }

        return new EquityCurve(name, panel.Calendar.Dates[start..end].ToArray(), equity, returns, costs, turnover);
    }

    /// <summary>Sets <paramref name="shares"/> to equal value per priced ticker; returns the traded value.</summary>
    private static double TradeToEqual(double[] shares, double[] price, double value, double costRate, int priced)
    {
        // Solve for the post-cost investable value V: V + costRate × Σ|V/n − h_j| = value, by fixed-point iteration
        // (a contraction for costRate < 1; converges to machine precision in a few steps).
        double v = value;
        for (int iter = 0; iter < 50; iter++)
        {
            double traded = 0;
            for (int j = 0; j < shares.Length; j++)
            {
                if (price[j] > 0) traded += Math.Abs(v / priced - shares[j] * price[j]);
            }

            double next = value - costRate * traded;
            if (Math.Abs(next - v) <= 1e-12 * value) break;
            v = next;
        }

        double total = 0;
        for (int j = 0; j < shares.Length; j++)
        {
            if (!(price[j] > 0)) continue;
            double target = v / priced / price[j];
            total += Math.Abs(target - shares[j]) * price[j];
            shares[j] = target;
        }

        return total;
    }

    /// <summary>
    /// True on the first bar of a new session (Daily), week, month or quarter: every bar of a daily calendar for Daily, the
    /// session's first bar of an intraday one.
    /// </summary>
    public static bool IsRebalanceDay(TradingCalendar calendar, int t, RebalanceFrequency frequency)
    {
        if (t == 0) return true;
        DateOnly d = calendar[t], p = calendar[t - 1];
        return frequency switch
        {
            RebalanceFrequency.Daily => d != p,
            RebalanceFrequency.Weekly => d.DayNumber / 7 != p.DayNumber / 7 || d.DayNumber - p.DayNumber >= 7,
            RebalanceFrequency.Monthly => d.Month != p.Month || d.Year != p.Year,
            RebalanceFrequency.Quarterly => (d.Month - 1) / 3 != (p.Month - 1) / 3 || d.Year != p.Year,
            _ => false,
        };
    }
}
