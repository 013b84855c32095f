using Research.Core.Features.Catalog;

namespace Research.Core.Tests.Features;

/// <summary>Seeded random OHLCV bars: a geometric random walk with consistent high/low around open/close.</summary>
internal static class RandomBars
{
    public static Ohlcv Create(int n, int seed, double start = 100)
    {
        var rng = new Random(seed);
        var o = new double[n];
        var h = new double[n];
        var l = new double[n];
        var c = new double[n];
        var v = new double[n];
        double price = start;
        for (int t = 0; t < n; t++)
        {
            double open = price * (1 + 0.01 * (rng.NextDouble() - 0.5));
            double close = open * Math.Exp(0.02 * (rng.NextDouble() - 0.5));
            o[t] = Math.Round(open, 2);
            c[t] = Math.Round(close, 2);
            h[t] = Math.Round(Math.Max(open, close) * (1 + 0.01 * rng.NextDouble()), 2);
            l[t] = Math.Round(Math.Min(open, close) * (1 - 0.01 * rng.NextDouble()), 2);
            v[t] = Math.Round(1e6 * (0.5 + rng.NextDouble()));
            price = close;
        }

        return Ohlcv.Of(o, h, l, c, v);
    }

    /// <summary>A copy of <paramref name="bars"/> with every value after index <paramref name="t"/> replaced by a different random path.</summary>
    public static Ohlcv ChangeAfter(Ohlcv bars, int t, int seed)
    {
        var other = Create(bars.Length, seed, 50);
        double[] Mix(ReadOnlyMemory<double> a, ReadOnlyMemory<double> b)
        {
            var r = a.ToArray();
            for (int i = t + 1; i < r.Length; i++) r[i] = b.Span[i];
            return r;
        }

        return Ohlcv.Of(Mix(bars.Open, other.Open), Mix(bars.High, other.High), Mix(bars.Low, other.Low), Mix(bars.Close, other.Close), Mix(bars.Volume, other.Volume));
    }
}
