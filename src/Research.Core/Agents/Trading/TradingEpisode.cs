using Research.Core.Environments;
using Research.Core.Environments.Trading;

namespace Research.Core.Agents.Trading;

/// <summary>
/// One deterministic episode of an agent in a stock trading environment: the account value at each day's close (the
/// reset day first), the shares held after each day's trades and the actions taken.
/// </summary>
/// <param name="Dates">The environment's days.</param>
/// <param name="AccountValue">Total asset at each day's close (cash plus holdings), one per date.</param>
/// <param name="Holdings">Shares held at each day's close, date-major (<c>[day × tickers + ticker]</c>).</param>
/// <param name="Actions">The agent's action on each day it traded (clipped to [−1, 1]), date-major; the last day has none.</param>
/// <param name="Tickers">The tickers, in the environment's order.</param>
public sealed record TradingEpisode(DateOnly[] Dates, double[] AccountValue, double[] Holdings, float[] Actions, string[] Tickers)
{
    /// <summary>Daily simple returns of the account value (one fewer than the dates).</summary>
    public double[] Returns()
    {
        var r = new double[AccountValue.Length - 1];
        for (int i = 0; i < r.Length; i++) r[i] = AccountValue[i + 1] / AccountValue[i] - 1;
        return r;
    }

    /// <summary>
    /// Per-period Sharpe ratio of the daily returns (mean / standard deviation, ddof 1, no risk-free rate), 0 when
    /// they do not vary (an agent that never trades), as FinRL's ensemble scores validation windows.
    /// </summary>
    public double Sharpe()
    {
        var r = Returns();
        if (r.Length < 2) return 0;
        double mean = r.Average(), ss = 0;
        foreach (var x in r) ss += (x - mean) * (x - mean);
        double sd = Math.Sqrt(ss / (r.Length - 1));
        return sd > 0 ? mean / sd : 0;
    }

    /// <summary>The Sharpe ratio annualised with √<paramref name="periodsPerYear"/> (√252 for daily bars).</summary>
    public double AnnualSharpe(double periodsPerYear = 252) => Sharpe() * Math.Sqrt(periodsPerYear);

    /// <summary>
    /// Runs <paramref name="agent"/> deterministically through one episode of <paramref name="env"/> from a reset
    /// (seed 0; the trading environments are deterministic).
    /// </summary>
    public static TradingEpisode Run(IAgent agent, StockTradingEnv env)
    {
        int n = env.ActionSize, days = env.Data.Days;
        var obs = new float[env.StateSize];
        var action = new float[n];
        var clipped = new float[n];
        var values = new List<double>(days);
        var holdings = new List<double>(days * n);
        var actions = new List<float>(days * n);
        var dates = new List<DateOnly>(days);
        env.Reset(0, obs);
        void Record()
        {
            dates.Add(env.Date);
            values.Add(env.TotalAsset);
            foreach (var h in env.Holdings) holdings.Add(h);
        }

        Record();
        var box = (BoxSpace)env.ActionSpace;
        while (true)
        {
            agent.Predict(obs, action);
            box.ClipAction(action, clipped);
            var outcome = env.Step(action, obs);
            if (outcome.Done && env.Date == dates[^1]) break; // FinRL semantics: the terminal call trades nothing
            actions.AddRange(clipped);
            Record();
            if (outcome.Done) break;
        }

        return new TradingEpisode([.. dates], [.. values], [.. holdings], [.. actions], env.Data.Tickers);
    }
}
