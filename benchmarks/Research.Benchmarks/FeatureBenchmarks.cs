using BenchmarkDotNet.Attributes;
using Research.Core.Configuration;
using Research.Core.Data;
using Research.Core.Features;
using Research.Core.Features.Catalog;

namespace Research.Benchmarks;

/// <summary>
/// Every indicator of the catalog (92 indicators, 103 outputs at their defaults) over the embedded 31-ticker panel
/// (3,020 days), single-threaded, warm; and the default run's feature stage (FinRL set, turbulence, transforms).
/// </summary>
[MemoryDiagnoser]
public class FeatureBenchmarks
{
    private Ohlcv[] _bars = null!;
    private double[][][] _outputs = null!;
    private MarketPanel _panel = null!;

    [GlobalSetup]
    public void Setup()
    {
        _panel = MarketDataLoader.Load(ConfigLoader.Load(Path.Combine(RepoPaths.Root, "experiments", "default.json")).Data, null).Panel;
        _bars = Enumerable.Range(0, _panel.TickerCount).Select(k => Ohlcv.FromPanel(_panel, k)).ToArray();
        _outputs = IndicatorCatalog.All.Select(d => d.Outputs.Select(_ => new double[_panel.DateCount]).ToArray()).ToArray();
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
