using BenchmarkDotNet.Attributes;
using Research.Core.Configuration;
using Research.Core.Data;
using Research.Core.Features;
using Research.Core.Features.Catalog;

namespace Research.Benchmarks;

/// <summary>
/// Indicators over the embedded 31-ticker panel (3,020 days), single-threaded, warm: TA-Lib's core set (the 28
/// indicators, 34 outputs, a side-by-side comparison with TA-Lib's C library used), FinRL's default 8 (stockstats'
/// definitions), every indicator of the catalog (92 indicators, 103 outputs at their defaults); and the default run's
/// feature stage (FinRL set, turbulence, transforms).
/// </summary>
[MemoryDiagnoser]
public class FeatureBenchmarks
{
    /// <summary>The core set: SMA 30/60, EMA 30, MACD, BBANDS 20, RSI 14/30, CCI 30, DX 30, ADX, ATR, STOCH, WILLR, MFI, OBV, AD, ADOSC, ROC, MOM, TRIX, ULTOSC, AROON, SAR, KAMA, T3, STDDEV, LINEARREG, CORREL.</summary>
    public static readonly string[] CoreSet =
    [
        "SMA(period=30)", "SMA(period=60)", "EMA(period=30)", "MACD", "BBANDS(period=20)", "RSI(period=14)", "RSI(period=30)",
        "CCI(period=30)", "DX(period=30)", "ADX", "ATR", "STOCH", "WILLR", "MFI", "OBV", "AD", "ADOSC", "ROC", "MOM", "TRIX",
        "ULTOSC", "AROON", "SAR", "KAMA", "T3", "STDDEV", "LINEARREG", "CORREL",
    ];

    private Ohlcv[] _bars = null!;
    private double[][][] _outputs = null!;
    private MarketPanel _panel = null!;
    private IndicatorSpec[] _core = null!;
    private IndicatorSpec[] _finRl = null!;
    private double[][][][] _coreOutputs = null!;
    private double[][][][] _finRlOutputs = null!;

    [GlobalSetup]
    public void Setup()
    {
        _panel = MarketDataLoader.Load(ConfigLoader.Load(Path.Combine(RepoPaths.Root, "experiments", "default.json")).Data, null).Panel;
        _bars = Enumerable.Range(0, _panel.TickerCount).Select(k => Ohlcv.FromPanel(_panel, k)).ToArray();
        _outputs = IndicatorCatalog.All.Select(d => d.Outputs.Select(_ => new double[_panel.DateCount]).ToArray()).ToArray();
        _core = FeaturePipeline.Expand(CoreSet).ToArray();
        _finRl = FeaturePipeline.Expand(["finrl"]).ToArray();
        _coreOutputs = _core.Select(s => _bars.Select(_ => s.Definition.Outputs.Select(_ => new double[_panel.DateCount]).ToArray()).ToArray()).ToArray();
        _finRlOutputs = _finRl.Select(s => _bars.Select(_ => s.Definition.Outputs.Select(_ => new double[_panel.DateCount]).ToArray()).ToArray()).ToArray();
    }

    /// <summary>Through the panel entry point (the recursive indicators four tickers at a time, the rest ticker by ticker).</summary>
    [Benchmark(Description = "Core set: 28 TA-Lib indicators (34 outputs), 31 tickers × 3,020 days")]
    public double CoreIndicators()
    {
        FeaturePipeline.ComputeIndicators(_bars, _core, _coreOutputs);
        return _coreOutputs[0][0][0][^1];
    }

    /// <summary>Through the panel entry point the feature pipeline uses (macd, rsi_30 and dx_30 four tickers at a time).</summary>
    [Benchmark(Description = "FinRL's 8 (stockstats definitions), 31 tickers × 3,020 days")]
    public double FinRlIndicators()
    {
        FeaturePipeline.ComputeIndicators(_bars, _finRl, _finRlOutputs);
        return _finRlOutputs[0][0][0][^1];
    }

    [Benchmark(Description = "All 92 indicators (103 outputs), 31 tickers × 3,020 days")]
    public double AllIndicators()
    {
        var all = IndicatorCatalog.All;
        foreach (var bars in _bars)
        {
            for (int i = 0; i < all.Count; i++) all[i].Compute(bars, null, _outputs[i]);
        }

        return _outputs[0][0][^1];
    }

    [Benchmark(Description = "Default feature stage: FinRL set + log return, vol, z-score, turbulence (31 × 3,020)")]
    public int DefaultFeatures() => FeaturePipeline.Compute(_panel, new FeaturesConfig { Vix = null }).Names.Count;
}
