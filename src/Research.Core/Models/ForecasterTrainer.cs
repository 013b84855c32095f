using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Research.Core.Configuration;
using Research.Core.IO;
using TorchSharp;
using static TorchSharp.torch;

namespace Research.Core.Models;

/// <summary>One epoch's numbers.</summary>
/// <param name="Epoch">1-based epoch.</param>
/// <param name="TrainLoss">Mean training loss (scaled MSE + weighted BCE).</param>
/// <param name="ValidationLoss">Validation loss, the early-stopping criterion.</param>
/// <param name="LearningRate">Learning rate used.</param>
/// <param name="Seconds">Wall time.</param>
/// <param name="SamplesPerSecond">Training throughput.</param>
public sealed record EpochReport(int Epoch, double TrainLoss, double ValidationLoss, double LearningRate, double Seconds, double SamplesPerSecond);

/// <summary>How to train.</summary>
public sealed record TrainingOptions
{
    /// <summary>Epochs to run at most.</summary>
    public required int Epochs { get; init; }

    /// <summary>Seed for weights, dropout and shuffling.</summary>
    public int Seed { get; init; } = 42;

    /// <summary>Where to checkpoint every epoch (and resume from when a checkpoint is there); null: no checkpoints.</summary>
    public string? CheckpointDirectory { get; init; }

    /// <summary>Stop after this epoch as if killed (tests of resume).</summary>
    public int? StopAfterEpoch { get; init; }

    /// <summary>Progress lines go here.</summary>
    public TextWriter Log { get; init; } = TextWriter.Null;

    /// <summary>Start of every epoch line, before <c>epoch</c> (e.g. <c>"    window 2/5 "</c> to tell walk-forward windows apart).</summary>
    public string ProgressPrefix { get; init; } = "  ";

    /// <summary>
    /// Epochs of training jobs still to come after this one (the later walk-forward windows), so that the ETA of each
    /// epoch line covers the whole job at this run's pace. 0: the ETA is this training's own.
    /// </summary>
    public int LaterEpochs { get; init; }

    /// <summary>Called after every epoch (e.g. to log metrics to MLflow).</summary>
    public Action<EpochReport>? OnEpoch { get; init; }

    /// <summary>Stops training between batches (throws <see cref="OperationCanceledException"/>) when cancelled.</summary>
    public CancellationToken Cancellation { get; init; }
}

/// <summary>The trained network and how training went.</summary>
/// <param name="Model">The network with the best validation weights.</param>
/// <param name="History">Every epoch, including those before a resume.</param>
/// <param name="BestEpoch">Epoch of the best validation loss.</param>
/// <param name="StoppedEarly">Whether early stopping ended training before the epoch budget (patience exhausted on the last epoch is not early).</param>
/// <param name="ResumedFromEpoch">The checkpoint epoch training resumed from, if any.</param>
public sealed record TrainingResult(CnnLstmNet Model, IReadOnlyList<EpochReport> History, int BestEpoch, bool StoppedEarly, int? ResumedFromEpoch);

/// <summary>
/// Trains the CNN+LSTM: AdamW, a per-epoch cosine or one-cycle learning rate, gradient-norm clipping, early stopping on
/// the validation loss with the best weights restored, a seeded shuffle per epoch, and a checkpoint after every epoch
/// (weights, best weights, optimizer state, torch RNG state, epoch and history) written to a new folder and then made
/// current by an atomic pointer file, so a killed run resumes exactly where it stopped.
/// </summary>
public static class ForecasterTrainer
{
    private sealed record CheckpointState(int Epoch, double BestValidation, int BestEpoch, int BadEpochs, List<EpochReport> History);

    /// <summary>Trains on <paramref name="train"/>, early-stopping on <paramref name="validation"/>.</summary>
    public static TrainingResult Train(ForecastDataset data, IReadOnlyList<Sample> train, IReadOnlyList<Sample> validation,
        ForecasterConfig config, int tickerCount, TrainingOptions options)
    {
        if (train.Count == 0) throw new ArgumentException("No training samples.", nameof(train));
        if (validation.Count == 0) throw new ArgumentException("No validation samples.", nameof(validation));
        torch.set_num_threads(config.Threads > 0 ? config.Threads : Environment.ProcessorCount);
        torch.manual_seed(options.Seed);
        var model = new CnnLstmNet(config, data.FeatureCount, tickerCount);
        using var optimizer = optim.AdamW(model.parameters(), lr: config.LearningRate, weight_decay: config.WeightDecay);
        var state = new CheckpointState(0, double.PositiveInfinity, 0, 0, []);
        int? resumed = null;
        if (options.CheckpointDirectory is { } dir && LatestCheckpoint(dir) is { } latest)
        {
            state = LoadCheckpoint(latest, model, optimizer);
            resumed = state.Epoch;
            options.Log.WriteLine($"  resumed from {latest} (epoch {state.Epoch})");
        }

        var bestWeights = Snapshot(model);
        if (resumed is not null && options.CheckpointDirectory is { } d2) LoadWeights(model, Path.Combine(LatestCheckpoint(d2)!, "best.bin"), bestWeights);
        var clock = Stopwatch.StartNew();
        bool stoppedEarly = false;
        for (int epoch = state.Epoch + 1; epoch <= options.Epochs; epoch++)
        {
            if (state.BadEpochs >= config.Patience)
            {
                stoppedEarly = true;
                break;
            }

            var epochClock = Stopwatch.StartNew();
            double lr = LearningRate(config, epoch, options.Epochs);
            foreach (var g in optimizer.ParamGroups) g.LearningRate = lr;
            model.train();
            var order = Shuffled(train.Count, options.Seed, epoch);
            double lossSum = 0;
            for (int start = 0; start < order.Length; start += config.BatchSize)
            {
                options.Cancellation.ThrowIfCancellationRequested();
                int n = Math.Min(config.BatchSize, order.Length - start);
                var batch = new Sample[n];
                for (int i = 0; i < n; i++) batch[i] = train[order[start + i]];
                optimizer.zero_grad();
                using (var scope = NewDisposeScope())
                {
                    // Only the batch's tensors live in this scope: the optimizer's state (created lazily by step) must not.
                    var (x, y, tk) = Tensors(data, batch);
                    var loss = Loss(model, x, y, tk, config.ClassificationWeight);
                    float value = loss.item<float>();
                    if (!float.IsFinite(value)) throw new InvalidOperationException(Diagnose(model, x, y, tk, epoch, start / config.BatchSize));
                    loss.backward();
                    lossSum += value * n;
                }

                double norm = nn.utils.clip_grad_norm_(model.parameters(), config.ClipNorm);
                if (!double.IsFinite(norm))
                {
                    var bad = model.named_parameters().Where(p => p.parameter.grad is { } g && !isfinite(g).all().item<bool>()).Select(p => p.name);
                    throw new InvalidOperationException($"training diverged: non-finite gradients at epoch {epoch}, batch {start / config.BatchSize}: [{string.Join(", ", bad)}]");
                }

                optimizer.step();
            }

            double trainLoss = lossSum / order.Length;
            double validationLoss = Evaluate(model, data, validation, config);
            double seconds = epochClock.Elapsed.TotalSeconds;
            var report = new EpochReport(epoch, trainLoss, validationLoss, lr, seconds, order.Length / Math.Max(seconds, 1e-9));
            var history = new List<EpochReport>(state.History) { report };
            bool improved = validationLoss < state.BestValidation - 1e-9;
            if (improved) bestWeights = Snapshot(model);
            state = improved
                ? new CheckpointState(epoch, validationLoss, epoch, 0, history)
                : state with { Epoch = epoch, BadEpochs = state.BadEpochs + 1, History = history };
            double eta = clock.Elapsed.TotalSeconds / (epoch - (resumed ?? 0)) * (options.Epochs - epoch + options.LaterEpochs);
            options.Log.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{options.ProgressPrefix}epoch {epoch,3}/{options.Epochs}  train {trainLoss:F4}  val {validationLoss:F4}{(improved ? " *" : "  ")}  lr {lr:0.0e+0}  {report.SamplesPerSecond,8:N0} samples/s  {seconds:F1} s  ETA {eta:F0} s"));
            options.OnEpoch?.Invoke(report);
            if (options.CheckpointDirectory is { } cd) SaveCheckpoint(cd, model, bestWeights, optimizer, state);
            if (options.StopAfterEpoch == epoch) return new TrainingResult(model, state.History, state.BestEpoch, false, resumed);
        }

        Restore(model, bestWeights);
        model.eval();
        return new TrainingResult(model, state.History, state.BestEpoch, stoppedEarly, resumed);
    }

    /// <summary>The learning rate of 1-based <paramref name="epoch"/> of <paramref name="epochs"/>.</summary>
    public static double LearningRate(ForecasterConfig config, int epoch, int epochs)
    {
        double peak = config.LearningRate, progress = epochs <= 1 ? 0 : (epoch - 1.0) / (epochs - 1.0);
        if (config.Schedule == LearningRateSchedule.Cosine) return peak * (0.01 + 0.99 * 0.5 * (1 + Math.Cos(Math.PI * progress)));
        const double warm = 0.3;
        if (progress < warm) return peak * (0.04 + 0.96 * progress / warm);
        double down = (progress - warm) / (1 - warm);
        return peak * (0.001 + 0.999 * 0.5 * (1 + Math.Cos(Math.PI * down)));
    }

    /// <summary>The mean loss over <paramref name="samples"/> in evaluation mode.</summary>
    public static double Evaluate(CnnLstmNet model, ForecastDataset data, IReadOnlyList<Sample> samples, ForecasterConfig config)
    {
        model.eval();
        using var _ = no_grad();
        double sum = 0;
        for (int start = 0; start < samples.Count; start += 1024)
        {
            int n = Math.Min(1024, samples.Count - start);
            using var scope = NewDisposeScope();
            var (x, y, tk) = Tensors(data, samples.Skip(start).Take(n).ToArray());
            sum += Loss(model, x, y, tk, config.ClassificationWeight).item<float>() * n;
        }

        return sum / samples.Count;
    }

    /// <summary>The raw outputs (scaled return, up logit) for <paramref name="samples"/>, through the inference kernel
    /// (<see cref="CnnLstmKernel"/>) that every prediction uses.</summary>
    public static (float[] Returns, float[] Logits) Outputs(CnnLstmNet model, ForecastDataset data, IReadOnlyList<Sample> samples)
    {
        var kernel = new CnnLstmKernel(model);
        int size = data.Window * data.FeatureCount;
        var returns = new float[samples.Count];
        var logits = new float[samples.Count];
        Parallel.For(0, samples.Count, i => // windows are independent: same results on any number of threads
        {
            var s = samples[i];
            (returns[i], logits[i]) = kernel.Forward(data.Features[s.Ticker].AsSpan((s.Date - data.Window + 1) * data.FeatureCount, size), s.Ticker);
        });

        return (returns, logits);
    }

    private static string Diagnose(CnnLstmNet model, Tensor x, Tensor y, Tensor tickers, int epoch, int batch)
    {
        var (r, l) = model.call(x, tickers);
        var bad = model.named_parameters().Where(p => !isfinite(p.parameter).all().item<bool>()).Select(p => p.name).ToList();
        return $"training diverged: non-finite loss at epoch {epoch}, batch {batch}: inputs finite {isfinite(x).all().item<bool>()}, " +
               $"targets finite {isfinite(y).all().item<bool>()}, return head finite {isfinite(r).all().item<bool>()}, logit finite {isfinite(l).all().item<bool>()}, " +
               $"non-finite parameters: [{string.Join(", ", bad)}]";
    }

    private static Tensor Loss(CnnLstmNet model, Tensor x, Tensor y, Tensor tickers, double classificationWeight)
    {
        var (r, logit) = model.call(x, tickers);
        var mse = nn.functional.mse_loss(r, y);
        if (classificationWeight == 0) return mse;
        var up = y.gt(0).to_type(ScalarType.Float32);
        return mse + classificationWeight * nn.functional.binary_cross_entropy_with_logits(logit, up);
    }

    private static (Tensor X, Tensor Y, Tensor Tickers) Tensors(ForecastDataset data, Sample[] batch)
    {
        int n = batch.Length, size = data.Window * data.FeatureCount;
        var x = new float[n * size];
        var y = new float[n];
        var tk = new long[n];
        data.Fill(batch, 0, n, x, y, tk);
        // Torch-owned copies: torch.tensor(array, shape) may alias the managed array.
        var tx = empty([n, data.Window, data.FeatureCount], ScalarType.Float32);
        tx.data<float>().CopyFrom(x);
        var ty = empty([n], ScalarType.Float32);
        ty.data<float>().CopyFrom(y);
        var tt = empty([n], ScalarType.Int64);
        tt.data<long>().CopyFrom(tk);
        return (tx, ty, tt);
    }

    private static int[] Shuffled(int count, int seed, int epoch)
    {
        var order = Enumerable.Range(0, count).ToArray();
        new Random(unchecked(seed * 7919 + epoch * 104_729)).Shuffle(order);
        return order;
    }

    private static Dictionary<string, Tensor> Snapshot(CnnLstmNet model) =>
        model.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.detach().clone());

    private static void Restore(CnnLstmNet model, Dictionary<string, Tensor> weights)
    {
        using var _ = no_grad();
        foreach (var (name, value) in model.state_dict()) value.copy_(weights[name]);
    }

    private static void LoadWeights(CnnLstmNet model, string path, Dictionary<string, Tensor> into)
    {
        var saved = Snapshot(model);
        model.load(path);
        foreach (var (k, v) in Snapshot(model)) into[k] = v;
        Restore(model, saved);
    }

    private static string? LatestCheckpoint(string dir)
    {
        string pointer = Path.Combine(dir, "latest");
        if (!File.Exists(pointer)) return null;
        string name = File.ReadAllText(pointer).Trim();
        string path = Path.Combine(dir, name);
        return Directory.Exists(path) ? path : throw new InvalidDataException($"{pointer} names '{name}', which does not exist.");
    }

    private static CheckpointState LoadCheckpoint(string path, CnnLstmNet model, optim.Optimizer optimizer)
    {
        model.load(Path.Combine(path, "model.bin"));
        ((TorchSharp.Modules.OptimizerHelper)optimizer).load_state_dict(Path.Combine(path, "optimizer.bin"));
        byte[] rng = File.ReadAllBytes(Path.Combine(path, "rng.bin"));
        torch.random.set_rng_state(tensor(rng, ScalarType.Byte));
        return JsonSerializer.Deserialize<CheckpointState>(File.ReadAllText(Path.Combine(path, "state.json")), ArtifactJson.Compact)
               ?? throw new InvalidDataException($"{path}/state.json is empty.");
    }

    private static void SaveCheckpoint(string dir, CnnLstmNet model, Dictionary<string, Tensor> best, optim.Optimizer optimizer, CheckpointState state)
    {
        Directory.CreateDirectory(dir);
        string name = $"epoch-{state.Epoch:D4}";
        string temp = Path.Combine(dir, name + ".tmp-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(temp);
        model.save(Path.Combine(temp, "model.bin"));
        var current = Snapshot(model);
        Restore(model, best);
        model.save(Path.Combine(temp, "best.bin"));
        Restore(model, current);
        ((TorchSharp.Modules.OptimizerHelper)optimizer).save_state_dict(Path.Combine(temp, "optimizer.bin"));
        using (var rng = torch.random.get_rng_state()) File.WriteAllBytes(Path.Combine(temp, "rng.bin"), rng.data<byte>().ToArray());
        File.WriteAllText(Path.Combine(temp, "state.json"), JsonSerializer.Serialize(state, ArtifactJson.Compact));
        string final = Path.Combine(dir, name);
        if (Directory.Exists(final)) Directory.Delete(final, recursive: true);
        Directory.Move(temp, final);
        string previous = File.Exists(Path.Combine(dir, "latest")) ? File.ReadAllText(Path.Combine(dir, "latest")).Trim() : "";
        AtomicFile.WriteAllText(Path.Combine(dir, "latest"), name);
        if (previous.Length > 0 && previous != name && Directory.Exists(Path.Combine(dir, previous))) Directory.Delete(Path.Combine(dir, previous), recursive: true);
    }
}
