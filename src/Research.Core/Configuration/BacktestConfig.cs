using Research.Core.Backtesting;
using Research.Core.Backtesting.Costs;
using Research.Core.Risk;

namespace Research.Core.Configuration;

/// <summary>
/// The <c>backtest</c> section: how <c>research run</c> takes strategies through the event-driven engine over the test
/// block: cash, fills, the cost model (always on) and the risk manager.
/// </summary>
public sealed record BacktestConfig
{
    /// <summary>Starting cash.</summary>
    public double InitialCash { get; init; } = 1_000_000;

    /// <summary>next-open (default) or same-close (optimistic, flagged).</summary>
    public FillTiming Fill { get; init; } = FillTiming.NextOpen;

    /// <summary>Largest fill as a fraction of the bar's volume.</summary>
    public double ParticipationCap { get; init; } = 0.1;

    /// <summary>Commission as a fraction of traded value.</summary>
    public double CommissionPct { get; init; } = 0.0005;

    /// <summary>Half the bid-ask spread, basis points.</summary>
    public double HalfSpreadBps { get; init; } = 2;

    /// <summary>Fixed slippage, basis points.</summary>
    public double SlippageBps { get; init; } = 1;

    /// <summary>Square-root market impact coefficient η.</summary>
    public double ImpactCoefficient { get; init; } = 0.1;

    /// <summary>Run with the risk manager.</summary>
    public bool Risk { get; init; } = true;

    /// <summary>Largest position as a fraction of equity.</summary>
    public double MaxPositionPct { get; init; } = 0.1;

    /// <summary>Per-position stop-loss (fraction; null: off).</summary>
    public double? StopLoss { get; init; } = 0.15;

    /// <summary>Portfolio drawdown that scales exposure down by half (null: off).</summary>
    public double? MaxDrawdown { get; init; } = 0.15;

    /// <summary>Quantile of the training block's turbulence above which exposure goes to zero (null: off).</summary>
    public double? TurbulenceQuantile { get; init; } = 0.99;

    /// <summary>Rebalancing of the model-driven strategy.</summary>
    public RebalanceFrequency ModelRebalance { get; init; } = RebalanceFrequency.Weekly;

    /// <summary>The cost model.</summary>
    public CostModel Costs() => new()
    {
        CommissionPct = CommissionPct, HalfSpreadBps = HalfSpreadBps, SlippageValue = SlippageBps, Impact = ImpactKind.SquareRoot,
        ImpactCoefficient = ImpactCoefficient,
    };

    /// <summary>The risk limits (null when the risk manager is off); <paramref name="turbulenceThreshold"/> from the features.</summary>
    public RiskLimits? Limits(double turbulenceThreshold) => Risk
        ? new RiskLimits
        {
            MaxPositionPct = MaxPositionPct, StopLoss = StopLoss ?? double.NaN, MaxDrawdown = MaxDrawdown ?? double.NaN,
            DrawdownAction = DrawdownAction.ScaleDown, TurbulenceThreshold = turbulenceThreshold,
        }
        : null;

    internal void Validate(string at)
    {
        if (!(InitialCash > 0)) throw new ConfigException($"{at}.initialCash", $"must be positive, got {InitialCash}.");
        if (!(ParticipationCap > 0)) throw new ConfigException($"{at}.participationCap", $"must be positive, got {ParticipationCap}.");
        foreach (var (v, key) in new[] { (CommissionPct, "commissionPct"), (HalfSpreadBps, "halfSpreadBps"), (SlippageBps, "slippageBps"), (ImpactCoefficient, "impactCoefficient") })
        {
            if (!(v >= 0)) throw new ConfigException($"{at}.{key}", $"must be ≥ 0 (costs are always on), got {v}.");
        }

        if (!(MaxPositionPct > 0)) throw new ConfigException($"{at}.maxPositionPct", $"must be positive, got {MaxPositionPct}.");
        if (StopLoss is { } s && !(s > 0)) throw new ConfigException($"{at}.stopLoss", $"must be positive or null, got {s}.");
        if (MaxDrawdown is { } d && !(d is > 0 and < 1)) throw new ConfigException($"{at}.maxDrawdown", $"must be in (0, 1) or null, got {d}.");
        if (TurbulenceQuantile is { } q && !(q is > 0 and <= 1)) throw new ConfigException($"{at}.turbulenceQuantile", $"must be in (0, 1] or null, got {q}.");
    }
}
