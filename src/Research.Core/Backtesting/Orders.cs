namespace Research.Core.Backtesting;

/// <summary>How an order executes.</summary>
public enum OrderType
{
    /// <summary>At the fill price (next open, or the same close).</summary>
    Market,

    /// <summary>Buy at or below / sell at or above the limit price (costs included).</summary>
    Limit,

    /// <summary>Becomes a market order once the price trades through the stop.</summary>
    Stop,

    /// <summary>Becomes a limit order once the price trades through the stop.</summary>
    StopLimit,
}

/// <summary>When market orders submitted on bar t fill.</summary>
public enum FillTiming
{
    /// <summary>At bar t + 1's open (the default: no look-ahead).</summary>
    NextOpen,

    /// <summary>At bar t's own close, the price the strategy just saw: optimistic, flagged in reports.</summary>
    SameClose,
}

/// <summary>
/// An order for <see cref="Quantity"/> shares of ticker index <see cref="Ticker"/> (positive buys, negative sells).
/// Limit and stop orders rest until filled; market orders fill on the next fill opportunity, in part when the
/// participation cap binds (the rest stays working).
/// </summary>
public sealed record Order(int Ticker, double Quantity, OrderType Type = OrderType.Market, double LimitPrice = double.NaN,
    double StopPrice = double.NaN, string Tag = "")
{
    /// <summary>Sequence number assigned by the engine.</summary>
    public long Id { get; init; }
}

/// <summary>Costs of one fill (or a day's totals), in currency; spread, slippage and impact are already in the fill price.</summary>
public readonly record struct CostBreakdown(double Commission, double Spread, double Slippage, double Impact)
{
    /// <summary>Sum of the components.</summary>
    public double Total => Commission + Spread + Slippage + Impact;

    /// <summary>Component-wise sum.</summary>
    public static CostBreakdown operator +(CostBreakdown a, CostBreakdown b) =>
        new(a.Commission + b.Commission, a.Spread + b.Spread, a.Slippage + b.Slippage, a.Impact + b.Impact);
}

/// <summary>An execution: <see cref="Price"/> is what was paid per share, <see cref="Reference"/> the bar price before costs.</summary>
public sealed record Fill(DateOnly Date, int Ticker, string Symbol, double Quantity, double Price, double Reference, CostBreakdown Costs, long OrderId, string Tag)
{
    /// <summary>"buy" or "sell".</summary>
    public string Side => Quantity > 0 ? "buy" : "sell";

    /// <summary>Index of the bar in the panel's calendar the fill happened on (-1 when not known): on intraday bars, the instant.</summary>
    public int Bar { get; init; } = -1;
}

/// <summary>An order (or its rest) the engine or the risk manager refused, and why.</summary>
public sealed record Rejection(DateOnly Date, Order Order, string Reason);

/// <summary>A closed position (first in, first out): entry and exit dates and average prices, P&amp;L net of the fills' costs.</summary>
public sealed record RoundTrip(string Symbol, DateOnly Entry, DateOnly Exit, double Quantity, double EntryPrice, double ExitPrice, double Pnl, int HoldingDays);

/// <summary>One day of portfolio accounting at the close.</summary>
public readonly record struct DailyRecord(DateOnly Date, double Cash, double Equity, double GrossExposure, double NetExposure, double Turnover,
    double Pnl, double Costs, double RealizedPnl, double UnrealizedPnl);
