using FsCheck;
using FsCheck.Xunit;
using Research.Core.Backtesting;
using Research.Core.Risk;

namespace Research.Core.Tests.Backtesting;

/// <summary>Random price paths and random target-weight streams through the engine with the risk manager on.</summary>
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
    public void No_configured_limit_is_exceeded_after_the_risk_checks(PositiveInt seed, bool allowShort)
    {
        var limits = new RiskLimits { MaxPositionPct = 0.3, MaxLeverage = 1.2, MaxNetExposure = 0.9, MaxOrderValue = 150_000, MaxAdvParticipation = 0.05 };
        var r = RandomRun(seed.Get, allowShort, limits);
        Assert.NotEmpty(r.Fills);
        const double tolerance = 1e-6;
        foreach (var c in r.Checks)
        {
            Assert.True(Math.Abs(c.PositionValue) <= limits.MaxPositionPct * c.Equity * (1 + tolerance) || IsReducing(r, c), $"position {c.PositionValue:N0} > {limits.MaxPositionPct:P0} of {c.Equity:N0}");
            Assert.True(c.GrossExposure <= limits.MaxLeverage * c.Equity * (1 + tolerance) || IsReducing(r, c), $"gross {c.GrossExposure:N0} > leverage limit of {c.Equity:N0}");
            Assert.True(Math.Abs(c.NetExposure) <= limits.MaxNetExposure * c.Equity * (1 + tolerance) || IsReducing(r, c), $"net {c.NetExposure:N0}");
        }

        foreach (var f in r.Fills.Where(f => !IsExit(f)))
        {
            Assert.True(Math.Abs(f.Quantity * f.Reference) <= limits.MaxOrderValue * (1 + tolerance), $"order value {f.Quantity * f.Reference:N0}");
        }
    }

    private static bool IsExit(Fill f) => f.Tag is "stop-loss" or "take-profit" or "trailing-stop" or "drawdown-breaker";

    /// <summary>A fill that shrank |position| never adds risk (limits may already have been exceeded by price moves).</summary>
    private static bool IsReducing(BacktestResult r, FillCheck c)
    {
        int i = r.Checks.ToList().IndexOf(c);
        var f = r.Fills[i];
        return Math.Abs(c.PositionValue) < Math.Abs(c.PositionValue - f.Quantity * f.Reference) + 1e-6;
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
