using BenchmarkDotNet.Attributes;
using Research.Core.Backtesting;
using Research.Core.Backtesting.Strategies;
using Research.Core.Configuration;
using Research.Core.Data;
using Research.Core.Risk;

namespace Research.Benchmarks;

/// <summary>
/// Daily backtests of the embedded 31-ticker panel (3,020 days = 93,620 bar-events), costs on, one thread: equal weight
/// rebalanced monthly with and without the risk manager, and rebalanced daily.
/// </summary>
[MemoryDiagnoser]
public class BacktestBenchmarks
{
    private MarketPanel _panel = null!;

    /// <summary>Bar-events per backtest (tickers × dates).</summary>
    public int BarEvents => _panel.TickerCount * _panel.DateCount;

    [GlobalSetup]
    public void Setup() =>
        _panel = MarketDataLoader.Load(ConfigLoader.Load(Path.Combine(RepoPaths.Root, "experiments", "default.json")).Data, null).Panel;

    [Benchmark(Description = "Equal weight, monthly rebalance, costs on (93,620 bar-events)")]
    public double EqualWeightMonthly() =>
        Backtester.Run(_panel, new EqualWeight(RebalanceFrequency.Monthly), new BacktestOptions { InitialCash = 1e7 }).Equity[^1];

    [Benchmark(Description = "Equal weight, monthly rebalance, costs and risk manager on")]
    public double EqualWeightMonthlyWithRisk() =>
        Backtester.Run(_panel, new EqualWeight(RebalanceFrequency.Monthly), new BacktestOptions { InitialCash = 1e7, Risk = new RiskLimits { StopLoss = 0.2, MaxDrawdown = 0.5 } }).Equity[^1];

    [Benchmark(Description = "Equal weight, daily rebalance, costs on")]
    public double EqualWeightDaily() =>
        Backtester.Run(_panel, new EqualWeight(RebalanceFrequency.Daily), new BacktestOptions { InitialCash = 1e7 }).Equity[^1];
}
