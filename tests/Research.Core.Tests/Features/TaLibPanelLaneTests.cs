using Research.Core.Configuration;
using Research.Core.Data;
using Research.Core.Features;
using Research.Core.Features.Catalog;

namespace Research.Core.Tests.Features;

/// <summary>
/// TA-Lib's core set through the panel entry point (recursive indicators four tickers per vector lane) against the
/// per-ticker kernels, bit for bit: over the embedded 31-ticker panel as the benchmark loads it (7 groups and a padded
/// one), and over a modified panel with tickers whose leading bars are NaN, a ticker whose bars hold still (zero
/// ranges and moves), a ticker with a zero low (WILLR's and STOCH's group then goes ticker by ticker), non-default
/// periods, and series too short for some indicators' lookbacks.
/// </summary>
public class TaLibPanelLaneTests
{
    /// <summary>The benchmark's core set (FeatureBenchmarks.CoreSet): 28 indicators, 34 outputs.</summary>
    private static readonly string[] CoreSet =
    [
        "SMA(period=30)", "SMA(period=60)", "EMA(period=30)", "MACD", "BBANDS(period=20)", "RSI(period=14)", "RSI(period=30)",
        "CCI(period=30)", "DX(period=30)", "ADX", "ATR", "STOCH", "WILLR", "MFI", "OBV", "AD", "ADOSC", "ROC", "MOM", "TRIX",
        "ULTOSC", "AROON", "SAR", "KAMA", "T3", "STDDEV", "LINEARREG", "CORREL",
    ];

    /// <summary>Non-default parameters of the indicators with lane kernels (shortest periods, unsorted ULTOSC periods).</summary>
    private static readonly string[] Variants =
    [
        "RSI(period=2)", "ATR(period=1)", "MFI(period=2)", "DX(period=2)", "ADX(period=2)", "ADX(period=30)",
        "ULTOSC(timeperiod1=28, timeperiod2=3, timeperiod3=10)", "ULTOSC(timeperiod1=1, timeperiod2=1, timeperiod3=1)",
        "EMA(period=2)", "MACD(fastperiod=26, slowperiod=12, signalperiod=1)", "TRIX(period=1)", "T3(period=2, vfactor=0.3)", "KAMA(period=2)",
        "WILLR(period=2)", "WILLR(period=30)", "STOCH(fastk_period=1, slowk_period=1, slowd_period=1)", "STOCH(fastk_period=14, slowk_period=5, slowd_period=2)",
        "STOCH(slowk_matype=1)", "AROON(period=2)", "AROON(period=40)", "SAR(acceleration=0.05, maximum=0.1)", "SAR(acceleration=0.3, maximum=0.2)",
    ];

    private static Ohlcv[] PanelBars()
    {
        var config = ConfigLoader.Load(Path.Combine(TestPaths.RepoRoot, "experiments", "default.json"));
        var panel = MarketDataLoader.Load(config.Data, null).Panel;
        return Enumerable.Range(0, panel.TickerCount).Select(k => Ohlcv.FromPanel(panel, k)).ToArray();
    }

    [Fact]
    public void Core_set_over_the_embedded_panel_equals_the_per_ticker_kernels()
    {
        var bars = PanelBars();
        Assert.Equal(31, bars.Length);
        AssertPanelEqualsPerTicker(bars, FeaturePipeline.Expand(CoreSet.Concat(Variants)).ToArray());
    }

    [Fact]
    public void Leading_NaN_flat_bars_and_a_ticker_count_not_divisible_by_four_equal_the_per_ticker_kernels()
    {
        var bars = PanelBars().Take(30).ToList();
        bars[3] = BarEdits.WithLeadingNaN(bars[3], 35);
        bars[17] = BarEdits.WithLeadingNaN(bars[17], 1);
        bars[5] = BarEdits.Flat(bars[5], 200, 300, holdVolume: true);
        bars[22] = BarEdits.Flat(bars[22], 0, 80, holdVolume: true);
        bars[9] = WithZeroLow(bars[9], 1000);
        AssertPanelEqualsPerTicker(bars, FeaturePipeline.Expand(CoreSet.Concat(Variants)).ToArray());
    }

    [Fact]
    public void Series_shorter_than_a_lookback_equal_the_per_ticker_kernels()
    {
        var bars = PanelBars().Take(6).Select(First40).ToArray();
        var specs = FeaturePipeline.Expand(["ADX", "DX(period=30)", "RSI(period=30)", "MFI(period=39)", "ATR(period=39)", "ULTOSC",
            "TRIX(period=14)", "T3", "MACD", "EMA(period=40)", "KAMA(period=39)", "WILLR(period=40)", "AROON(period=39)", "SAR", "STOCH(fastk_period=30, slowk_period=8, slowd_period=3)"]).ToArray();
        AssertPanelEqualsPerTicker(bars, specs);
    }

    private static void AssertPanelEqualsPerTicker(IReadOnlyList<Ohlcv> bars, IndicatorSpec[] specs)
    {
        var outputs = specs.Select(s => bars.Select(b => s.Definition.Outputs.Select(_ => new double[b.Length]).ToArray()).ToArray()).ToArray();
        FeaturePipeline.ComputeIndicators(bars, specs, outputs);
        for (int i = 0; i < specs.Length; i++)
        {
            for (int k = 0; k < bars.Count; k++)
            {
                var expected = specs[i].Definition.Compute(bars[k], specs[i].Parameters);
                for (int o = 0; o < expected.Length; o++)
                {
                    for (int t = 0; t < expected[o].Length; t++)
                    {
                        if (BitConverter.DoubleToInt64Bits(expected[o][t]) != BitConverter.DoubleToInt64Bits(outputs[i][k][o][t]))
                        {
                            Assert.Fail($"{specs[i].Label}, ticker {k}, output {o}, t = {t}: {expected[o][t]:R} vs {outputs[i][k][o][t]:R}");
                        }
                    }
                }
            }
        }
    }

    private static Ohlcv First40(Ohlcv b) =>
        Ohlcv.Of(b.Open[..40].ToArray(), b.High[..40].ToArray(), b.Low[..40].ToArray(), b.Close[..40].ToArray(), b.Volume[..40].ToArray());

    private static Ohlcv WithZeroLow(Ohlcv bars, int t)
    {
        var low = bars.Low.ToArray();
        low[t] = 0;
        return Ohlcv.Of(bars.Open.ToArray(), bars.High.ToArray(), low, bars.Close.ToArray(), bars.Volume.ToArray());
    }
}
