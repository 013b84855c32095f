using Research.Core.Features;
using Research.Core.Features.Indicators;

namespace Research.Core.Tests.Features;

/// <summary>Small cases per family, computed by hand from TA-Lib's definitions.</summary>
public class HandComputedIndicatorTests
{
    private static readonly double[] X = [1, 2, 3, 4, 5, 6];

    private static double[] Run(Action<double[]> f, int n)
    {
        var o = new double[n];
        f(o);
        return o;
    }

    [Fact]
    public void Moving_averages()
    {
        Assert.Equal([double.NaN, double.NaN, 2, 3, 4, 5], Run(o => MovingAverages.Sma(X, o, 3), 6));
        // EMA(3): k = 0.5, seed = mean(1, 2, 3) = 2, then 3, 4, 5.
        Assert.Equal([double.NaN, double.NaN, 2, 3, 4, 5], Run(o => MovingAverages.Ema(X, o, 3), 6));
        // WMA(3) at 3: (1·1 + 2·2 + 3·3)/6 = 14/6.
        Assert.Equal(14.0 / 6, Run(o => MovingAverages.Wma(X, o, 3), 6)[2], 12);
        // TRIMA(4) weights 1,2,2,1 / 6 at index 3: (1 + 4 + 6 + 4)/6 = 2.5.
        Assert.Equal(2.5, Run(o => MovingAverages.Trima(X, o, 4), 6)[3], 12);
    }

    [Fact]
    public void Momentum_family()
    {
        double[] c = [10, 11, 10, 12, 12, 9];
        Assert.Equal([double.NaN, double.NaN, 0, 1, 2, -3], Run(o => Momentum.Mom(c, o, 2), 6));
        Assert.Equal((12.0 / 11 - 1) * 100, Run(o => Momentum.Roc(c, o, 2), 6)[3], 12); // 12/11 − 1
        // RSI(2): changes +1, −1 → gain 0.5, loss 0.5 → 50; then +2: gain (0.5 + 2)/2 = 1.25, loss 0.25 → 83.33…
        var rsi = Run(o => Momentum.Rsi(c, o, 2), 6);
        Assert.Equal(50, rsi[2], 12);
        Assert.Equal(100 * 1.25 / 1.5, rsi[3], 12);
        // Flat prices: no movement → 0, as TA-Lib.
        Assert.Equal(0, Run(o => Momentum.Rsi([5, 5, 5, 5], o, 2), 4)[3]);
    }

    [Fact]
    public void Volatility_and_volume()
    {
        double[] h = [11, 12, 13], l = [9, 10, 8], c = [10, 11, 12], v = [100, 200, 300];
        // True range at 1: max(12, 10) − min(10, 10) = 2; at 2: max(13, 11) − min(8, 11) = 5. ATR(2) at 2 = (2 + 5)/2.
        Assert.Equal([double.NaN, 2, 5], Run(o => Volatility.TRange(h, l, c, o), 3));
        Assert.Equal(3.5, Run(o => Volatility.Atr(h, l, c, o, 2), 3)[2], 12);
        // OBV starts at the first volume and adds on up closes.
        Assert.Equal([100, 300, 600], Run(o => VolumeIndicators.Obv(c, v, o), 3));
        // A/D: CLV = ((C − L) − (H − C))/(H − L): 0, 0, (4 − 1)/5 = 0.6 → 0 + 0 + 180.
        Assert.Equal(180, Run(o => VolumeIndicators.Ad(h, l, c, v, o), 3)[2], 12);
    }

    [Fact]
    public void Statistics_family()
    {
        // Population variance of 1..5 = 2; stddev × 2 = 2√2.
        Assert.Equal(2, Run(o => Statistics.Var(X, o, 5), 6)[4], 12);
        Assert.Equal(2 * Math.Sqrt(2), Run(o => Statistics.StdDev(X, o, 5, 2), 6)[4], 12);
        // A straight line: slope 1, forecast one step ahead.
        Assert.Equal(1, Run(o => Statistics.LinearReg(X, o, 4, Statistics.RegressionOutput.Slope), 6)[5], 12);
        Assert.Equal(45, Run(o => Statistics.LinearReg(X, o, 4, Statistics.RegressionOutput.Angle), 6)[5], 12);
        Assert.Equal(7, Run(o => Statistics.LinearReg(X, o, 4, Statistics.RegressionOutput.Forecast), 6)[5], 12);
        Assert.Equal(3, Run(o => Statistics.LinearReg(X, o, 4, Statistics.RegressionOutput.Intercept), 6)[5], 12);
        Assert.Equal(1, Run(o => Statistics.Correl(X, X.Select(x => 2 * x + 1).ToArray(), o, 4), 6)[5], 12);
    }

    [Fact]
    public void Bands_and_oscillators()
    {
        // BBANDS(3, 2, 2) at 2: mean 2, population sd √(2/3).
        var up = new double[6];
        var mid = new double[6];
        var lo = new double[6];
        OverlapStudies.Bbands(X, up, mid, lo, 3);
        Assert.Equal(2 + 2 * Math.Sqrt(2.0 / 3), up[2], 12);
        Assert.Equal(2 - 2 * Math.Sqrt(2.0 / 3), lo[2], 12);
        // Williams %R(3) at 2 with highs 3,4,5, lows 1,2,3, close 4: −100·(5 − 4)/(5 − 1) = −25.
        Assert.Equal(-25, Run(o => Momentum.Willr([3, 4, 5], [1, 2, 3], [2, 3, 4], o, 3), 3)[2], 12);
        // BOP: (C − O)/(H − L).
        Assert.Equal(0.5, Run(o => Momentum.Bop([10], [12], [8], [12], o), 1)[0], 12);
    }

    [Fact]
    public void Candlesticks_recognise_a_textbook_doji_and_engulfing()
    {
        // Ten ordinary candles (range 2, body 1), then a doji (open = close), then a bullish engulfing pair.
        var o = new List<double>();
        var h = new List<double>();
        var l = new List<double>();
        var c = new List<double>();
        for (int i = 0; i < 10; i++) { o.Add(10); h.Add(11); l.Add(9); c.Add(10.5); }
        o.Add(10); h.Add(11); l.Add(9); c.Add(10);          // doji at 10
        o.Add(10.6); h.Add(10.8); l.Add(9.8); c.Add(10.0);  // black at 11
        o.Add(9.9); h.Add(11); l.Add(9.8); c.Add(10.9);     // white engulfing at 12
        var doji = new double[13];
        Candlesticks.Recognize("CDLDOJI", o.ToArray(), h.ToArray(), l.ToArray(), c.ToArray(), doji);
        Assert.Equal(100, doji[10]);
        Assert.Equal(0, doji[12]);
        var engulfing = new double[13];
        Candlesticks.Recognize("CDLENGULFING", o.ToArray(), h.ToArray(), l.ToArray(), c.ToArray(), engulfing);
        Assert.Equal(100, engulfing[12]);
    }

    [Fact]
    public void Series_transforms()
    {
        var r = new double[3];
        SeriesTransforms.LogReturns([100, 110, 0], r);
        Assert.True(double.IsNaN(r[0]));
        Assert.Equal(Math.Log(1.1), r[1], 12);
        Assert.True(double.IsNaN(r[2]));
        var z = new double[4];
        SeriesTransforms.RollingZScore([1, 2, 3, 5], z, 3);
        Assert.Equal((5 - 10.0 / 3) / Math.Sqrt(((2 - 10.0 / 3) * (2 - 10.0 / 3) + (3 - 10.0 / 3) * (3 - 10.0 / 3) + (5 - 10.0 / 3) * (5 - 10.0 / 3)) / 2), z[3], 12);
    }
}
