using System.Globalization;
using FsCheck;
using FsCheck.Xunit;
using Research.Core.Backtesting;
using Research.Core.Backtesting.Costs;

namespace Research.Core.Tests.Backtesting;

/// <summary>
/// Spread, slippage and impact never move a fill outside its bar: a buy is capped at the bar's high, a sell at its low,
/// and the cost breakdown charges the move actually applied.
/// </summary>
public class SlippageCapTests
{
    /// <summary>Half-spread 2 bps, slippage 10 bps, Almgren–Chriss impact 0.1 × Q / ADV (10 bps for 100 shares of ADV 10,000), commission 10 bps.</summary>
    private static readonly CostModel Costs = CostModel.Zero with
    {
        CommissionPct = 0.001, HalfSpreadBps = 2, SlippageValue = 10, Impact = ImpactKind.AlmgrenChriss, ImpactCoefficient = 0.1, PermanentCoefficient = 0,
    };

    /// <summary>Three flat bars at 20 (history for ADV), then <paramref name="bars"/> as (open, high, low, close); volume 10,000 throughout.</summary>
    private static Research.Core.Data.MarketPanel Bars(params (double Open, double High, double Low, double Close)[] bars)
    {
        var all = new[] { (20.0, 20.0, 20.0, 20.0), (20.0, 20.0, 20.0, 20.0), (20.0, 20.0, 20.0, 20.0) }.Concat(bars).ToArray();
        return Panels.One(all.Select(b => b.Item1).ToArray(), all.Select(b => b.Item2).ToArray(), all.Select(b => b.Item3).ToArray(),
            all.Select(b => b.Item4).ToArray(), all.Select(_ => 10_000.0).ToArray());
    }

    /// <summary>
    /// Asserts a 100-share fill of <see cref="Costs"/> capped at <paramref name="bound"/>: it fills exactly there, and the
    /// move actually applied, 100 × |bound − reference|, is split 2 : 10 : 10 across spread, slippage and impact (each
    /// component at the same fraction of its nominal size); the commission is 10 bps of the capped price.
    /// </summary>
    private static void AssertCapped(Fill fill, double bound, double reference)
    {
        double moved = 100 * Math.Abs(bound - reference);
        AssertFill(fill, bound, reference, 0.001 * 100 * bound, moved * 2 / 22, moved * 10 / 22, moved * 10 / 22);
    }

    /// <summary>Asserts one fill's price, reference and every cost component.</summary>
    private static void AssertFill(Fill fill, double price, double reference, double commission, double spread, double slippage, double impact)
    {
        Assert.Equal(price, fill.Price);
        Assert.Equal(reference, fill.Reference);
        AssertCosts(new CostBreakdown(commission, spread, slippage, impact), fill.Costs);
    }

    private static void AssertCosts(CostBreakdown expected, CostBreakdown actual)
    {
        Assert.Equal(expected.Commission, actual.Commission, 12);
        Assert.Equal(expected.Spread, actual.Spread, 12);
        Assert.Equal(expected.Slippage, actual.Slippage, 12);
        Assert.Equal(expected.Impact, actual.Impact, 12);
    }

    [Fact]
    public void Market_fills_are_capped_at_the_high_for_buys_and_the_low_for_sells()
    {
        // Bar 3 opens at 20 with a high of 20.02: the nominal move is 22 bps of 20 = 0.044 a share, the room 0.02, so the
        // buy fills at 20.02 and each component keeps 0.02 / 0.044 = 5/11 of itself: spread 0.4 → 2/11, slippage and
        // impact 2 → 10/11 each (together 2 = 100 × 0.02). Bar 4 mirrors it for the sell at the low 19.99.
        var panel = Bars((20, 20.02, 19.9, 20), (20, 20.1, 19.99, 20));
        var r = Backtester.Run(panel, new Scripted(c =>
        {
            if (c.Today == 2) c.Submit(new Order(0, 100));
            if (c.Today == 3) c.Submit(new Order(0, -100));
        }), new BacktestOptions { Costs = Costs });

        Assert.Equal(2, r.Fills.Count);
        AssertCapped(r.Fills[0], 20.02, 20);
        AssertCapped(r.Fills[1], 19.99, 20);
        Assert.Equal(panel.Calendar[3], r.Fills[0].Date);
        Assert.Equal(panel.Calendar[4], r.Fills[1].Date);
    }

    [Fact]
    public void A_fill_with_room_to_spare_keeps_its_full_costs()
    {
        // High 21: the buy moves the full 0.044 to 20.044; spread 0.4, slippage 2, impact 2 for 100 shares.
        var r = Backtester.Run(Bars((20, 21, 19, 20), (20, 20, 20, 20)), new Scripted(c => { if (c.Today == 2) c.Submit(new Order(0, 100)); }),
            new BacktestOptions { Costs = Costs });
        AssertFill(Assert.Single(r.Fills), 20.044, 20, 0.001 * 100 * 20.044, 0.4, 2, 2);
    }

    [Fact]
    public void Stop_and_limit_fills_are_capped_at_the_bar_too()
    {
        // Bar 3 (open 20, high 20.02, low 19.98): a limit buy at 25 and a limit sell at 15 fill at the open, moved 0.02 to
        // the high and to the low (5/11 of each component, as above). Bar 4 (open 20, high 21.01, low 18.99): a stop buy
        // at 21 and a stop sell at 19 trigger at their stops, with 0.01 of room of a nominal 22 bps × 21 = 0.0462
        // (× 19 = 0.0418): both fills move 1 in total for 100 shares, split 2 : 10 : 10 across spread, slippage and impact.
        var panel = Bars((20, 20.02, 19.98, 20), (20, 21.01, 18.99, 20), (20, 20, 20, 20));
        var r = Backtester.Run(panel, new Scripted(c =>
        {
            if (c.Today == 2)
            {
                c.Submit(new Order(0, 100, OrderType.Limit, LimitPrice: 25));
                c.Submit(new Order(0, -100, OrderType.Limit, LimitPrice: 15));
            }

            if (c.Today == 3)
            {
                c.Submit(new Order(0, 100, OrderType.Stop, StopPrice: 21));
                c.Submit(new Order(0, -100, OrderType.Stop, StopPrice: 19));
            }
        }), new BacktestOptions { Costs = Costs, AllowShort = true });

        Assert.Equal(4, r.Fills.Count);
        AssertCapped(r.Fills[0], 20.02, 20);
        AssertCapped(r.Fills[1], 19.98, 20);
        AssertCapped(r.Fills[2], 21.01, 21);
        AssertCapped(r.Fills[3], 18.99, 19);
    }

    [Fact]
    public void A_limit_order_never_fills_past_its_limit_after_costs()
    {
        // Bar 3 (open 20, high 20.02, low 19.98): a limit buy at 20.01 and a limit sell at 19.99 fill at the open, moved
        // only to their limits (0.01 a share, not the bar's 0.02). Bar 4 (open 20, high 20.6, low 19.4): a limit buy at
        // 19.5 and a limit sell at 20.5 fill at their limits, with no room left: commission only. Bar 5 (open 20, high 21.01,
        // low 19): a stop-limit buy (stop 21, limit 21.005) and sell (stop 19.2, limit 19.195) trigger at their stops and
        // move at most to their limits.
        var panel = Bars((20, 20.02, 19.98, 20), (20, 20.6, 19.4, 20), (20, 21.01, 19, 20), (20, 20, 20, 20));
        var r = Backtester.Run(panel, new Scripted(c =>
        {
            if (c.Today == 2)
            {
                c.Submit(new Order(0, 100, OrderType.Limit, LimitPrice: 20.01));
                c.Submit(new Order(0, -100, OrderType.Limit, LimitPrice: 19.99));
            }

            if (c.Today == 3)
            {
                c.Submit(new Order(0, 100, OrderType.Limit, LimitPrice: 19.5));
                c.Submit(new Order(0, -100, OrderType.Limit, LimitPrice: 20.5));
            }

            if (c.Today == 4)
            {
                c.Submit(new Order(0, 100, OrderType.StopLimit, LimitPrice: 21.005, StopPrice: 21));
                c.Submit(new Order(0, -100, OrderType.StopLimit, LimitPrice: 19.195, StopPrice: 19.2));
            }
        }), new BacktestOptions { Costs = Costs, AllowShort = true });

        Assert.Equal(6, r.Fills.Count);
        AssertCapped(r.Fills[0], 20.01, 20);
        AssertCapped(r.Fills[1], 19.99, 20);
        AssertFill(r.Fills[2], 19.5, 19.5, 0.001 * 100 * 19.5, 0, 0, 0);
        AssertFill(r.Fills[3], 20.5, 20.5, 0.001 * 100 * 20.5, 0, 0, 0);
        AssertCapped(r.Fills[4], 21.005, 21);
        AssertCapped(r.Fills[5], 19.195, 19.2);
        Assert.Equal([3, 3, 4, 4, 5, 5], r.Fills.Select(f => panel.Calendar.IndexOf(f.Date)).ToArray());
    }

    [Fact]
    public void Same_close_fills_are_capped_at_the_bar_of_the_close()
    {
        // Bar 3 closes at its high 20.5: a same-close buy there cannot move at all (no spread, slippage or impact charged).
        var r = Backtester.Run(Bars((20, 20.5, 19.5, 20.5), (20, 20, 20, 20)), new Scripted(c => { if (c.Today == 3) c.Submit(new Order(0, 100)); }),
            new BacktestOptions { Costs = Costs, Fill = FillTiming.SameClose });
        AssertFill(Assert.Single(r.Fills), 20.5, 20.5, 0.001 * 100 * 20.5, 0, 0, 0);
    }

    [Fact]
    public void The_cost_model_caps_the_move_and_scales_every_component_alike()
    {
        // Reference 50, σ 0.02, 1,000 of ADV 100,000: spread 0.025, slippage 0.05, square-root impact 50 × 0.1 × 0.02 × 0.1 = 0.01.
        var model = new CostModel { CommissionPct = 0, CommissionPerShare = 0.005, CommissionMinimum = 1, HalfSpreadBps = 5, SlippageValue = 10, ImpactCoefficient = 0.1 };
        double free = model.Price(1000, 50, 0.02, 100_000, out var nominal);
        Assert.Equal(50.085, free, 12);
        Assert.Equal(free, model.Price(1000, 50, 0.02, 100_000, 49, 51, out var roomy));
        Assert.Equal(nominal, roomy);

        // Room 0.017 of the nominal 0.085: every component keeps a fifth of itself; the commission is per share (5).
        Assert.Equal(50.017, model.Price(1000, 50, 0.02, 100_000, 49, 50.017, out var buy));
        double moved = 1000 * (50.017 - 50); // 17 in decimals; the binary difference is what was applied
        AssertCosts(new CostBreakdown(5, moved * 25 / 85, moved * 50 / 85, moved * 10 / 85), buy);
        Assert.Equal(49.983, model.Price(-1000, 50, 0.02, 100_000, 49.983, 51, out var sell));
        moved = 1000 * (50 - 49.983);
        AssertCosts(new CostBreakdown(5, moved * 25 / 85, moved * 50 / 85, moved * 10 / 85), sell);

        // A reference at (or past) the bound fills at the reference with no move charged; a NaN bound does not cap.
        Assert.Equal(50, model.Price(1000, 50, 0.02, 100_000, 49, 50, out var none));
        Assert.Equal(new CostBreakdown(5, 0, 0, 0), none);
        Assert.Equal(50, model.Price(-1000, 50, 0.02, 100_000, 50.5, 51, out none));
        Assert.Equal(new CostBreakdown(5, 0, 0, 0), none);
        Assert.Equal(free, model.Price(1000, 50, 0.02, 100_000, double.NaN, double.NaN, out var uncapped));
        Assert.Equal(nominal, uncapped);
    }

    /// <summary>
    /// Random price paths, heavy random costs (so the cap binds often), random market, limit, stop and stop-limit orders and
    /// target weights, either fill timing: every fill's price is inside its bar's [low, high] (and a limit order's fill is
    /// never past its limit), the move from the reference is exactly what spread + slippage + impact charge, and the cap
    /// bound at least once.
    /// </summary>
    [Property(MaxTest = 40)]
    public void No_fill_is_ever_outside_its_bar(PositiveInt seed, bool sameClose, bool allowShort)
    {
        var panel = Panels.Random(3, 80, seed.Get, vol: 0.03);
        var rng = new Random(seed.Get + 3);
        var costs = new CostModel
        {
            HalfSpreadBps = 50 * rng.NextDouble(),
            Slippage = rng.NextDouble() < 0.5 ? SlippageKind.FixedBps : SlippageKind.VolatilityScaled,
            SlippageValue = 20 + 200 * rng.NextDouble(),
            Impact = (ImpactKind)rng.Next(3),
            ImpactCoefficient = 5 * rng.NextDouble(),
        };
        costs = costs.Slippage == SlippageKind.VolatilityScaled ? costs with { SlippageValue = costs.SlippageValue / 100 } : costs;
        var strategy = new Scripted(c =>
        {
            if (rng.NextDouble() < 0.3)
            {
                var w = new double[3];
                for (int k = 0; k < 3; k++) w[k] = (allowShort ? 2 * rng.NextDouble() - 1 : rng.NextDouble()) * 0.5;
                c.TargetWeights(w);
            }

            for (int n = rng.Next(4); n > 0; n--)
            {
                int k = rng.Next(3);
                double p = c.Close(k);
                var type = (OrderType)rng.Next(4);
                double limit = p * (0.97 + 0.06 * rng.NextDouble());
                c.Submit(new Order(k, Math.Round((rng.NextDouble() - 0.45) * 4000), type, LimitPrice: limit, StopPrice: p * (0.97 + 0.06 * rng.NextDouble()),
                    Tag: type is OrderType.Limit or OrderType.StopLimit ? limit.ToString("R", CultureInfo.InvariantCulture) : "market-or-stop"));
            }
        });
        var r = Backtester.Run(panel, strategy, new BacktestOptions
        {
            InitialCash = 1e6, Start = 22, Costs = costs, AllowShort = allowShort, Fill = sameClose ? FillTiming.SameClose : FillTiming.NextOpen,
        });

        var low = panel.Column(Research.Core.Data.PriceField.Low);
        var high = panel.Column(Research.Core.Data.PriceField.High);
        int atBound = 0;
        Assert.NotEmpty(r.Fills);
        foreach (var f in r.Fills)
        {
            int i = f.Ticker * panel.DateCount + panel.Calendar.IndexOf(f.Date);
            Assert.True(f.Price >= low[i] && f.Price <= high[i], $"{f.Date} {f.Symbol} {f.Side} at {f.Price} outside [{low[i]}, {high[i]}]");
            double moved = Math.Abs(f.Price - f.Reference) * Math.Abs(f.Quantity), charged = f.Costs.Spread + f.Costs.Slippage + f.Costs.Impact;
            Assert.True(Math.Abs(moved - charged) <= 1e-9 * Math.Max(1, charged), $"moved {moved}, charged {charged}");
            if (double.TryParse(f.Tag, NumberStyles.Float, CultureInfo.InvariantCulture, out double limit))
            {
                Assert.True(f.Quantity > 0 ? f.Price <= limit : f.Price >= limit, $"{f.Date} {f.Symbol} limit {f.Side} at {limit} filled at {f.Price}");
            }

            if (f.Price == (f.Quantity > 0 ? high[i] : low[i]) && f.Price != f.Reference) atBound++;
        }

        Assert.True(atBound > 0, "the cap must bind in this test");
    }
}
