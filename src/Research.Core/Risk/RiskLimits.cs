namespace Research.Core.Risk;

/// <summary>What the drawdown circuit breaker does past its limit.</summary>
public enum DrawdownAction
{
    /// <summary>Close every position and accept no new risk for the rest of the backtest.</summary>
    FlattenAndHalt,

    /// <summary>Scale target exposure by <see cref="RiskLimits.DrawdownScale"/> until equity makes a new high.</summary>
    ScaleDown,
}

/// <summary>
/// Limits of the <see cref="RiskManager"/>. Fractions are of current equity unless stated; NaN or infinity switches a
/// rule off. Defaults suit a long-only cash account.
/// </summary>
public sealed record RiskLimits
{
    /// <summary>Largest |position value| / equity.</summary>
    public double MaxPositionPct { get; init; } = 0.25;

    /// <summary>Largest gross exposure / equity (leverage).</summary>
    public double MaxLeverage { get; init; } = 1.0;

    /// <summary>Largest |net exposure| / equity.</summary>
    public double MaxNetExposure { get; init; } = 1.0;

    /// <summary>Largest gross exposure in currency.</summary>
    public double MaxGrossValue { get; init; } = double.PositiveInfinity;

    /// <summary>Largest order value in currency.</summary>
    public double MaxOrderValue { get; init; } = double.PositiveInfinity;

    /// <summary>Largest order size / average volume per bar over the engine's statistics window (20 bars).</summary>
    public double MaxAdvParticipation { get; init; } = 0.1;

    /// <summary>Largest |position value| / gross exposure (applies once the book holds at least 1/this names' worth).</summary>
    public double MaxConcentration { get; init; } = double.PositiveInfinity;

    /// <summary>Exit a position whose loss from its average cost reaches this fraction.</summary>
    public double StopLoss { get; init; } = double.NaN;

    /// <summary>Exit a position whose gain from its average cost reaches this fraction.</summary>
    public double TakeProfit { get; init; } = double.NaN;

    /// <summary>Exit a position that falls this fraction from its best close since entry.</summary>
    public double TrailingStop { get; init; } = double.NaN;

    /// <summary>Portfolio drawdown from the equity peak that trips the circuit breaker.</summary>
    public double MaxDrawdown { get; init; } = double.NaN;

    /// <summary>What the breaker does.</summary>
    public DrawdownAction DrawdownAction { get; init; } = DrawdownAction.FlattenAndHalt;

    /// <summary>Exposure multiplier while scaled down.</summary>
    public double DrawdownScale { get; init; } = 0.5;

    /// <summary>Annualised volatility the book is scaled to (realised over <see cref="VolatilityLookback"/> days).</summary>
    public double TargetVolatility { get; init; } = double.NaN;

    /// <summary>Days of portfolio returns behind the realised volatility.</summary>
    public int VolatilityLookback { get; init; } = 20;

    /// <summary>Largest volatility-targeting multiplier.</summary>
    public double MaxVolatilityScale { get; init; } = 1.0;

    /// <summary>Fraction of the Kelly bet (edge / variance) used when sizing from a signal.</summary>
    public double KellyFraction { get; init; } = 0.5;

    /// <summary>Largest weight Kelly sizing gives one position.</summary>
    public double KellyCap { get; init; } = 0.1;

    /// <summary>Turbulence level above which target exposure goes to zero (FinRL's rule).</summary>
    public double TurbulenceThreshold { get; init; } = double.NaN;

    /// <summary>Checks every setting; the message names the bad one.</summary>
    public RiskLimits Validate()
    {
        foreach (var (v, name) in new[]
                 {
                     (MaxPositionPct, nameof(MaxPositionPct)), (MaxLeverage, nameof(MaxLeverage)), (MaxNetExposure, nameof(MaxNetExposure)),
                     (MaxGrossValue, nameof(MaxGrossValue)), (MaxOrderValue, nameof(MaxOrderValue)), (MaxAdvParticipation, nameof(MaxAdvParticipation)),
                     (MaxConcentration, nameof(MaxConcentration)), (DrawdownScale, nameof(DrawdownScale)), (MaxVolatilityScale, nameof(MaxVolatilityScale)),
                     (KellyFraction, nameof(KellyFraction)), (KellyCap, nameof(KellyCap)),
                 })
        {
            if (!(v > 0)) throw new ArgumentOutOfRangeException(name, v, $"{name} must be > 0 (infinity switches it off).");
        }

        foreach (var (v, name) in new[]
                 {
                     (StopLoss, nameof(StopLoss)), (TakeProfit, nameof(TakeProfit)), (TrailingStop, nameof(TrailingStop)), (MaxDrawdown, nameof(MaxDrawdown)),
                     (TargetVolatility, nameof(TargetVolatility)), (TurbulenceThreshold, nameof(TurbulenceThreshold)),
                 })
        {
            if (!double.IsNaN(v) && !(v > 0)) throw new ArgumentOutOfRangeException(name, v, $"{name} must be > 0 or NaN (off).");
        }

        if (VolatilityLookback < 2) throw new ArgumentOutOfRangeException(nameof(VolatilityLookback), VolatilityLookback, "VolatilityLookback must be ≥ 2.");
        return this;
    }
}
