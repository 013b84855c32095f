using Research.Core.Configuration;
using Research.Core.Data;

namespace Research.Core.Backtesting.Strategies;

/// <summary>
/// Trades signals from a model (the forecaster's expected returns, or an RL policy's scores): on each rebalance day,
/// long positions in the tickers with a positive signal, each sized by the risk manager's fractional Kelly rule
/// (signal / variance of daily returns over the last 60 days, capped), scaled down to at most 100% invested. A signal
/// for date t must be known at t's close (the forecaster's prediction made with bars up to t).
/// </summary>
public sealed class ModelDriven : IStrategy
{
    private readonly double[] _signals;
    private readonly RebalanceFrequency _frequency;
    private readonly string _name;

    /// <summary>Creates the strategy; <paramref name="signals"/> is ticker-major (tickers × dates), NaN where there is none.</summary>
    public ModelDriven(string name, double[] signals, RebalanceFrequency frequency = RebalanceFrequency.Weekly)
    {
        _name = name;
        _signals = signals;
        _frequency = frequency;
    }

    /// <inheritdoc />
    public string Name => _name;

    /// <inheritdoc />
    public void OnBar(StrategyContext context)
    {
        if (context.Today != context.Start && !PassivePortfolios.IsRebalanceDay(context.Calendar, context.Today, _frequency)) return;
        int k = context.Tickers.Count, n = context.Calendar.Count;
        if (_signals.Length != k * n) throw new InvalidOperationException($"signals has {_signals.Length} values; expected {k} tickers × {n} dates.");
        var w = new double[k];
        double total = 0;
        for (int j = 0; j < k; j++)
        {
            double s = _signals[j * n + context.Today];
            if (!(s > 0)) continue;
            var c = context.History(PriceField.Close, j);
            double variance = Variance(c, 60);
            w[j] = double.IsNaN(variance) ? 0 : Math.Max(0, context.KellyWeight(s, variance));
            total += w[j];
        }

        if (total > 1) for (int j = 0; j < k; j++) w[j] /= total;
        context.TargetWeights(w, "model");
    }

    private static double Variance(ReadOnlySpan<double> close, int days)
    {
        if (close.Length <= days) return double.NaN;
        double s = 0, s2 = 0;
        int m = 0;
        for (int i = close.Length - days; i < close.Length; i++)
        {
            if (!(close[i] > 0 && close[i - 1] > 0)) continue;
            double r = close[i] / close[i - 1] - 1;
            s += r;
            s2 += r * r;
            m++;
        }

        return m > 1 ? (s2 - s * s / m) / (m - 1) : double.NaN;
    }
}
