using Research.Core.Backtesting;
using Research.Core.Configuration;
using Research.Core.Data;

namespace Research.Core.Tests.Backtesting;

public class PassivePortfoliosTests
{
    // Two tickers over three days (Jan 31, Feb 3, Feb 4): A 10 → 11 → 11, B 20 → 20 → 22.
    private static MarketPanel Panel()
    {
        var cal = new TradingCalendar([new(2020, 1, 31), new(2020, 2, 3), new(2020, 2, 4)]);
        double[] close = [10, 11, 11, 20, 20, 22];
        return new MarketPanel(cal, ["A", "B"], close, close, close, close, [1, 1, 1, 1, 1, 1]);
    }

    [Fact]
    public void Buy_and_hold_without_costs_is_the_average_of_price_relatives()
    {
        var c = PassivePortfolios.BuyAndHold(Panel(), 0, 3, 1000, 0);
        // 500 in each: 50 A and 25 B. Day 1: 550 + 500 = 1050. Day 2: 550 + 550 = 1100.
        Assert.Equal(new[] { 1000d, 1050, 1100 }, c.Equity);
        Assert.Equal(0, c.Returns[0]);
        Assert.Equal(0.05, c.Returns[1], 12);
        Assert.Equal(1100.0 / 1050 - 1, c.Returns[2], 12);
    }

    [Fact]
    public void Costs_are_paid_on_traded_value_so_that_holdings_plus_cost_equal_value()
    {
        var c = PassivePortfolios.BuyAndHold(Panel(), 0, 1, 1000, 0.01);
        // Invest V with V + 0.01 V = 1000 → V = 990.099..., cost 9.90099...
        Assert.Equal(1000 / 1.01, c.Equity[0], 9);
        Assert.Equal(1000 - 1000 / 1.01, c.Costs, 9);
        Assert.Equal(-0.01 / 1.01, c.Returns[0], 12);
    }

    [Fact]
    public void Monthly_rebalance_trades_on_the_first_day_of_the_month()
    {
        var c = PassivePortfolios.EqualWeight(Panel(), 0, 3, 1000, 0, RebalanceFrequency.Monthly);
        // Feb 3 (first February day) rebalances 1050 to 525/525: A 47.727 sh, B 26.25 sh. Feb 4: 525 + 577.5 = 1102.5.
        Assert.Equal(1102.5, c.Equity[2], 9);
        Assert.Equal(1 + 50.0 / 1050, c.Turnover, 12); // initial 1000/1000 + |525-550| + |525-500| over 1050
    }

    [Fact]
    public void Rebalance_days()
    {
        var cal = new TradingCalendar([new(2020, 3, 27), new(2020, 3, 30), new(2020, 3, 31), new(2020, 4, 1)]);
        Assert.True(PassivePortfolios.IsRebalanceDay(cal, 1, RebalanceFrequency.Weekly));   // Monday
        Assert.False(PassivePortfolios.IsRebalanceDay(cal, 2, RebalanceFrequency.Weekly));
        Assert.True(PassivePortfolios.IsRebalanceDay(cal, 3, RebalanceFrequency.Monthly));
        Assert.True(PassivePortfolios.IsRebalanceDay(cal, 3, RebalanceFrequency.Quarterly));
        Assert.False(PassivePortfolios.IsRebalanceDay(cal, 2, RebalanceFrequency.Monthly));
        Assert.False(PassivePortfolios.IsRebalanceDay(cal, 3, RebalanceFrequency.Never));
    }
}
