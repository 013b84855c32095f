namespace Research.Core.Configuration;

/// <summary>How often a rebalanced portfolio trades back to its target weights.</summary>
public enum RebalanceFrequency
{
    /// <summary>Every trading day (on intraday bars, the first bar of each session).</summary>
    Daily,
    /// <summary>On the first trading day of each week.</summary>
    Weekly,
    /// <summary>On the first trading day of each month.</summary>
    Monthly,
    /// <summary>On the first trading day of each quarter.</summary>
    Quarterly,
    /// <summary>Never after the initial purchase.</summary>
    Never,
}

/// <summary>The <c>benchmarks</c> section: the passive portfolios every strategy is compared with.</summary>
public sealed record BenchmarkConfig
{
    /// <summary>Starting cash.</summary>
    public double InitialCash { get; init; } = 1_000_000;

    /// <summary>Rebalancing of the equal-weight portfolio.</summary>
    public RebalanceFrequency Rebalance { get; init; } = RebalanceFrequency.Monthly;

    /// <summary>Proportional cost per unit of traded value (commission plus half-spread), e.g. 0.001 = 10 bps.</summary>
    public double CostRate { get; init; } = 0.001;

    internal void Validate(string at)
    {
        if (!(InitialCash > 0)) throw new ConfigException($"{at}.initialCash", $"must be positive, got {InitialCash}.");
        if (!(CostRate >= 0 && CostRate < 0.1)) throw new ConfigException($"{at}.costRate", $"must be in [0, 0.1), got {CostRate}.");
    }
}
