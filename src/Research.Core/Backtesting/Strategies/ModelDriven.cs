using Research.Core.Configuration;
using Research.Core.Data;

namespace Research.Core.Backtesting.Strategies;

/// <summary>How a model-driven strategy turns signals into long-only target weights.</summary>
public enum SignalSizing
{
    /// <summary>Each ticker with a positive signal at its fractional Kelly weight (signal / variance × fraction, capped).</summary>
    Kelly,

    /// <summary>Equal weights over the <c>k</c> tickers with the largest positive signals.</summary>
    TopK,

    /// <summary>Weights proportional to the positive signals, summing to 1.</summary>
    Proportional,
}

/// <summary>
/// Trades signals from a model (the forecaster's expected returns or probabilities, or an RL policy's scores): on each
/// rebalance day, long positions in tickers with a positive signal, sized by <see cref="SignalSizing"/> and scaled down
/// to at most 100% invested. A signal for date t must be known at t's close (a prediction made with bars up to t); the
/// strategy reads only today's column.
/// </summary>
public sealed class ModelDriven : IStrategy
{
    private readonly double[] _signals;
    private readonly RebalanceFrequency _frequency;
    private readonly SignalSizing _sizing;
    private readonly int _topK;
    private double[] _weights = [];
    private double[] _column = [];

    /// <summary>
    /// Creates the strategy; <paramref name="signals"/> is ticker-major (tickers × dates of the panel it runs on), NaN
    /// where there is none. Kelly sizing needs signals in units of daily expected return.
    /// </summary>
    public ModelDriven(string name, double[] signals, RebalanceFrequency frequency = RebalanceFrequency.Weekly, SignalSizing sizing = SignalSizing.Kelly, int topK = 5)
    {
        ArgumentNullException.ThrowIfNull(signals);
        if (string.IsNullOrWhiteSpace(name)) throw new ArgumentException("name must not be empty.", nameof(name));
        if (topK < 1) throw new ArgumentOutOfRangeException(nameof(topK), topK, "topK must be ≥ 1.");
        (Name, _signals, _frequency, _sizing, _topK) = (name, signals, frequency, sizing, topK);
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <inheritdoc />
    public void OnBar(StrategyContext context)
    {
        int k = context.Tickers.Count, n = context.Calendar.Count;
        if (_signals.Length != k * n) throw new ArgumentException($"signals has {_signals.Length} values; the panel has {k} tickers × {n} dates.", "signals");
        if (context.Today != context.Start && !PassivePortfolios.IsRebalanceDay(context.Calendar, context.Today, _frequency)) return;
        if (_weights.Length != k)
        {
            _weights = new double[k];
            _column = new double[k];
        }

        int t = context.Today;
        for (int j = 0; j < k; j++) _column[j] = _signals[j * n + t];
        Weights(_column, _sizing, _topK, j => ReturnVariance(context.History(PriceField.Close, j)), context.KellyWeight, _weights);
        context.TargetWeights(_weights, "model");
    }

    /// <summary>Days of close-to-close returns behind the variance that Kelly sizing divides by.</summary>
    public const int VarianceDays = 60;

    /// <summary>
    /// The rule <see cref="OnBar"/> trades by: long-only target weights <paramref name="weights"/> from one date's
    /// <paramref name="signals"/> (NaN: none). Kelly: each positive signal at <paramref name="kelly"/>(signal, variance)
    /// (0 where <paramref name="variance"/> of the ticker is NaN); top-k: equal weights on the k largest positive signals;
    /// proportional: weights proportional to the positive signals. Kelly weights are scaled down only when they sum past
    /// 1; the others are normalised to sum to 1.
    /// </summary>
    public static void Weights(ReadOnlySpan<double> signals, SignalSizing sizing, int topK, Func<int, double> variance,
        Func<double, double, double> kelly, Span<double> weights)
    {
        int k = signals.Length;
        if (weights.Length != k) throw new ArgumentException($"weights has {weights.Length} values; there are {k} signals.", nameof(weights));
        var w = weights;
        w.Clear();
        if (sizing == SignalSizing.TopK)
        {
            // The k largest positive signals, ties to the lower ticker index.
            for (int pick = 0; pick < topK; pick++)
            {
                int best = -1;
                for (int j = 0; j < k; j++)
                {
                    double s = signals[j];
                    if (s > 0 && w[j] == 0 && (best < 0 || s > signals[best])) best = j;
                }

                if (best < 0) break;
                w[best] = 1;
            }
        }
        else
        {
            for (int j = 0; j < k; j++)
            {
                double s = signals[j];
                if (!(s > 0)) continue;
                if (sizing == SignalSizing.Proportional) w[j] = s;
                else
                {
                    double v = variance(j);
                    w[j] = double.IsNaN(v) ? 0 : Math.Max(0, kelly(s, v));
                }
            }
        }

        double total = 0;
        foreach (var x in w) total += x;
        // Kelly weights stand as they are unless they sum past 100%; top-k and proportional weights are normalised.
        if (total > 1 || (sizing != SignalSizing.Kelly && total > 0)) for (int j = 0; j < k; j++) w[j] /= total;
    }

    /// <summary>Sample variance of the last <paramref name="days"/> simple daily returns of <paramref name="close"/> (NaN with too few closes).</summary>
    public static double ReturnVariance(ReadOnlySpan<double> close, int days = VarianceDays)
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
