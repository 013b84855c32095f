using Research.Core.Backtesting;

namespace Research.Core.Environments.Trading;

/// <summary>Which episode rules a trading environment follows.</summary>
public enum EnvSemantics
{
    /// <summary>
    /// FinRL's StockTradingEnv to the bit: the step on the last day is a no-op that returns terminated with the previous
    /// reward repeated; the first step after a reset sees turbulence 0; a stock whose first indicator equals exactly 1 is
    /// not traded (FinRL's "disable" check); every buy attempt counts as a trade; cash arithmetic as written (a buy that
    /// leaves cash a hair below 0 lets the next floor division go to −1).
    /// </summary>
    FinRL,

    /// <summary>
    /// The same trading rules with Gymnasium's episode contract: the step that reaches the last day returns terminated;
    /// turbulence is the current day's from the first step; no disable check; buys never go below 0 shares; trades
    /// count executed fills only.
    /// </summary>
    Gymnasium,
}

/// <summary>Settings of the stock trading environment, with FinRL's StockTradingEnv defaults.</summary>
public sealed record TradingEnvConfig
{
    /// <summary>Starting cash (FinRL's <c>initial_amount</c>).</summary>
    public double InitialCash { get; init; } = 1_000_000;

    /// <summary>Largest trade per ticker per step, in shares (an action of ±1 trades this many).</summary>
    public int HMax { get; init; } = 100;

    /// <summary>Cost of buying, as a fraction of traded value (FinRL mode's proportional costs).</summary>
    public double BuyCostPct { get; init; } = 0.001;

    /// <summary>Cost of selling, as a fraction of traded value (FinRL mode's proportional costs).</summary>
    public double SellCostPct { get; init; } = 0.001;

    /// <summary>Reward = change in total asset × this.</summary>
    public double RewardScaling { get; init; } = 1e-4;

    /// <summary>At or above this risk-indicator value every holding is sold and nothing is bought (NaN: off).</summary>
    public double TurbulenceThreshold { get; init; } = double.NaN;

    /// <summary>Shares held at reset, per ticker (FinRL's <c>num_stock_shares</c>); null: none.</summary>
    public double[]? InitialShares { get; init; }

    /// <summary>Episode rules: FinRL's exactly, or Gymnasium's contract (see <see cref="EnvSemantics"/>).</summary>
    public EnvSemantics Semantics { get; init; } = EnvSemantics.FinRL;

    /// <summary>
    /// Backtest-grade execution: when set, trades fill at the day's close through the backtester's own order
    /// execution — its <see cref="Backtesting.Costs.CostModel"/> (commission, half-spread, slippage, impact from the
    /// trailing σ and ADV), participation cap, no-short and cash rules and <see cref="Risk.RiskManager"/> pre-trade
    /// limits — instead of FinRL's proportional costs. Its <see cref="BacktestOptions.InitialCash"/>, start, end and
    /// fill timing are ignored (the environment's own apply).
    /// </summary>
    public BacktestOptions? Execution { get; init; }

    /// <summary>Checks every setting; the message names the bad one.</summary>
    public TradingEnvConfig Validate()
    {
        if (!(InitialCash > 0) || double.IsInfinity(InitialCash)) throw new ArgumentOutOfRangeException(nameof(InitialCash), InitialCash, "InitialCash must be a positive number.");
        if (HMax < 1) throw new ArgumentOutOfRangeException(nameof(HMax), HMax, "HMax must be ≥ 1.");
        if (!(BuyCostPct >= 0 && BuyCostPct < 1)) throw new ArgumentOutOfRangeException(nameof(BuyCostPct), BuyCostPct, "BuyCostPct must be in [0, 1).");
        if (!(SellCostPct >= 0 && SellCostPct < 1)) throw new ArgumentOutOfRangeException(nameof(SellCostPct), SellCostPct, "SellCostPct must be in [0, 1).");
        if (!(RewardScaling > 0) || double.IsInfinity(RewardScaling)) throw new ArgumentOutOfRangeException(nameof(RewardScaling), RewardScaling, "RewardScaling must be a positive number.");
        if (double.IsInfinity(TurbulenceThreshold)) throw new ArgumentOutOfRangeException(nameof(TurbulenceThreshold), TurbulenceThreshold, "TurbulenceThreshold must be finite (NaN: off).");
        if (InitialShares is not null)
        {
            for (int i = 0; i < InitialShares.Length; i++)
            {
                if (!(InitialShares[i] >= 0) || double.IsInfinity(InitialShares[i])) throw new ArgumentOutOfRangeException(nameof(InitialShares), InitialShares[i], $"InitialShares[{i}] must be a finite number ≥ 0.");
            }
        }

        if (Execution is { } x)
        {
            x.Costs.Validate();
            x.Risk?.Validate();
            if (x.AllowShort) throw new ArgumentException("Execution.AllowShort: the trading environment holds long positions only (FinRL's rules).", nameof(Execution));
            if (x.Margin) throw new ArgumentException("Execution.Margin: the trading environment buys with cash only (FinRL's rules).", nameof(Execution));
        }

        return this;
    }
}
