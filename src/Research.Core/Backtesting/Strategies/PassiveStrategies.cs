using Research.Core.Configuration;

namespace Research.Core.Backtesting.Strategies;

/// <summary>Buy equal dollar amounts of every ticker with a price on the first bar and hold.</summary>
public sealed class BuyAndHold : IStrategy
{
    private bool _done;

    /// <inheritdoc />
    public string Name => "buy-and-hold";

    /// <inheritdoc />
    public void OnBar(StrategyContext context)
    {
        if (_done) return;
        _done = true;
        context.TargetWeights(EqualWeight.Weights(context));
    }
}

/// <summary>Equal weights over the tickers with a price, rebalanced on the first bar of each period.</summary>
public sealed class EqualWeight(RebalanceFrequency frequency) : IStrategy
{
    /// <inheritdoc />
    public string Name => $"equal-weight-{frequency.ToString().ToLowerInvariant()}";

    /// <inheritdoc />
    public void OnBar(StrategyContext context)
    {
        if (context.Today != context.Start && !PassivePortfolios.IsRebalanceDay(context.Calendar, context.Today, frequency)) return;
        context.TargetWeights(Weights(context));
    }

    internal static double[] Weights(StrategyContext context)
    {
        var w = new double[context.Tickers.Count];
        int priced = 0;
        for (int k = 0; k < w.Length; k++) if (context.Close(k) > 0) priced++;
        for (int k = 0; k < w.Length; k++) w[k] = context.Close(k) > 0 ? 1.0 / priced : 0;
        return w;
    }
}
