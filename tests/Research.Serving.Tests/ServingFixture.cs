using System.Text.Json;
using Research.Core.Backtesting.Strategies;
using Research.Core.Configuration;
using Research.Core.Data;
using Research.Core.Data.Splits;
using Research.Core.Models;

namespace Research.Serving.Tests;

/// <summary>
/// Trains one tiny forecaster (three tickers of synthetic bars, one epoch, 10-day windows, the base features plus
/// TA-Lib RSI(25), whose 25-bar lookback sets the warm-up) and saves it twice: alone in <see cref="PlainModel"/>, and
/// in <see cref="RunModel"/> beside a logged <c>config.json</c> whose backtest section sizes top-1 with a 5 % position
/// limit.
/// </summary>
public sealed class ServingFixture : IDisposable
{
    /// <summary>The forecaster's settings.</summary>
    public static readonly ForecasterConfig Config = new()
    {
        Window = 10, Indicators = ["RSI(period=25)"], ConvChannels = [4], Dilations = [1], Hidden = 8, TickerEmbedding = 2,
        Dropout = 0, QuickEpochs = 1, QuickTickers = 3, BatchSize = 64, Threads = 1, WalkForward = false,
    };

    /// <summary>The logged backtest settings of <see cref="RunModel"/>.</summary>
    public static readonly BacktestConfig LoggedBacktest = new() { ModelSizing = SignalSizing.TopK, ModelTopK = 1, MaxPositionPct = 0.05 };

    /// <summary>Trains and saves the model.</summary>
    public ServingFixture()
    {
        Root = Path.Combine(Path.GetTempPath(), $"research-serving-{Guid.NewGuid():N}");
        Panel = Bars(3, 320, seed: 11);
        var split = TrainValidationTest.ByFraction(Panel.Calendar, 0.6, 0.2, embargo: 1);
        var result = ForecastExperiment.Run(Panel, split, null, Config, seed: 5, quick: true, TextWriter.Null);
        using var forecaster = result.Forecaster;
        PlainModel = Path.Combine(Root, "plain", "model");
        RunModel = Path.Combine(Root, "run", "model");
        forecaster.Save(PlainModel);
        forecaster.Save(RunModel, "0123456789abcdef0123456789abcdef");
        // Same weights, metadata one day different: another version (for reloads).
        VariantModel = Path.Combine(Root, "variant", "model");
        new Forecaster(forecaster.Net, forecaster.Metadata with { TrainedThrough = forecaster.Metadata.TrainedThrough.AddDays(1) }).Save(VariantModel);
        File.WriteAllText(Path.Combine(Root, "run", "config.json"),
            JsonSerializer.Serialize(new RunConfig { Backtest = LoggedBacktest, Forecaster = Config }, ConfigJson.Options));
    }

    /// <summary>Scratch folder holding both saved models.</summary>
    public string Root { get; }

    /// <summary>The synthetic bars (tickers S0, S1, S2).</summary>
    public MarketPanel Panel { get; }

    /// <summary>The model folder with no run around it.</summary>
    public string PlainModel { get; }

    /// <summary>The plain model's weights with metadata that differ in the last training date: a different version.</summary>
    public string VariantModel { get; }

    /// <summary>The model folder of a "run" that logged its config.</summary>
    public string RunModel { get; }

    /// <summary>
    /// Random-walk bars with a weekly cycle in the drift (log returns 0.8 % · sin(2πt/5 + φ) + 1 % noise), opens at the
    /// previous close, highs and lows 0.3 % outside the body, volume around a million.
    /// </summary>
    public static MarketPanel Bars(int tickers, int days, int seed)
    {
        var rng = new Random(seed);
        var dates = new List<DateOnly>();
        for (var d = new DateOnly(2016, 1, 4); dates.Count < days; d = d.AddDays(1))
        {
            if (d.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday)) dates.Add(d);
        }

        int n = tickers * days;
        double[] open = new double[n], high = new double[n], low = new double[n], close = new double[n], volume = new double[n];
        for (int k = 0; k < tickers; k++)
        {
            double price = 50 + 25 * k, phase = rng.NextDouble() * 2 * Math.PI;
            for (int t = 0; t < days; t++)
            {
                int i = k * days + t;
                open[i] = price;
                price *= Math.Exp(0.008 * Math.Sin(2 * Math.PI * t / 5 + phase) + 0.01 * (rng.NextDouble() - 0.5) * 3.4);
                close[i] = price;
                high[i] = Math.Max(open[i], close[i]) * 1.003;
                low[i] = Math.Min(open[i], close[i]) * 0.997;
                volume[i] = Math.Round(1e6 * (0.8 + 0.4 * rng.NextDouble()));
            }
        }

        return new MarketPanel(new TradingCalendar([.. dates]), Enumerable.Range(0, tickers).Select(k => $"S{k}").ToArray(), open, high, low, close, volume);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A scratch folder left in temp is harmless.
        }
    }
}

/// <summary>
/// The serving tests share one trained model and use TorchSharp, whose thread count and RNG are process-global: they
/// run one at a time.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ServingCollection : ICollectionFixture<ServingFixture>
{
    /// <summary>The collection's name.</summary>
    public const string Name = "Serving";
}
