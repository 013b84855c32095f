using Research.Core.Backtesting;
using Research.Core.Backtesting.Costs;

namespace Research.Core.Tests.Backtesting;

public class BacktesterTests
{
    private static readonly CostModel PctOnly = CostModel.Zero with { CommissionPct = 0.001, SlippageValue = 10 };

    [Fact]
    public void A_market_buy_fills_at_the_next_open_with_commission_and_slippage_computed_by_hand()
    {
        // Opens 10, 11, 12, 13, 14; closes 10.5, 11.5, 12.5, 13.5, 14.5. Buy 100 on bar 0, sell all on bar 2.
        var panel = Panels.One([10, 11, 12, 13, 14], [11, 12, 13, 14, 15], [9, 10, 11, 12, 13], [10.5, 11.5, 12.5, 13.5, 14.5], [1e6, 1e6, 1e6, 1e6, 1e6]);
        var strategy = new Scripted(c =>
        {
            if (c.Today == 0) c.Submit(new Order(0, 100));
            if (c.Today == 2) c.Submit(new Order(0, -100));
        });
        var r = Backtester.Run(panel, strategy, new BacktestOptions { InitialCash = 10_000, Costs = PctOnly });

        // Buy at bar 1's open 11 + 10 bps slippage = 11.011; commission 0.1% × 100 × 11.011 = 1.1011.
        var buy = r.Fills[0];
        Assert.Equal(panel.Calendar[1], buy.Date);
        Assert.Equal(11.011, buy.Price, 12);
        Assert.Equal(1.1011, buy.Costs.Commission, 12);
        Assert.Equal(1.1, buy.Costs.Slippage, 12); // 11 × 10 bps × 100 shares
        // Sell at bar 3's open 13 − 10 bps = 12.987; commission 1.2987.
        var sell = r.Fills[1];
        Assert.Equal(12.987, sell.Price, 12);
        Assert.Equal(1.2987, sell.Costs.Commission, 12);
        // Cash after: 10000 − 1101.1 − 1.1011 + 1298.7 − 1.2987.
        Assert.Equal(10_000 - 1101.1 - 1.1011 + 1298.7 - 1.2987, r.Daily[^1].Cash, 9);
        // Equity at bar 1's close: cash 8897.7989 + 100 × 11.5.
        Assert.Equal(10_000 - 1101.1 - 1.1011 + 1150, r.Equity[1], 9);
        var trip = Assert.Single(r.RoundTrips);
        Assert.Equal(100 * (12.987 - 11.011) - 1.1011 - 1.2987, trip.Pnl, 9);
        Assert.Equal(panel.Calendar[3].DayNumber - panel.Calendar[1].DayNumber, trip.HoldingDays);
        Assert.False(r.Optimistic);
    }

    [Fact]
    public void Same_close_fills_are_flagged_optimistic()
    {
        var panel = Panels.Flat(10, 10, 10);
        var r = Backtester.Run(panel, new Scripted(c => { if (c.Today == 0) c.Submit(new Order(0, 5)); }),
            new BacktestOptions { Fill = FillTiming.SameClose, Costs = CostModel.Zero });
        Assert.Equal(panel.Calendar[0], r.Fills[0].Date);
        Assert.True(r.Optimistic);
    }

    [Fact]
    public void Limit_and_stop_orders_fill_inside_the_bar_or_keep_working()
    {
        // Bar 1: open 10, high 12, low 9. Bar 2: open 8, high 8.5, low 7.
        var panel = Panels.One([10, 10, 8], [10, 12, 8.5], [10, 9, 7], [10, 11, 8], [1e6, 1e6, 1e6]);
        var r = Backtester.Run(panel, new Scripted(c =>
        {
            if (c.Today != 0) return;
            c.Submit(new Order(0, 1, OrderType.Limit, LimitPrice: 9.5));        // low 9 ≤ 9.5 → 9.5 on bar 1
            c.Submit(new Order(0, 1, OrderType.Stop, StopPrice: 11.5));         // high 12 ≥ 11.5 → 11.5 on bar 1
            c.Submit(new Order(0, 1, OrderType.Limit, LimitPrice: 8.2));        // bar 1 low 9: waits; bar 2 opens 8 ≤ 8.2 → 8
            c.Submit(new Order(0, 1, OrderType.StopLimit, LimitPrice: 11, StopPrice: 11.5)); // triggers at 11.5 > 11: rests as a limit, fills at bar 2's open 8
        }), new BacktestOptions { Costs = CostModel.Zero });
        Assert.Equal([9.5, 11.5, 8, 8], r.Fills.Select(f => f.Price).ToArray());
        Assert.Equal([1, 1, 2, 2], r.Fills.Select(f => Array.IndexOf(panel.Calendar.ToArray(), f.Date)).ToArray());
    }

    [Fact]
    public void The_participation_cap_fills_in_parts()
    {
        var volume = new double[] { 500, 500, 500, 500, 500 };
        var price = new double[] { 10, 10, 10, 10, 10 };
        var panel = Panels.One(price, price, price, price, volume);
        var r = Backtester.Run(panel, new Scripted(c => { if (c.Today == 0) c.Submit(new Order(0, 120)); }),
            new BacktestOptions { Costs = CostModel.Zero, ParticipationCap = 0.1 });
        Assert.Equal([50, 50, 20], r.Fills.Select(f => f.Quantity).ToArray());
    }

    [Fact]
    public void Rejections_carry_a_reason()
    {
        var panel = Panels.Flat(10, 10, 10);
        var r = Backtester.Run(panel, new Scripted(c =>
        {
            if (c.Today == 0) c.Submit(new Order(0, 200));   // needs 2,000 with 1,000 cash
            if (c.Today == 1) c.Submit(new Order(0, -500));  // sells more than held
            if (c.Today == 0) c.Submit(new Order(0, 1, OrderType.Limit));
        }), new BacktestOptions { InitialCash = 1000, Costs = CostModel.Zero });
        Assert.Contains(r.Rejections, x => x.Reason == "insufficient cash" && x.Order.Quantity == 100);
        Assert.Contains(r.Rejections, x => x.Reason.StartsWith("no short selling", StringComparison.Ordinal));
        Assert.Contains(r.Rejections, x => x.Reason.Contains("positive limit price", StringComparison.Ordinal));
        Assert.True(r.Daily.All(d => d.Cash >= 0));
    }

    [Fact]
    public void Cost_components_follow_their_formulas()
    {
        // Square root: P·η·σ·√(Q/ADV) per share; Almgren–Chriss: P·(η + γ/2)·Q/ADV; per-share commission with a minimum.
        var sqrt = new CostModel { CommissionPct = 0, CommissionPerShare = 0.005, CommissionMinimum = 1, HalfSpreadBps = 5, SlippageValue = 0, ImpactCoefficient = 0.1 };
        double price = sqrt.Price(1000, 50, 0.02, 100_000, out var c);
        Assert.Equal(50 * 5e-4 * 1000, c.Spread, 9);
        Assert.Equal(50 * 0.1 * 0.02 * Math.Sqrt(0.01) * 1000, c.Impact, 9);
        Assert.Equal(5, c.Commission, 12);
        Assert.Equal(50 + 50 * 5e-4 + 50 * 0.1 * 0.02 * 0.1, price, 12);
        sqrt.Price(10, 50, 0.02, 100_000, out var small);
        Assert.Equal(1, small.Commission); // the minimum
        var ac = new CostModel { CommissionPct = 0, HalfSpreadBps = 0, SlippageValue = 0, Impact = ImpactKind.AlmgrenChriss, ImpactCoefficient = 0.1, PermanentCoefficient = 0.2 };
        double sell = ac.Price(-2000, 20, 0.02, 10_000, out var acCost);
        Assert.Equal(20 - 20 * (0.1 + 0.1) * 0.2, sell, 12);
        Assert.Equal(20 * 0.2 * 0.2 * 2000, acCost.Impact, 9);
        var scaled = CostModel.Zero with { Slippage = SlippageKind.VolatilityScaled, SlippageValue = 0.5 };
        scaled.Price(100, 40, 0.03, 1e6, out var sc);
        Assert.Equal(40 * 0.5 * 0.03 * 100, sc.Slippage, 9);
    }

    [Fact]
    public void Borrow_fees_and_cash_interest_accrue_daily()
    {
        var panel = Panels.Flat(10, 10, 10, 10);
        var costs = CostModel.Zero with { BorrowFeeAnnual = 0.0252, CashInterestAnnual = 0.0252 };
        var r = Backtester.Run(panel, new Scripted(c => { if (c.Today == 0) c.Submit(new Order(0, -100)); }),
            new BacktestOptions { InitialCash = 10_000, Costs = costs, AllowShort = true });
        // Each close: the borrow fee (short value 1,000 × 0.0252 / 252 = 0.1 from bar 1 on), then 0.01% interest on the cash.
        double cash = 10_000, interest = 0;
        for (int t = 0; t < 4; t++)
        {
            if (t == 1) cash += 1_000;
            if (t >= 1) cash -= 0.1;
            interest += cash * 0.0001;
            cash += cash * 0.0001;
        }

        Assert.Equal(0.3, r.BorrowFees, 9);
        Assert.Equal(interest, r.Interest, 9);
        Assert.Equal(cash, r.Daily[^1].Cash, 9);
    }

    [Fact]
    public void Financing_scales_with_the_bars_per_year()
    {
        var panel = Panels.Flat(10, 10, 10, 10);
        var costs = CostModel.Zero with { BorrowFeeAnnual = 0.0252 };
        var r = Backtester.Run(panel, new Scripted(c => { if (c.Today == 0) c.Submit(new Order(0, -100)); }),
            new BacktestOptions { InitialCash = 10_000, Costs = costs, AllowShort = true, PeriodsPerYear = 504 });
        Assert.Equal(0.15, r.BorrowFees, 9); // half of the daily-bar fee per bar, over 3 bars
        Assert.Equal("PeriodsPerYear", Assert.ThrowsAny<ArgumentException>(() => Backtester.Run(panel, new Scripted(_ => { }), new BacktestOptions { PeriodsPerYear = 0 })).ParamName);
    }

    [Fact]
    public void Dividend_adjusted_prices_are_used_when_asked()
    {
        double[] p = [100, 100, 100];
        var panel = Panels.One(p, p, p, p, [1e6, 1e6, 1e6], adj: [98, 99, 100]);
        var r = Backtester.Run(panel, new Scripted(c => { if (c.Today == 0) c.Submit(new Order(0, 10)); }),
            new BacktestOptions { Costs = CostModel.Zero, DividendAdjusted = true });
        Assert.Equal(99, r.Fills[0].Price, 12);
        Assert.Equal(r.Daily[^1].Cash + 10 * 100, r.Equity[^1], 9);
    }

    [Fact]
    public void Bad_options_name_the_setting()
    {
        var panel = Panels.Flat(10, 10, 10);
        var strategy = new Scripted(_ => { });
        Assert.Equal("InitialCash", Assert.ThrowsAny<ArgumentException>(() => Backtester.Run(panel, strategy, new BacktestOptions { InitialCash = -1 })).ParamName);
        Assert.Equal("CommissionPct", Assert.ThrowsAny<ArgumentException>(() => Backtester.Run(panel, strategy, new BacktestOptions { Costs = new CostModel { CommissionPct = -0.1 } })).ParamName);
        Assert.Equal("End", Assert.ThrowsAny<ArgumentException>(() => Backtester.Run(panel, strategy, new BacktestOptions { Start = 2 })).ParamName);
    }

    [Fact]
    public void Impact_uses_the_volatility_and_average_volume_of_the_window_before_the_fill_bar()
    {
        // 40 bars; a buy of 3,000 on bar 30 fills at bar 31's open. σ and ADV come from bars 11..30 (the 20 before bar 31):
        // returns close[u] / close[u − 1] − 1 (sample standard deviation) and the mean of volume[u].
        var rng = new Random(5);
        var close = new double[40];
        var volume = new double[40];
        close[0] = 50;
        for (int t = 1; t < 40; t++) close[t] = close[t - 1] * (1 + 0.03 * (rng.NextDouble() - 0.5));
        for (int t = 0; t < 40; t++) volume[t] = 100_000 + 50_000 * rng.NextDouble();
        var open = close.Select(c => c * 1.001).ToArray();
        // Highs 1% above the open: room for the whole impact (fills are capped at the bar's high).
        var panel = Panels.One(open, open.Zip(close, (o, c) => Math.Max(o, c) * 1.01).ToArray(), open.Zip(close, Math.Min).ToArray(), close, volume);
        var costs = CostModel.Zero with { Impact = ImpactKind.SquareRoot, ImpactCoefficient = 0.5 };
        var r = Backtester.Run(panel, new Scripted(c => { if (c.Today == 30) c.Submit(new Order(0, 3000)); }),
            new BacktestOptions { InitialCash = 1e6, Costs = costs, Start = 25 });

        var returns = Enumerable.Range(11, 20).Select(u => close[u] / close[u - 1] - 1).ToArray();
        double mean = returns.Average();
        double sigma = Math.Sqrt(returns.Sum(x => (x - mean) * (x - mean)) / 19);
        double adv = Enumerable.Range(11, 20).Average(u => volume[u]);
        double perShare = open[31] * 0.5 * sigma * Math.Sqrt(3000 / adv);
        var fill = Assert.Single(r.Fills);
        Assert.Equal(panel.Calendar[31], fill.Date);
        Assert.Equal(perShare * 3000, fill.Costs.Impact, 9);
        Assert.Equal(open[31] + perShare, fill.Price, 12);
        Assert.Equal(0, fill.Costs.Commission);
    }
}
