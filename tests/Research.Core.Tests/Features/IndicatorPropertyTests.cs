using FsCheck;
using FsCheck.Xunit;
using Research.Core.Features.Catalog;
using Research.Core.Features.Indicators;

namespace Research.Core.Tests.Features;

/// <summary>Invariants over every indicator of the catalog: no look-ahead, ranges, constants, warm-up, bad input.</summary>
public class IndicatorPropertyTests
{
    [Property(MaxTest = 25)]
    public void Changing_inputs_after_day_t_leaves_every_output_up_to_t_unchanged(PositiveInt seed, PositiveInt cut)
    {
        var bars = RandomBars.Create(300, seed.Get);
        int t = cut.Get % 299;
        var changed = RandomBars.ChangeAfter(bars, t, seed.Get + 1);
        foreach (var d in IndicatorCatalog.All)
        {
            var a = d.Compute(bars);
            var b = d.Compute(changed);
            for (int k = 0; k < a.Length; k++)
            {
                for (int i = 0; i <= t; i++)
                {
                    Assert.True(a[k][i].Equals(b[k][i]), $"{d.Columns()[k]}[{i}] changed from {a[k][i]} to {b[k][i]} when only bars after {t} changed");
                }
            }
        }
    }

    [Theory]
    [InlineData("RSI", 0, 0, 100)]
    [InlineData("CMO", 0, -100, 100)]
    [InlineData("STOCH", 0, 0, 100)]
    [InlineData("STOCH", 1, 0, 100)]
    [InlineData("STOCHF", 0, 0, 100)]
    [InlineData("STOCHRSI", 0, 0, 100)]
    [InlineData("WILLR", 0, -100, 0)]
    [InlineData("MFI", 0, 0, 100)]
    [InlineData("AROON", 0, 0, 100)]
    [InlineData("AROON", 1, 0, 100)]
    [InlineData("AROONOSC", 0, -100, 100)]
    [InlineData("ULTOSC", 0, 0, 100)]
    [InlineData("BOP", 0, -1, 1)]
    [InlineData("ADX", 0, 0, 100)]
    [InlineData("DX", 0, 0, 100)]
    [InlineData("PLUS_DI", 0, 0, 100)]
    [InlineData("CORREL", 0, -1, 1)]
    [InlineData("HT_TRENDMODE", 0, 0, 1)]
    [InlineData("rsi_30", 0, 0, 100)]
    [InlineData("dx_30", 0, 0, 100)]
    public void Bounded_oscillators_stay_in_range(string name, int output, double min, double max)
    {
        for (int seed = 1; seed <= 5; seed++)
        {
            var values = IndicatorCatalog.Get(name).Compute(RandomBars.Create(600, seed))[output];
            Assert.All(values.Where(v => !double.IsNaN(v)), v => Assert.InRange(v, min - 1e-9, max + 1e-9));
            Assert.Contains(values, v => !double.IsNaN(v));
        }
    }

    [Theory]
    [InlineData("SMA")]
    [InlineData("EMA")]
    [InlineData("WMA")]
    [InlineData("DEMA")]
    [InlineData("TEMA")]
    [InlineData("TRIMA")]
    [InlineData("KAMA")]
    [InlineData("T3")]
    [InlineData("MIDPOINT")]
    [InlineData("LINEARREG")]
    [InlineData("TSF")]
    [InlineData("MAMA")]
    [InlineData("HT_TRENDLINE")]
    [InlineData("close_30_sma")]
    public void Averages_of_a_constant_are_that_constant(string name)
    {
        int n = 200;
        var flat = Enumerable.Repeat(42.5, n).ToArray();
        var bars = Ohlcv.Of(flat, flat, flat, flat, Enumerable.Repeat(1000.0, n).ToArray());
        var d = IndicatorCatalog.Get(name);
        var values = d.Compute(bars)[0];
        int lookback = d.Lookback();
        for (int i = 0; i < n; i++)
        {
            if (i < lookback) Assert.True(double.IsNaN(values[i]), $"{name}[{i}] should be NaN before the lookback {lookback}");
            // The Hilbert family warms up from zero state, so it reaches the constant only asymptotically.
            else if (name is "MAMA" or "HT_TRENDLINE") Assert.InRange(values[^1], 42.5 - 1e-6, 42.5 + 1e-6);
            else Assert.Equal(42.5, values[i], 10);
        }
    }

    [Fact]
    public void Every_indicator_warms_up_with_exactly_its_lookback()
    {
        var bars = RandomBars.Create(400, 7);
        foreach (var d in IndicatorCatalog.All)
        {
            var values = d.Compute(bars);
            int lookback = d.Lookback();
            foreach (var column in values)
            {
                Assert.True(column.Take(lookback).All(double.IsNaN), $"{d.Name}: a value before its lookback {lookback}");
                Assert.True(column.Skip(lookback).All(v => !double.IsNaN(v)), $"{d.Name}: NaN after its lookback {lookback}");
            }
        }
    }

    [Fact]
    public void Leading_NaN_bars_are_skipped_as_ta_lib_python_does()
    {
        var bars = RandomBars.Create(200, 3);
        var close = bars.Close.ToArray();
        for (int i = 0; i < 10; i++) close[i] = double.NaN;
        var padded = Ohlcv.Of(bars.Open.ToArray(), bars.High.ToArray(), bars.Low.ToArray(), close, bars.Volume.ToArray());
        var rsi = IndicatorCatalog.Get("RSI").Compute(padded)[0];
        var direct = IndicatorCatalog.Get("RSI").Compute(bars.Slice(10))[0];
        Assert.True(rsi.Take(24).All(double.IsNaN));
        Assert.Equal(direct, rsi.Skip(10).ToArray());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-3)]
    [InlineData(1)]
    public void A_period_below_the_minimum_names_the_parameter(int period)
    {
        var e = Assert.ThrowsAny<ArgumentException>(() => MovingAverages.Sma(new double[50], new double[50], period));
        Assert.Equal("period", e.ParamName);
        Assert.Contains($"got {period}", e.Message);
    }

    [Fact]
    public void A_period_longer_than_the_series_names_the_parameter()
    {
        var e = Assert.ThrowsAny<ArgumentException>(() => Momentum.Rsi(new double[10], new double[10], 14));
        Assert.Equal("period", e.ParamName);
        Assert.Contains("longer than the series", e.Message);
        var macd = Assert.ThrowsAny<ArgumentException>(() => Momentum.Macd(new double[20], new double[20], new double[20], new double[20], slow: 26));
        Assert.Equal("slow", macd.ParamName);
        var viaCatalog = Assert.ThrowsAny<ArgumentException>(() => IndicatorCatalog.Get("BBANDS").Compute(RandomBars.Create(30, 1), [0, 2, 2, 0]));
        Assert.Contains("BBANDS", viaCatalog.Message);
        Assert.Contains("period", viaCatalog.Message);
    }
}
