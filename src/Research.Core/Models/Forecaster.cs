using System.Text.Json;
using Research.Core.Configuration;
using Research.Core.IO;
using Research.Core.Monitoring;
using TorchSharp;
using static TorchSharp.torch;

namespace Research.Core.Models;

/// <summary>What a saved model needs besides its weights: inputs, normalisation, window, horizon, calibration.</summary>
/// <param name="Features">Feature names per time step, in order.</param>
/// <param name="Tickers">Tickers in embedding order.</param>
/// <param name="Window">Window length.</param>
/// <param name="Horizon">Target horizon in days.</param>
/// <param name="Scaler">Normalisation fitted on the training window.</param>
/// <param name="Calibration">Platt scaling of the up-move logit.</param>
/// <param name="Config">Architecture and training settings.</param>
/// <param name="TrainedThrough">Last training date.</param>
public sealed record ForecasterMetadata(IReadOnlyList<string> Features, IReadOnlyList<string> Tickers, int Window, int Horizon,
    FeatureScaler Scaler, PlattCalibration Calibration, ForecasterConfig Config, DateOnly TrainedThrough);

/// <summary>
/// A trained forecaster ready for inference: <see cref="Predict"/> one raw window (expected return, calibrated
/// probability of an up move, confidence) or <see cref="PredictBatch"/> many. <see cref="Save"/> writes an MLflow model
/// folder (MLmodel with the <c>research_workbench</c> flavor, weights, metadata.json); <see cref="Load"/> reads it back
/// with no training state.
/// </summary>
public sealed class Forecaster : IDisposable
{
    /// <summary>The MLflow flavor name of the workbench's models.</summary>
    public const string Flavor = "research_workbench";


    /// <summary>Wraps a trained network.</summary>
    public Forecaster(CnnLstmNet net, ForecasterMetadata metadata)
    {
        Net = net;
        Metadata = metadata;
        Net.eval();
        Kernel = new CnnLstmKernel(net);
    }

    /// <summary>The network (evaluation mode).</summary>
    public CnnLstmNet Net { get; }

    /// <summary>Inputs, normalisation and calibration.</summary>
    public ForecasterMetadata Metadata { get; }

    /// <summary>The training window's feature distributions for drift monitoring (null for models saved without them).</summary>
    public FeatureReference? Reference { get; set; }

    /// <summary>The inference kernel over <see cref="Net"/>'s weights, copied when the forecaster was made (so no
    /// prediction, on any thread, touches libtorch).</summary>
    public CnnLstmKernel Kernel { get; }

    /// <summary>Forecast from one raw (unnormalised) window [window × features] of ticker index <paramref name="ticker"/>.</summary>
    public ForecastPrediction Predict(ReadOnlySpan<float> rawWindow, int ticker)
    {
        CheckWindow(rawWindow.Length, 1);
        var window = rawWindow.Length <= 1024 ? stackalloc float[rawWindow.Length] : new float[rawWindow.Length];
        rawWindow.CopyTo(window);
        Metadata.Scaler.TransformInPlace(window);
        var (r, l) = Kernel.Forward(window, ticker);
        return Make(r, l);
    }

    /// <summary>Forecasts for <paramref name="tickers"/>.Length raw windows laid end to end in <paramref name="rawWindows"/>
    /// (windows are independent: large batches run in parallel with the same results).</summary>
    public ForecastPrediction[] PredictBatch(ReadOnlySpan<float> rawWindows, ReadOnlySpan<int> tickers)
    {
        CheckWindow(rawWindows.Length, tickers.Length);
        int size = Metadata.Window * Metadata.Features.Count;
        var result = new ForecastPrediction[tickers.Length];
        if (result.Length < ParallelBatch)
        {
            var window = size <= 1024 ? stackalloc float[size] : new float[size];
            for (int i = 0; i < result.Length; i++) result[i] = PredictScaled(rawWindows.Slice(i * size, size), tickers[i], window);
            return result;
        }

        var raw = rawWindows.ToArray();
        var ids = tickers.ToArray();
        Parallel.For(0, result.Length, () => new float[size], (i, _, window) =>
        {
            result[i] = PredictScaled(raw.AsSpan(i * size, size), ids[i], window);
            return window;
        }, _ => { });
        return result;
    }

    /// <summary>Batches at least this large are split across cores.</summary>
    private const int ParallelBatch = 16;

    private ForecastPrediction PredictScaled(ReadOnlySpan<float> raw, int ticker, Span<float> window)
    {
        raw.CopyTo(window);
        Metadata.Scaler.TransformInPlace(window);
        var (r, l) = Kernel.Forward(window, ticker);
        return Make(r, l);
    }

    /// <summary>A prediction from raw network outputs.</summary>
    public ForecastPrediction Make(float scaledReturn, float logit)
    {
        double p = Metadata.Calibration.Probability(logit);
        return new ForecastPrediction(scaledReturn * Metadata.Scaler.TargetStd, p, Math.Abs(2 * p - 1));
    }

    /// <summary>Writes the MLflow model folder: MLmodel, weights.bin, metadata.json (and feature_reference.json when <see cref="Reference"/> is set).</summary>
    public void Save(string folder, string? runId = null)
    {
        Directory.CreateDirectory(folder);
        string weights = Path.Combine(folder, "weights.bin");
        string temp = weights + ".tmp";
        Net.save(temp);
        File.Move(temp, weights, overwrite: true);
        AtomicFile.WriteAllText(Path.Combine(folder, "metadata.json"), JsonSerializer.Serialize(Metadata, ConfigJson.Options));
        Reference?.Save(folder);
        var created = DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm:ss.ffffff", System.Globalization.CultureInfo.InvariantCulture);
        AtomicFile.WriteAllText(Path.Combine(folder, "MLmodel"),
            "artifact_path: model\n" +
            "flavors:\n" +
            $"  {Flavor}:\n" +
            "    model_type: cnn_lstm_forecaster\n" +
            "    weights: weights.bin\n" +
            "    metadata: metadata.json\n" +
            "    torchsharp_version: 0.107.0\n" +
            $"    window: {Metadata.Window}\n" +
            $"    horizon: {Metadata.Horizon}\n" +
            $"    features: {Metadata.Features.Count}\n" +
            "mlflow_version: 2.12.2\n" +
            (runId is null ? "" : $"run_id: {runId}\n") +
            $"utc_time_created: '{created}'\n");
    }

    /// <summary>Loads a model folder written by <see cref="Save"/>.</summary>
    public static Forecaster Load(string folder)
    {
        string mlmodel = Path.Combine(folder, "MLmodel");
        if (!File.Exists(mlmodel)) throw new FileNotFoundException($"{folder}: not a model folder (no MLmodel file).", mlmodel);
        if (!File.ReadAllText(mlmodel).Contains($"  {Flavor}:", StringComparison.Ordinal))
            throw new InvalidDataException($"{mlmodel}: no '{Flavor}' flavor; this is not a workbench model.");
        var metadata = JsonSerializer.Deserialize<ForecasterMetadata>(File.ReadAllText(Path.Combine(folder, "metadata.json")), ConfigJson.Options)
                       ?? throw new InvalidDataException($"{folder}/metadata.json is empty.");
        var net = new CnnLstmNet(metadata.Config, metadata.Features.Count, metadata.Tickers.Count);
        net.load(Path.Combine(folder, "weights.bin"));
        return new Forecaster(net, metadata) { Reference = FeatureReference.TryLoad(folder) };
    }

    /// <inheritdoc />
    public void Dispose() => Net.Dispose();

    private void CheckWindow(int length, int count)
    {
        int size = Metadata.Window * Metadata.Features.Count;
        if (length != size * count)
            throw new ArgumentException($"expected {count} window(s) of {Metadata.Window} days × {Metadata.Features.Count} features ({size * count} values), got {length}.");
    }
}
