using Research.Core.Configuration;

namespace Research.Core.Backtesting.Strategies;

/// <summary>
/// A model's signals for the backtest stage: a ticker-major matrix over the panel (tickers × dates, NaN where there is
/// none; the value at date t known at t's close), how to size them, and how often to rebalance. A model stage that runs
/// before the backtest stage adds one to <c>RunContext.SignalSources</c> to have it traded.
/// </summary>
public sealed record SignalSource(string Name, double[] Signals, SignalSizing Sizing = SignalSizing.Kelly, RebalanceFrequency Rebalance = RebalanceFrequency.Weekly, int TopK = 5)
{
    /// <summary>The strategy trading these signals.</summary>
    public ModelDriven ToStrategy() => new(Name, Signals, Rebalance, Sizing, TopK);
}
