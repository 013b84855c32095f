using Research.Core.Data;

namespace Research.Core.Backtesting.Strategies;

/// <summary>
/// Long-only SMA crossover on one ticker: buys <c>size</c> shares when the fast SMA of closes crosses above the slow one
/// (and no position is held), closes the whole position when it crosses below. Both SMAs use closes up to today.
/// </summary>
public sealed class SmaCross : IStrategy
{
    private readonly int _ticker, _fast, _slow;
    private readonly double _size;

    /// <summary>Creates the strategy; <paramref name="fast"/> must be shorter than <paramref name="slow"/>.</summary>
    public SmaCross(int ticker, int fast, int slow, double size)
    {
        if (fast < 1) throw new ArgumentOutOfRangeException(nameof(fast), fast, "fast must be ≥ 1.");
        if (slow <= fast) throw new ArgumentOutOfRangeException(nameof(slow), slow, $"slow ({slow}) must be longer than fast ({fast}).");
        if (!(size > 0)) throw new ArgumentOutOfRangeException(nameof(size), size, "size must be > 0.");
        (_ticker, _fast, _slow, _size) = (ticker, fast, slow, size);
    }

    /// <inheritdoc />
    public string Name => $"sma-cross-{_fast}-{_slow}";

    /// <inheritdoc />
    public void OnBar(StrategyContext context)
    {
        var close = context.History(PriceField.Close, _ticker);
        int t = close.Length - 1;
        if (t < _slow) return;
        double fastNow = Mean(close, t, _fast), slowNow = Mean(close, t, _slow);
        double fastPrev = Mean(close, t - 1, _fast), slowPrev = Mean(close, t - 1, _slow);
        if (double.IsNaN(fastNow + slowNow + fastPrev + slowPrev)) return;
        double held = context.Portfolio.Quantity(_ticker);
        if (fastPrev <= slowPrev && fastNow > slowNow && held == 0) context.Submit(new Order(_ticker, _size, Tag: "cross-above"));
        else if (fastPrev >= slowPrev && fastNow < slowNow && held > 0) context.Submit(new Order(_ticker, -held, Tag: "cross-below"));
    }

    private static double Mean(ReadOnlySpan<double> x, int t, int n)
    {
        double s = 0;
        for (int i = t - n + 1; i <= t; i++) s += x[i];
        return s / n;
    }
}
