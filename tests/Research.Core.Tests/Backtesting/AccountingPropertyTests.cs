using FsCheck;
using FsCheck.Xunit;
using Research.Core.Backtesting;
using Research.Core.Risk;

namespace Research.Core.Tests.Backtesting;

/// <summary>
/// Random price paths and random target-weight streams through the engine: cash and the accounting identities. That no
/// configured limit is exceeded is <c>Risk.RiskPropertyTests</c> (every limit at once, at random levels).
/// </summary>
public class AccountingPropertyTests
{
    private static BacktestResult RandomRun(int seed, bool allowShort, RiskLimits? limits)
    {
        var panel = Panels.Random(4, 120, seed);
        var rng = new Random(seed + 1);
        var strategy = new Scripted(c =>
        {
            if (rng.NextDouble() < 0.3) return;
            var w = new double[4];
            for (int k = 0; k < 4; k++) w[k] = (allowShort ? 2 * rng.NextDouble() - 1 : rng.NextDouble()) * 0.6;
            c.TargetWeights(w);
            if (rng.NextDouble() < 0.2) c.Submit(new Order(rng.Next(4), (rng.NextDouble() - 0.5) * 2000, OrderType.Limit, LimitPrice: c.Close(0)));
        });
        return Backtester.Run(panel, strategy, new BacktestOptions { InitialCash = 1e6, AllowShort = allowShort, Risk = limits });
    }

    [Property(MaxTest = 30)]
    public void Cash_never_goes_negative_without_margin(PositiveInt seed)
    {
        var r = RandomRun(seed.Get, allowShort: false, limits: null);
        Assert.All(r.Daily, d => Assert.True(d.Cash >= -1e-6, $"{d.Date}: cash {d.Cash}"));
        Assert.All(r.Checks, c => Assert.True(c.PositionValue >= -1e-9));
    }

    [Property(MaxTest = 30)]
    public void Accounting_identities_hold_every_day(PositiveInt seed, bool allowShort)
    {
        var r = RandomRun(seed.Get, allowShort, new RiskLimits { StopLoss = 0.05, MaxDrawdown = 0.2, DrawdownAction = DrawdownAction.ScaleDown });
        double previous = r.Options.InitialCash;
        foreach (var d in r.Daily)
        {
            // equity = cash + Σ position × price; Δequity = P&L − costs.
            Assert.True(Math.Abs(d.Equity - (d.Cash + d.NetExposure)) <= 1e-6, $"{d.Date}: equity {d.Equity} ≠ cash {d.Cash} + positions {d.NetExposure}");
            Assert.True(Math.Abs(d.Equity - previous - (d.Pnl - d.Costs)) <= 1e-6, $"{d.Date}: Δequity {d.Equity - previous} ≠ P&L {d.Pnl} − costs {d.Costs}");
            previous = d.Equity;
        }

        Assert.True(Math.Abs(r.Options.InitialCash + r.Daily.Sum(d => d.Pnl) - r.Daily.Sum(d => d.Costs) - r.Equity[^1]) <= 1e-4);
    }
}
