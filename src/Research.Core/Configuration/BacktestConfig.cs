using Research.Core.Backtesting;
using Research.Core.Backtesting.Costs;
using Research.Core.Backtesting.Strategies;
using Research.Core.Risk;

namespace Research.Core.Configuration;

/// <summary>
/// The <c>backtest</c> section: how <c>research run</c> takes strategies through the event-driven engine over the test
/// block: cash, fills, the cost model (always on), the risk manager and the model-driven strategy's sizing. Null turns
/// an optional limit off.
/// </summary>
public sealed record BacktestConfig
{
    /// <summary>Starting cash.</summary>
    public double InitialCash { get; init; } = 1_000_000;

    /// <summary>next-open (default) or same-close (optimistic, flagged).</summary>
    public FillTiming Fill { get; init; } = FillTiming.NextOpen;

    /// <summary>Largest fill as a fraction of the bar's volume.</summary>
    public double ParticipationCap { get; init; } = 0.1;

    /// <summary>Trade on dividend-adjusted prices when the data has an adjusted close.</summary>
    public bool DividendAdjusted { get; init; }

    /// <summary>Commission as a fraction of traded value (0 when <see cref="CommissionPerShare"/> is used).</summary>
    public double CommissionPct { get; init; } = 0.0005;

    /// <summary>Commission per share (instead of <see cref="CommissionPct"/>), e.g. 0.005.</summary>
    public double CommissionPerShare { get; init; }

    /// <summary>Minimum commission per fill with per-share commissions, e.g. 1.</summary>
    public double CommissionMinimum { get; init; }

    /// <summary>Half the bid-ask spread, basis points.</summary>
    public double HalfSpreadBps { get; init; } = 2;

    /// <summary>fixed-bps or volatility-scaled.</summary>
    public SlippageKind Slippage { get; init; } = SlippageKind.FixedBps;

    /// <summary>Fixed slippage, basis points (fixed-bps).</summary>
    public double SlippageBps { get; init; } = 1;

    /// <summary>Slippage in multiples of the daily volatility of returns (volatility-scaled).</summary>
    public double SlippageSigmas { get; init; } = 0.1;

    /// <summary>none, square-root or almgren-chriss.</summary>
    public ImpactKind Impact { get; init; } = ImpactKind.SquareRoot;

    /// <summary>Impact coefficient η (square-root, or Almgren–Chriss temporary).</summary>
    public double ImpactCoefficient { get; init; } = 0.1;

    /// <summary>Almgren–Chriss permanent coefficient γ.</summary>
    public double PermanentCoefficient { get; init; } = 0.05;

    /// <summary>Annual borrow fee on short market value.</summary>
    public double BorrowFeeAnnual { get; init; } = 0.005;

    /// <summary>Annual interest on positive cash.</summary>
    public double CashInterestAnnual { get; init; }

    /// <summary>Run with the risk manager.</summary>
    public bool Risk { get; init; } = true;

    /// <summary>Largest position as a fraction of equity.</summary>
    public double MaxPositionPct { get; init; } = 0.1;

    /// <summary>Largest gross exposure / equity.</summary>
    public double MaxLeverage { get; init; } = 1;

    /// <summary>Largest |net exposure| / equity.</summary>
    public double MaxNetExposure { get; init; } = 1;

    /// <summary>Largest order value in currency (null: off).</summary>
    public double? MaxOrderValue { get; init; }

    /// <summary>Largest order as a fraction of the average volume per bar.</summary>
    public double MaxAdvParticipation { get; init; } = 0.1;

    /// <summary>Largest |position| / max(gross exposure, equity) (null: off).</summary>
    public double? MaxConcentration { get; init; }

    /// <summary>Per-position stop-loss (fraction; null: off).</summary>
    public double? StopLoss { get; init; } = 0.15;

    /// <summary>Per-position take-profit (fraction; null: off).</summary>
    public double? TakeProfit { get; init; }

    /// <summary>Per-position trailing stop from the best close since entry (fraction; null: off).</summary>
    public double? TrailingStop { get; init; }

    /// <summary>Portfolio drawdown that trips the circuit breaker (null: off).</summary>
    public double? MaxDrawdown { get; init; } = 0.15;

    /// <summary>scale-down (default) or flatten-and-halt.</summary>
    public DrawdownAction DrawdownAction { get; init; } = DrawdownAction.ScaleDown;

    /// <summary>Annualised volatility the book is scaled to (null: off).</summary>
    public double? TargetVolatility { get; init; }

    /// <summary>Fraction of the Kelly bet the model-driven strategy uses.</summary>
    public double KellyFraction { get; init; } = 0.5;

    /// <summary>Largest Kelly weight of one position.</summary>
    public double KellyCap { get; init; } = 0.1;

    /// <summary>Quantile of the training block's turbulence above which exposure goes to zero (null: off).</summary>
    public double? TurbulenceQuantile { get; init; } = 0.99;

    /// <summary>Rebalancing of the model-driven strategy.</summary>
    public RebalanceFrequency ModelRebalance { get; init; } = RebalanceFrequency.Weekly;

    /// <summary>How the model-driven strategy sizes positions: kelly, top-k or proportional.</summary>
    public SignalSizing ModelSizing { get; init; } = SignalSizing.Kelly;

    /// <summary>Names held by top-k sizing.</summary>
    public int ModelTopK { get; init; } = 5;

    /// <summary>The cost model.</summary>
    public CostModel Costs() => new()
    {
        CommissionPct = CommissionPct, CommissionPerShare = CommissionPerShare, CommissionMinimum = CommissionMinimum,
        HalfSpreadBps = HalfSpreadBps, Slippage = Slippage, SlippageValue = Slippage == SlippageKind.FixedBps ? SlippageBps : SlippageSigmas,
        Impact = Impact, ImpactCoefficient = ImpactCoefficient, PermanentCoefficient = PermanentCoefficient,
        BorrowFeeAnnual = BorrowFeeAnnual, CashInterestAnnual = CashInterestAnnual,
    };

    /// <summary>The risk limits (null when the risk manager is off); <paramref name="turbulenceThreshold"/> from the features.</summary>
    public RiskLimits? Limits(double turbulenceThreshold) => Risk
        ? new RiskLimits
        {
            MaxPositionPct = MaxPositionPct, MaxLeverage = MaxLeverage, MaxNetExposure = MaxNetExposure,
            MaxOrderValue = MaxOrderValue ?? double.PositiveInfinity, MaxAdvParticipation = MaxAdvParticipation,
            MaxConcentration = MaxConcentration ?? double.PositiveInfinity,
            StopLoss = StopLoss ?? double.NaN, TakeProfit = TakeProfit ?? double.NaN, TrailingStop = TrailingStop ?? double.NaN,
            MaxDrawdown = MaxDrawdown ?? double.NaN, DrawdownAction = DrawdownAction, TargetVolatility = TargetVolatility ?? double.NaN,
            KellyFraction = KellyFraction, KellyCap = KellyCap, TurbulenceThreshold = turbulenceThreshold,
        }
        : null;

    internal void Validate(string at)
    {
        if (!(InitialCash > 0) || double.IsInfinity(InitialCash)) throw new ConfigException($"{at}.initialCash", $"must be a positive number, got {InitialCash}.");
        if (!(ParticipationCap > 0)) throw new ConfigException($"{at}.participationCap", $"must be positive, got {ParticipationCap}.");
        foreach (var (v, key) in new[]
                 {
                     (CommissionPct, "commissionPct"), (CommissionPerShare, "commissionPerShare"), (CommissionMinimum, "commissionMinimum"),
                     (HalfSpreadBps, "halfSpreadBps"), (SlippageBps, "slippageBps"), (SlippageSigmas, "slippageSigmas"), (ImpactCoefficient, "impactCoefficient"),
                     (PermanentCoefficient, "permanentCoefficient"), (BorrowFeeAnnual, "borrowFeeAnnual"), (CashInterestAnnual, "cashInterestAnnual"),
                 })
        {
            if (!(v >= 0) || double.IsInfinity(v)) throw new ConfigException($"{at}.{key}", $"must be a finite number ≥ 0 (costs are always on), got {v}.");
        }

        if (CommissionPct > 0 && CommissionPerShare > 0) throw new ConfigException($"{at}.commissionPerShare", "set commissionPct or commissionPerShare, not both.");
        foreach (var (v, key) in new[]
                 {
                     (MaxPositionPct, "maxPositionPct"), (MaxLeverage, "maxLeverage"), (MaxNetExposure, "maxNetExposure"), (MaxAdvParticipation, "maxAdvParticipation"),
                     (KellyFraction, "kellyFraction"), (KellyCap, "kellyCap"),
                 })
        {
            if (!(v > 0)) throw new ConfigException($"{at}.{key}", $"must be positive, got {v}.");
        }

        foreach (var (v, key) in new[]
                 {
                     (MaxOrderValue, "maxOrderValue"), (MaxConcentration, "maxConcentration"), (StopLoss, "stopLoss"), (TakeProfit, "takeProfit"),
                     (TrailingStop, "trailingStop"), (TargetVolatility, "targetVolatility"),
                 })
        {
            if (v is { } x && !(x > 0)) throw new ConfigException($"{at}.{key}", $"must be positive or null, got {x}.");
        }

        if (MaxDrawdown is { } d && !(d is > 0 and < 1)) throw new ConfigException($"{at}.maxDrawdown", $"must be in (0, 1) or null, got {d}.");
        if (TurbulenceQuantile is { } q && !(q is > 0 and <= 1)) throw new ConfigException($"{at}.turbulenceQuantile", $"must be in (0, 1] or null, got {q}.");
        if (ModelTopK < 1) throw new ConfigException($"{at}.modelTopK", $"must be ≥ 1, got {ModelTopK}.");
    }
}
