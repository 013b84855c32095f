using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using Research.Core.Configuration;
using Research.Core.Data;
using Research.Core.Models;

namespace Research.Benchmarks;

/// <summary>
/// In-process inference of the default CNN+LSTM (2 conv blocks × 16 channels, LSTM 32, 20-day windows of the default
/// config's 11 features: 8 base + rsi_30, cci_30, dx_30): one window per call, measured one call per iteration so the percentiles are per call (p95 and the
/// maximum bound p99), and a batch of 31 windows (one per DJIA ticker, what a daily rebalance needs).
/// </summary>
[Config(typeof(PerCallConfig))]
[InProcess] // TorchSharp finds libtorch through the host's deps.json, which BenchmarkDotNet's generated project lacks.
public class ForecasterBenchmarks
{
    private Forecaster _forecaster = null!;
    private float[] _window = [];
    private float[] _batch = [];
    private int[] _tickers = [];

    private sealed class PerCallConfig : ManualConfig
    {
        public PerCallConfig()
        {
            AddColumn(StatisticColumn.P95, StatisticColumn.Max);
        }
    }

    [GlobalSetup]
    public void Setup()
    {
        TorchSharp.torch.set_num_threads(1);
        var data = MarketDataLoader.Load(new DataConfig { Paths = [Path.Combine(RepoPaths.Root, "data", "djia")] }, null);
        var panel = data.Panel;
        var config = new ForecasterConfig { Indicators = ["rsi_30", "cci_30", "dx_30"] };
        var names = ForecastFeatures.NamesWith(config.Indicators);
        var raw = ForecastFeatures.Compute(panel, config.Indicators);
        int f = names.Count;
        TorchSharp.torch.manual_seed(1);
        var net = new CnnLstmNet(config, f, panel.TickerCount);
        var targets = ForecastFeatures.Targets(panel, 1);
        var scaler = FeatureScaler.Fit(raw, targets, f, 0, 2000);
        _forecaster = new Forecaster(net, new ForecasterMetadata(names, panel.Tickers, config.Window, 1, scaler,
            PlattCalibration.Identity, config, panel.Calendar[1999]));
        int t = 2500, size = config.Window * f;
        _window = raw[0].AsSpan((t - config.Window + 1) * f, size).ToArray();
        _batch = new float[panel.TickerCount * size];
        _tickers = Enumerable.Range(0, panel.TickerCount).ToArray();
        for (int k = 0; k < panel.TickerCount; k++) raw[k].AsSpan((t - config.Window + 1) * f, size).CopyTo(_batch.AsSpan(k * size));
    }

    [Benchmark(Description = "Predict: one 20×11 window (per call)")]
    [InvocationCount(1)]
    [IterationCount(3000)]
    [WarmupCount(200)]
    public ForecastPrediction PredictOne() => _forecaster.Predict(_window, 0);

    [Benchmark(Description = "PredictBatch: 31 windows")]
    public ForecastPrediction[] PredictBatch() => _forecaster.PredictBatch(_batch, _tickers);
}
