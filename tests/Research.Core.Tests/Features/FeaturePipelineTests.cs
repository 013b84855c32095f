using Research.Core.Configuration;
using Research.Core.Data;
using Research.Core.Features;
using Research.Core.Features.Catalog;

namespace Research.Core.Tests.Features;

public class FeaturePipelineTests
{
    private static MarketPanel Panel(int tickers, int dates, int seed)
    {
        var cal = new TradingCalendar(Enumerable.Range(0, dates).Select(i => new DateOnly(2010, 1, 4).AddDays(i)).ToArray());
        var fields = Enumerable.Range(0, 5).Select(_ => new double[tickers * dates]).ToArray();
        for (int k = 0; k < tickers; k++)
        {
            var b = RandomBars.Create(dates, seed + k);
            b.Open.Span.CopyTo(fields[0].AsSpan(k * dates));
            b.High.Span.CopyTo(fields[1].AsSpan(k * dates));
            b.Low.Span.CopyTo(fields[2].AsSpan(k * dates));
            b.Close.Span.CopyTo(fields[3].AsSpan(k * dates));
            b.Volume.Span.CopyTo(fields[4].AsSpan(k * dates));
        }

        return new MarketPanel(cal, Enumerable.Range(0, tickers).Select(k => $"T{k}").ToArray(), fields[0], fields[1], fields[2], fields[3], fields[4]);
    }

    [Fact]
    public void Computes_the_configured_features_per_ticker()
    {
        var panel = Panel(3, 400, 1);
        var config = new FeaturesConfig { Indicators = ["finrl", "RSI(period=30)", "MACD"], Volatility = [20, 60], ZScore = [20], TurbulenceWindow = 100 };
        var set = FeaturePipeline.Compute(panel, config, Enumerable.Repeat(20.0, 400).ToArray());
        Assert.Equal(["macd", "boll_ub", "boll_lb", "rsi_30", "cci_30", "dx_30", "close_30_sma", "close_60_sma", "RSI_30", "MACD_macd", "MACD_signal", "MACD_hist",
            "log_return", "volatility_20", "volatility_60", "zscore_20", "turbulence", "vix"], set.Names);
        var direct = IndicatorCatalog.Get("RSI").Compute(Ohlcv.FromPanel(panel, 2), [30])[0];
        Assert.Equal(direct, set.Series("RSI_30", 2).ToArray());
        Assert.Equal(set.Series("turbulence", 0).ToArray(), set.Series("turbulence", 2).ToArray());
        var frame = set.ToDataFrame("T1");
        Assert.Equal(400, frame.Rows.Count);
        Assert.Equal(2 + set.Names.Count, frame.Columns.Count);
    }

    [Fact]
    public void The_normaliser_sees_only_the_training_block()
    {
        var panel = Panel(2, 300, 9);
        var config = new FeaturesConfig { Indicators = ["SMA", "RSI"], Turbulence = false, Vix = null };
        var a = FeaturePipeline.Compute(panel, config);
        var normalizer = FeatureNormalizer.Fit(a, 0, 200, NormalizationMethod.ZScore);
        // Changing every bar after the training block leaves the fitted statistics and the scaled training values unchanged.
        var later = Panel(2, 300, 99);
        var mixed = new MarketPanel(panel.Calendar, [.. panel.Tickers],
            Mix(PriceField.Open), Mix(PriceField.High), Mix(PriceField.Low), Mix(PriceField.Close), Mix(PriceField.Volume));
        double[] Mix(PriceField f)
        {
            var r = panel.Column(f).ToArray();
            for (int k = 0; k < 2; k++) for (int t = 200; t < 300; t++) r[k * 300 + t] = later[f, k, t];
            return r;
        }

        var b = FeaturePipeline.Compute(mixed, config);
        var other = FeatureNormalizer.Fit(b, 0, 200, NormalizationMethod.ZScore);
        foreach (var name in a.Names)
        {
            Assert.Equal(normalizer.Get(name, 1), other.Get(name, 1));
            Assert.Equal(normalizer.Transform(a).Series(name, 1)[..200].ToArray(), other.Transform(b).Series(name, 1)[..200].ToArray());
        }

        var scaled = normalizer.Transform(a).Series("RSI", 0)[..200].ToArray().Where(double.IsFinite).ToArray();
        Assert.Equal(0, scaled.Average(), 9);
        Assert.Equal(1, Math.Sqrt(scaled.Select(x => x * x).Average()), 9);
    }

    [Theory]
    [InlineData(NormalizationMethod.Robust)]
    [InlineData(NormalizationMethod.MinMax)]
    public void Robust_and_min_max_scale_the_training_block(NormalizationMethod method)
    {
        var cal = new TradingCalendar(Enumerable.Range(0, 5).Select(i => new DateOnly(2020, 1, 6).AddDays(i)).ToArray());
        var set = new FeatureSet(cal, ["A"], ["x"], new Dictionary<string, double[]> { ["x"] = [1, 2, 3, 4, 100] });
        var n = FeatureNormalizer.Fit(set, 0, 4, method);
        var s = n.Transform(set).Column("x").ToArray();
        double[] expected = method == NormalizationMethod.MinMax
            ? [0, 1 / 3.0, 2 / 3.0, 1, 33]
            : [(1 - 2.5) / 1.5, (2 - 2.5) / 1.5, (3 - 2.5) / 1.5, (4 - 2.5) / 1.5, (100 - 2.5) / 1.5];
        for (int i = 0; i < expected.Length; i++) Assert.Equal(expected[i], s[i], 12);
    }

    [Fact]
    public void Bad_selections_are_named()
    {
        Assert.Contains("no parameter 'window'", Assert.ThrowsAny<ArgumentException>(() => FeaturePipeline.Expand(["RSI(window=3)"])).Message);
        Assert.Contains("'abc' is not a number", Assert.ThrowsAny<ArgumentException>(() => FeaturePipeline.Expand(["RSI(period=abc)"])).Message);
        var e = Assert.Throws<ConfigException>(() => new RunConfig { Features = new FeaturesConfig { Indicators = ["RSI", "NOPE"] } }.Validate());
        Assert.Contains("features.indicators[1]", e.Message);
    }
}
