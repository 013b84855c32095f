namespace Research.Core.Environments;

/// <summary>Settings of <see cref="StockTradingEnv"/>, with FinRL's StockTradingEnv defaults.</summary>
public sealed record TradingEnvConfig
{
    /// <summary>Starting cash.</summary>
    public double InitialCash { get; init; } = 1_000_000;

    /// <summary>Largest trade per ticker per step, in shares (an action of ±1 trades this many).</summary>
    public int HMax { get; init; } = 100;

    /// <summary>Cost of buying, as a fraction of traded value.</summary>
    public double BuyCostPct { get; init; } = 0.001;

    /// <summary>Cost of selling, as a fraction of traded value.</summary>
    public double SellCostPct { get; init; } = 0.001;

    /// <summary>Reward = change in portfolio value × this.</summary>
    public double RewardScaling { get; init; } = 1e-4;

    /// <summary>At or above this turbulence every position is sold and buying stops for the day (NaN: off).</summary>
    public double TurbulenceThreshold { get; init; } = double.NaN;

    /// <summary>Checks every setting; the message names the bad one.</summary>
    public TradingEnvConfig Validate()
    {
        if (!(InitialCash > 0)) throw new ArgumentOutOfRangeException(nameof(InitialCash), InitialCash, "InitialCash must be positive.");
        if (HMax < 1) throw new ArgumentOutOfRangeException(nameof(HMax), HMax, "HMax must be ≥ 1.");
        if (!(BuyCostPct >= 0)) throw new ArgumentOutOfRangeException(nameof(BuyCostPct), BuyCostPct, "BuyCostPct must be ≥ 0.");
        if (!(SellCostPct >= 0)) throw new ArgumentOutOfRangeException(nameof(SellCostPct), SellCostPct, "SellCostPct must be ≥ 0.");
        if (!(RewardScaling > 0)) throw new ArgumentOutOfRangeException(nameof(RewardScaling), RewardScaling, "RewardScaling must be positive.");
        return this;
    }
}
