using FsCheck;
using FsCheck.Xunit;
using Research.Core.Backtesting;
using Research.Core.Backtesting.Costs;
using Research.Core.Risk;
using Research.Core.Tests.Backtesting;

namespace Research.Core.Tests.Risk;

/// <summary>
/// Every pre-trade limit configured at once, at random levels, against random price paths and random order streams
/// (target weights, market, limit and stop orders, long-only and long-short, per-share commissions with a minimum):
/// after the checks no limit is exceeded by any fill that adds risk, and the execution limits hold for every fill.
/// </summary>
public class RiskPropertyTests
{
    private const double Tolerance = 1e-9;

    private static RiskLimits RandomLimits(Random rng) => new()
    {
        MaxPositionPct = 0.05 + 0.45 * rng.NextDouble(),
        MaxLeverage = 0.5 + 1.5 * rng.NextDouble(),
        MaxNetExposure = 0.3 + 1.2 * rng.NextDouble(),
        MaxGrossValue = 2e5 + 2e6 * rng.NextDouble(),
        MaxOrderValue = 2e4 + 3e5 * rng.NextDouble(),
        MaxAdvParticipation = 0.001 + 0.05 * rng.NextDouble(),
        MaxConcentration = 0.2 + 0.8 * rng.NextDouble(),
        StopLoss = rng.NextDouble() < 0.5 ? 0.03 + 0.1 * rng.NextDouble() : double.NaN,
        TrailingStop = rng.NextDouble() < 0.3 ? 0.05 + 0.1 * rng.NextDouble() : double.NaN,
    };

    private static BacktestResult RandomRun(int seed, bool allowShort, RiskLimits limits)
    {
        var panel = Panels.Random(5, 160, seed, vol: 0.03);
        var rng = new Random(seed + 7);
        var costs = rng.NextDouble() < 0.5
            ? new CostModel()
            : new CostModel { CommissionPct = 0, CommissionPerShare = 0.005, CommissionMinimum = 1, Impact = ImpactKind.AlmgrenChriss };
        var strategy = new Scripted(c =>
        {
            double u = rng.NextDouble();
            if (u < 0.35)
            {
                var w = new double[5];
                for (int k = 0; k < 5; k++) w[k] = (allowShort ? 2 * rng.NextDouble() - 1 : rng.NextDouble()) * 0.8;
                c.TargetWeights(w);
            }
            else if (u < 0.7)
            {
                int k = rng.Next(5);
                double quantity = Math.Round((rng.NextDouble() - 0.4) * 20_000);
                var type = (OrderType)rng.Next(4);
                double p = c.Close(k);
                c.Submit(new Order(k, quantity, type, LimitPrice: p * (0.97 + 0.06 * rng.NextDouble()), StopPrice: p * (0.97 + 0.06 * rng.NextDouble())));
            }
        });
        return Backtester.Run(panel, strategy, new BacktestOptions { InitialCash = 1e6, Start = 25, AllowShort = allowShort, Risk = limits, Costs = costs });
    }

    [Property(MaxTest = 40)]
    public void No_configured_limit_is_exceeded_by_a_fill(PositiveInt seed, bool allowShort)
    {
        var limits = RandomLimits(new Random(seed.Get));
        var r = RandomRun(seed.Get, allowShort, limits);
        Assert.Equal(r.Fills.Count, r.Checks.Count);
        Assert.NotEmpty(r.Fills);
        for (int i = 0; i < r.Fills.Count; i++)
        {
            var f = r.Fills[i];
            var c = r.Checks[i];
            string at = $"fill {i} ({f.Date}, {f.Symbol} {f.Quantity:N0} at {f.Reference:F2}, {f.Tag})";

            // Execution limits: every fill, exits included.
            Assert.True(Math.Abs(f.Quantity * f.Reference) <= limits.MaxOrderValue * (1 + Tolerance), $"{at}: order value above {limits.MaxOrderValue:N0}");
            Assert.True(Math.Abs(f.Quantity) <= limits.MaxAdvParticipation * c.Adv * (1 + Tolerance) + 1e-9, $"{at}: {Math.Abs(f.Quantity) / c.Adv:P3} of ADV");

            // Exposure limits: a fill that shrank its position is never blocked (exits always pass). Any other fill
            // leaves each measure within its limit, or no worse than before it (a limit already exceeded through price
            // moves or exits is not exceeded further: a buy that cuts a net short book's exposure may leave it above).
            double before = c.PositionValue - f.Quantity * f.Reference;
            if (Shrank(before, c.PositionValue)) continue;
            double grossBefore = c.GrossExposure - Math.Abs(c.PositionValue) + Math.Abs(before);
            double netBefore = c.NetExposure - f.Quantity * f.Reference;
            double equity = c.Equity * (1 + Tolerance);
            Assert.True(Math.Abs(c.PositionValue) <= limits.MaxPositionPct * equity, $"{at}: position {c.PositionValue:N0} above {limits.MaxPositionPct:P1} of {c.Equity:N0}");
            Assert.True(c.GrossExposure <= limits.MaxLeverage * equity || c.GrossExposure <= grossBefore, $"{at}: gross {c.GrossExposure:N0} above leverage {limits.MaxLeverage:F2} × {c.Equity:N0}");
            Assert.True(c.GrossExposure <= limits.MaxGrossValue * (1 + Tolerance) || c.GrossExposure <= grossBefore, $"{at}: gross {c.GrossExposure:N0} above {limits.MaxGrossValue:N0}");
            Assert.True(Math.Abs(c.NetExposure) <= limits.MaxNetExposure * equity || Math.Abs(c.NetExposure) <= Math.Abs(netBefore),
                $"{at}: net {c.NetExposure:N0} above {limits.MaxNetExposure:P1} of {c.Equity:N0} (before the fill {netBefore:N0})");
            Assert.True(Math.Abs(c.PositionValue) <= limits.MaxConcentration * Math.Max(c.GrossExposure, c.Equity) * (1 + Tolerance),
                $"{at}: position {c.PositionValue:N0} above {limits.MaxConcentration:P1} of max(gross {c.GrossExposure:N0}, equity {c.Equity:N0})");
        }

        Assert.All(r.Daily, d => Assert.True(d.Cash >= -1e-6, $"{d.Date}: cash {d.Cash} without margin"));
    }

    [Property(MaxTest = 200)]
    public void Approve_returns_a_part_of_the_order_that_keeps_every_limit(PositiveInt seed)
    {
        var rng = new Random(seed.Get);
        var limits = RandomLimits(rng);
        var book = new Book(rng);
        int k = rng.Next(book.Count);
        double price = book.Mark(k), adv = 1_000 + 100_000 * rng.NextDouble();
        double quantity = Math.Round((rng.NextDouble() - 0.5) * 10_000);
        if (quantity == 0) quantity = 1;
        var manager = new RiskManager(limits);
        double approved = manager.Approve(new DateOnly(2021, 1, 4), "T", k, quantity, price, adv, book);

        Assert.True(approved == 0 || Math.Sign(approved) == Math.Sign(quantity), $"approved {approved} for an order of {quantity}");
        Assert.True(Math.Abs(approved) <= Math.Abs(quantity));
        Assert.Equal(Math.Floor(Math.Abs(approved)), Math.Abs(approved));
        Assert.True(Math.Abs(approved * price) <= limits.MaxOrderValue * (1 + Tolerance));
        Assert.True(Math.Abs(approved) <= limits.MaxAdvParticipation * adv * (1 + Tolerance));
        if (Math.Abs(approved) < Math.Abs(quantity)) Assert.NotEmpty(manager.Interventions);

        // Exposure after the trade (no costs given): within every limit, unless the trade only shrank the position.
        double held = book.Quantity(k), after = held + approved;
        if (Shrank(held, after)) return;
        double position = Math.Abs(after) * price;
        double gross = book.GrossExposure - Math.Abs(held) * price + position;
        double net = book.NetExposure + approved * price;
        double equity = book.Equity * (1 + Tolerance);
        Assert.True(position <= limits.MaxPositionPct * equity, "position");
        Assert.True(gross <= limits.MaxLeverage * equity, "leverage");
        Assert.True(gross <= limits.MaxGrossValue * (1 + Tolerance), "gross value");
        Assert.True(Math.Abs(net) <= limits.MaxNetExposure * equity, "net exposure");
        Assert.True(position <= limits.MaxConcentration * Math.Max(gross, book.Equity) * (1 + Tolerance), "concentration");
    }

    /// <summary>True when a position went from <paramref name="before"/> to <paramref name="after"/> without growing or changing side.</summary>
    private static bool Shrank(double before, double after) =>
        Math.Abs(after) <= Math.Abs(before) && (after == 0 || Math.Sign(after) == Math.Sign(before));

    /// <summary>A random book: 6 tickers, long and short positions, cash that keeps equity positive.</summary>
    private sealed class Book : IPortfolioView
    {
        private readonly double[] _quantity = new double[6], _mark = new double[6];

        public Book(Random rng)
        {
            for (int k = 0; k < 6; k++)
            {
                _mark[k] = 10 + 190 * rng.NextDouble();
                _quantity[k] = rng.NextDouble() < 0.4 ? 0 : Math.Round((rng.NextDouble() - 0.3) * 2_000);
            }

            Cash = 200_000 + 800_000 * rng.NextDouble() - NetExposure;
        }

        public int Count => 6;

        public double Cash { get; }

        public double Equity => Cash + NetExposure;

        public double GrossExposure => Enumerable.Range(0, 6).Sum(k => Math.Abs(_quantity[k] * _mark[k]));

        public double NetExposure => Enumerable.Range(0, 6).Sum(k => _quantity[k] * _mark[k]);

        public double Quantity(int k) => _quantity[k];

        public double Mark(int k) => _mark[k];

        public double AverageCost(int k) => _mark[k];
    }
}
