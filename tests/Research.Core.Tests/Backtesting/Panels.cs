using Research.Core.Data;

namespace Research.Core.Tests.Backtesting;

/// <summary>Small panels for backtests.</summary>
internal static class Panels
{
    public static TradingCalendar Days(int n) =>
        new(Enumerable.Range(0, n).Select(i => new DateOnly(2021, 1, 4).AddDays(i + 2 * (i / 5))).ToArray());

    /// <summary>One ticker with the given bars.</summary>
    public static MarketPanel One(double[] open, double[] high, double[] low, double[] close, double[] volume, double[]? adj = null) =>
        new(Days(close.Length), ["AAA"], open, high, low, close, volume, adj);

    /// <summary>A ticker whose open, high, low and close all equal <paramref name="price"/>, with ample volume.</summary>
    public static MarketPanel Flat(params double[] price) =>
        One(price, price, price, price, price.Select(_ => 1e9).ToArray());

    /// <summary>Random geometric paths for <paramref name="tickers"/> tickers.</summary>
    public static MarketPanel Random(int tickers, int dates, int seed, double vol = 0.02)
    {
        var rng = new Random(seed);
        var f = Enumerable.Range(0, 5).Select(_ => new double[tickers * dates]).ToArray();
        for (int k = 0; k < tickers; k++)
        {
            double p = 20 + 80 * rng.NextDouble();
            for (int t = 0; t < dates; t++)
            {
                int i = k * dates + t;
                double open = p * Math.Exp(vol / 2 * (rng.NextDouble() - 0.5));
                double close = open * Math.Exp(vol * 2 * (rng.NextDouble() - 0.5));
                f[0][i] = open;
                f[3][i] = close;
                f[1][i] = Math.Max(open, close) * (1 + 0.01 * rng.NextDouble());
                f[2][i] = Math.Min(open, close) * (1 - 0.01 * rng.NextDouble());
                f[4][i] = 1e5 + 1e6 * rng.NextDouble();
                p = close;
            }
        }

        return new MarketPanel(Days(dates), Enumerable.Range(0, tickers).Select(k => $"T{k}").ToArray(), f[0], f[1], f[2], f[3], f[4]);
    }
}

/// <summary>A strategy driven by a callback.</summary>
internal sealed class Scripted(Action<Research.Core.Backtesting.StrategyContext> onBar, string name = "scripted") : Research.Core.Backtesting.IStrategy
{
    public string Name => name;

    public void OnBar(Research.Core.Backtesting.StrategyContext context) => onBar(context);
}
