using Research.Core.Configuration;
using Research.Core.Data;

namespace Research.Core.Backtesting.Strategies;

/// <summary>
/// Long-only minimum-variance or mean-variance weights (FinRL's baselines), estimated from the last
/// <c>lookback</c> daily returns up to today and rebalanced each period. Weights solve min wᵀΣw (minimum variance) or
/// max wᵀμ − (λ/2) wᵀΣw (mean-variance) over the simplex (w ≥ 0, Σw = 1) by projected gradient steps.
/// </summary>
public sealed class MeanVariance : IStrategy
{
    private readonly int _lookback;
    private readonly double _riskAversion;
    private readonly RebalanceFrequency _frequency;
    private readonly bool _minimumVariance;

    private MeanVariance(bool minimumVariance, int lookback, double riskAversion, RebalanceFrequency frequency)
    {
        if (lookback < 20) throw new ArgumentOutOfRangeException(nameof(lookback), lookback, "lookback must be ≥ 20 days.");
        if (!(riskAversion > 0)) throw new ArgumentOutOfRangeException(nameof(riskAversion), riskAversion, "riskAversion must be > 0.");
        (_minimumVariance, _lookback, _riskAversion, _frequency) = (minimumVariance, lookback, riskAversion, frequency);
    }

    /// <summary>Minimum variance.</summary>
    public static MeanVariance MinimumVariance(int lookback = 252, RebalanceFrequency frequency = RebalanceFrequency.Monthly) =>
        new(true, lookback, 1, frequency);

    /// <summary>Mean-variance with risk aversion λ.</summary>
    public static MeanVariance MeanVarianceOptimal(int lookback = 252, double riskAversion = 10, RebalanceFrequency frequency = RebalanceFrequency.Monthly) =>
        new(false, lookback, riskAversion, frequency);

    /// <inheritdoc />
    public string Name => _minimumVariance ? "min-variance" : "mean-variance";

    /// <inheritdoc />
    public void OnBar(StrategyContext context)
    {
        if (context.Today != context.Start && !PassivePortfolios.IsRebalanceDay(context.Calendar, context.Today, _frequency)) return;
        if (context.Today < _lookback) return;
        int k = context.Tickers.Count;
        var usable = new List<int>();
        var returns = new List<double[]>();
        for (int j = 0; j < k; j++)
        {
            var c = context.History(PriceField.Close, j);
            var r = new double[_lookback];
            bool ok = true;
            for (int i = 0; i < _lookback && ok; i++)
            {
                double a = c[c.Length - _lookback - 1 + i], b = c[c.Length - _lookback + i];
                ok = a > 0 && b > 0;
                r[i] = ok ? b / a - 1 : 0;
            }

            if (!ok) continue;
            usable.Add(j);
            returns.Add(r);
        }

        var w = new double[k];
        if (usable.Count > 0)
        {
            var x = Solve(returns, _minimumVariance, _riskAversion);
            for (int i = 0; i < usable.Count; i++) w[usable[i]] = x[i];
        }

        context.TargetWeights(w);
    }

    /// <summary>Long-only optimal weights for the return samples (one array per asset).</summary>
    public static double[] Solve(IReadOnlyList<double[]> returns, bool minimumVariance, double riskAversion)
    {
        int m = returns.Count, n = returns[0].Length;
        var mu = returns.Select(r => r.Average()).ToArray();
        var cov = new double[m, m];
        for (int a = 0; a < m; a++)
        {
            for (int b = a; b < m; b++)
            {
                double s = 0;
                for (int t = 0; t < n; t++) s += (returns[a][t] - mu[a]) * (returns[b][t] - mu[b]);
                cov[a, b] = cov[b, a] = s / (n - 1);
            }
        }

        double trace = 0;
        for (int a = 0; a < m; a++) trace += cov[a, a];
        double step = 1 / (riskAversion * Math.Max(trace, 1e-12));
        var w = Enumerable.Repeat(1.0 / m, m).ToArray();
        var grad = new double[m];
        for (int iteration = 0; iteration < 500; iteration++)
        {
            for (int a = 0; a < m; a++)
            {
                double g = 0;
                for (int b = 0; b < m; b++) g += cov[a, b] * w[b];
                grad[a] = riskAversion * g - (minimumVariance ? 0 : mu[a]);
            }

            for (int a = 0; a < m; a++) w[a] -= step * grad[a];
            ProjectToSimplex(w);
        }

        return w;
    }

    /// <summary>Euclidean projection onto {w ≥ 0, Σw = 1}.</summary>
    public static void ProjectToSimplex(double[] w)
    {
        var u = w.OrderByDescending(x => x).ToArray();
        double cumulative = 0, theta = 0;
        for (int i = 0; i < u.Length; i++)
        {
            cumulative += u[i];
            double t = (cumulative - 1) / (i + 1);
            if (u[i] - t > 0) theta = t;
        }

        for (int i = 0; i < w.Length; i++) w[i] = Math.Max(0, w[i] - theta);
    }
}
