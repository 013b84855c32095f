namespace Research.Core.Environments.Allocation;

/// <summary>
/// Settings of <see cref="PortfolioAllocationEnv"/>. The defaults are FinRL mode: FinRL's <c>StockPortfolioEnv</c> with
/// the tutorial's initial amount, and no transaction costs (FinRL's environment takes a <c>transaction_cost_pct</c> but
/// never charges it). FinRL's <c>hmax</c> and <c>reward_scaling</c> are absent: its portfolio environment stores them
/// and uses neither.
/// </summary>
public sealed record PortfolioAllocationConfig
{
    /// <summary>FinRL mode: every setting at its default.</summary>
    public static PortfolioAllocationConfig FinRL { get; } = new();

    /// <summary>Portfolio value at the start of an episode (FinRL's <c>initial_amount</c>).</summary>
    public double InitialAmount { get; init; } = 1_000_000;

    /// <summary>
    /// Cost per unit of turnover, charged only when <see cref="ChargeTransactionCosts"/> is on (FinRL's
    /// <c>transaction_cost_pct</c>; 0.001 in its tutorials).
    /// </summary>
    public double TransactionCostPct { get; init; } = 0.001;

    /// <summary>
    /// Off (FinRL mode): the value evolves exactly as FinRL's, value × (1 + portfolio return). On: each rebalancing
    /// first pays <see cref="TransactionCostPct"/> × Σᵢ |w_new,ᵢ − w_drifted,ᵢ| × value, where w_drifted are the
    /// previous weights carried through the last day's price moves (the episode starts from FinRL's initial weights,
    /// 1/n each), and the rest earns the day's return: value' = (value − cost) × (1 + portfolio return).
    /// </summary>
    public bool ChargeTransactionCosts { get; init; }

    /// <summary>Checks every setting; the message names the bad one.</summary>
    public PortfolioAllocationConfig Validate()
    {
        if (!(InitialAmount > 0) || double.IsPositiveInfinity(InitialAmount))
        {
            throw new ArgumentOutOfRangeException(nameof(InitialAmount), InitialAmount, "InitialAmount must be positive and finite.");
        }

        // Turnover is at most 2, so a rate below 0.5 leaves the value positive.
        if (!(TransactionCostPct >= 0) || !(TransactionCostPct < 0.5))
        {
            throw new ArgumentOutOfRangeException(nameof(TransactionCostPct), TransactionCostPct, "TransactionCostPct must be in [0, 0.5).");
        }

        return this;
    }
}
