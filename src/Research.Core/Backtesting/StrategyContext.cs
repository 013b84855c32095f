using Research.Core.Data;

namespace Research.Core.Backtesting;

/// <summary>
/// What a strategy sees on bar <see cref="Today"/>: history up to and including today (never later), the portfolio,
/// and order entry. Target helpers cancel the ticker's working market orders and size from current holdings; target
/// weights pass through the risk manager's exposure scale.
/// </summary>
public sealed class StrategyContext
{
    private readonly Backtester _engine;

    internal StrategyContext(Backtester engine) => _engine = engine;

    /// <summary>Index of the current bar in the panel's calendar.</summary>
    public int Today => _engine.Today;

    /// <summary>Index of the backtest's first bar.</summary>
    public int Start => _engine.Options.Start;

    /// <summary>The current bar's date.</summary>
    public DateOnly Date => _engine.Panel.Calendar[Today];

    /// <summary>The panel's calendar.</summary>
    public TradingCalendar Calendar => _engine.Panel.Calendar;

    /// <summary>Ticker symbols.</summary>
    public IReadOnlyList<string> Tickers => _engine.Panel.Tickers;

    /// <summary>The portfolio (read it; trade through the methods below).</summary>
    public Portfolio Portfolio => _engine.Portfolio;

    /// <summary>Bars of <paramref name="field"/> for ticker <paramref name="ticker"/> from the panel's first date up to today.</summary>
    public ReadOnlySpan<double> History(PriceField field, int ticker) => _engine.Series(field, ticker)[..(Today + 1)];

    /// <summary>Today's close of <paramref name="ticker"/> (the last valid one when today's is missing).</summary>
    public double Close(int ticker) => _engine.Portfolio.Mark(ticker);

    /// <summary>The risk manager's current exposure multiplier (1 without one).</summary>
    public double ExposureScale => _engine.CurrentScale;

    /// <summary>Fractional Kelly weight (edge / variance × fraction, capped) under the risk manager's limits, or the default limits without one.</summary>
    public double KellyWeight(double edge, double variance) => (_engine.Risk ?? DefaultRisk).KellyWeight(edge, variance);

    private static readonly Risk.RiskManager DefaultRisk = new(new Risk.RiskLimits());

    /// <summary>Submits an order; it is risk-checked and filled at the next fill opportunity.</summary>
    public void Submit(Order order) => _engine.Submit(order);

    /// <summary>Cancels working orders of <paramref name="ticker"/> (all tickers when negative).</summary>
    public void Cancel(int ticker = -1) => _engine.Cancel(ticker);

    /// <summary>Orders shares so that ticker <paramref name="ticker"/>'s position becomes <paramref name="quantity"/>.</summary>
    public void TargetQuantity(int ticker, double quantity, string tag = "target-quantity")
    {
        _engine.Cancel(ticker);
        double delta = quantity - Portfolio.Quantity(ticker);
        if (_engine.Options.WholeShares) delta = Math.Truncate(delta);
        if (delta != 0) Submit(new Order(ticker, delta, Tag: tag));
    }

    /// <summary>
    /// Orders every ticker toward weight w × equity × the exposure scale at today's close (sells first, so their cash
    /// funds the buys); NaN weights leave a ticker alone.
    /// </summary>
    public void TargetWeights(ReadOnlySpan<double> weights, string tag = "rebalance")
    {
        if (weights.Length != Tickers.Count) throw new ArgumentException($"weights has {weights.Length} values; there are {Tickers.Count} tickers.", nameof(weights));
        double equity = Portfolio.Equity, scale = ExposureScale;
        Span<double> deltas = stackalloc double[weights.Length];
        for (int k = 0; k < weights.Length; k++)
        {
            double price = Close(k);
            if (double.IsNaN(weights[k]) || !(price > 0))
            {
                deltas[k] = 0;
                continue;
            }

            double d = weights[k] * scale * equity / price - Portfolio.Quantity(k);
            deltas[k] = _engine.Options.WholeShares ? Math.Truncate(d) : d;
        }

        for (int pass = 0; pass < 2; pass++)
        {
            for (int k = 0; k < weights.Length; k++)
            {
                if (deltas[k] == 0 || (pass == 0) != (deltas[k] < 0)) continue;
                _engine.Cancel(k);
                Submit(new Order(k, deltas[k], Tag: tag));
            }
        }
    }
}
