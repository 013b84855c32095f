using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using Research.Core.Configuration;
using Research.Core.Data;
using Research.Core.Models;
using Research.Serving;

namespace Research.Benchmarks;

/// <summary>
/// In-process serving of one ticker: <see cref="Predictor.Predict"/> (features, forecast, Kelly weight, risk check)
/// on 80 DJIA bars of AAPL, and the same with the request's JSON parsed and validated first, with the default
/// CNN+LSTM (untrained weights: the arithmetic is the same). One call per iteration, so P95/P99/Max are per call.
/// </summary>
[Config(typeof(PerCallConfig))]
[InProcess] // TorchSharp finds libtorch through the host's deps.json, which BenchmarkDotNet's generated project lacks.
public class ServingBenchmarks
{
    private string _folder = "";
    private ServedModel _model = null!;
    private Predictor _predictor = null!;
    private BarsRequest _request = null!;
    private JsonDocument _body = null!;

    private sealed class PerCallConfig : ManualConfig
    {
        public PerCallConfig()
        {
            AddColumn(StatisticColumn.P50, StatisticColumn.P95, new P99Column(), StatisticColumn.Max);
        }
    }

    [GlobalSetup]
    public void Setup()
    {
        TorchSharp.torch.set_num_threads(1);
        var panel = MarketDataLoader.Load(new DataConfig { Paths = [Path.Combine(RepoPaths.Root, "data", "djia")] }, null).Panel;
        var config = new ForecasterConfig { Indicators = ["rsi_30", "cci_30", "dx_30"] };
        var names = ForecastFeatures.NamesWith(config.Indicators);
        var raw = ForecastFeatures.Compute(panel, config.Indicators);
        TorchSharp.torch.manual_seed(1);
        var scaler = FeatureScaler.Fit(raw, ForecastFeatures.Targets(panel, 1), names.Count, 0, 2000);
        using (var forecaster = new Forecaster(new CnnLstmNet(config, names.Count, panel.TickerCount),
                   new ForecasterMetadata(names, panel.Tickers, config.Window, 1, scaler, PlattCalibration.Identity, config, panel.Calendar[1999])))
        {
            _folder = Path.Combine(Path.GetTempPath(), $"serving-bench-{Guid.NewGuid():N}");
            forecaster.Save(_folder);
        }

        _model = ServedModel.Load(_folder);
        _predictor = new Predictor(_model);
        _body = JsonDocument.Parse(Body(panel, "AAPL", 2500, 80));
        _request = BarsRequest.Parse(_body.RootElement, _model.Info);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _model.Dispose();
        _body.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    [Benchmark(Description = "Predict: 1 ticker × 80 bars (per call)")]
    [InvocationCount(1)]
    [IterationCount(3000)]
    [WarmupCount(200)]
    public PredictResponse Predict() => _predictor.Predict(_request);

    [Benchmark(Description = "Parse + validate + Predict: 1 ticker × 80 bars (per call)")]
    [InvocationCount(1)]
    [IterationCount(3000)]
    [WarmupCount(200)]
    public PredictResponse ParseAndPredict() => _predictor.Predict(BarsRequest.Parse(_body.RootElement, _model.Info));

    /// <summary>A predict body of <paramref name="count"/> bars of <paramref name="ticker"/> ending at date index <paramref name="end"/>.</summary>
    internal static string Body(MarketPanel panel, string ticker, int end, int count)
    {
        int k = panel.TickerIndex(ticker);
        var bars = new JsonArray();
        for (int t = end - count + 1; t <= end; t++)
        {
            bars.Add(new JsonObject
            {
                ["date"] = panel.Calendar[t].ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                ["open"] = panel.Series(PriceField.Open, k)[t], ["high"] = panel.Series(PriceField.High, k)[t],
                ["low"] = panel.Series(PriceField.Low, k)[t], ["close"] = panel.Series(PriceField.Close, k)[t],
                ["volume"] = panel.Series(PriceField.Volume, k)[t],
            });
        }

        return new JsonObject { ["bars"] = new JsonObject { [ticker] = bars } }.ToJsonString();
    }
}
