using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Research.Core.Configuration;
using Research.Core.Data;
using Research.Core.Data.Splits;
using Research.Core.Evaluation.Significance;
using Research.Core.Models;
using Research.Core.Pipeline;

namespace Research.Core.Sweeps;

/// <summary>
/// A sweep objective over the experiment pipeline: each trial applies its parameters to the config as dotted-key
/// overrides (the config path resolves against the sweep file's folder or its nearest ancestor holding it), runs the named stages in <c>trials/&lt;id&gt;/</c> under the work folder, and returns the named run
/// metric, which must be a validation metric (its name contains "val"), never a test-block one. The forecaster
/// reports its best validation loss so far after every epoch (the scheduler may stop it; the trial's token stops
/// training between batches). Trials train without walk-forward retraining (<c>forecaster.walkForward</c> is forced
/// off: it only scores test-block windows).
/// </summary>
internal sealed class PipelineObjective
{
    /// <summary>File a trial's <see cref="TrialReturns"/> are written to, in its folder.</summary>
    public const string ReturnsFile = "sweep-returns.json";

    private readonly PipelineObjectiveSpec _spec;
    private readonly string _configPath;
    private readonly ConfigOverrides _overrides;
    private readonly string _work;

    public PipelineObjective(SweepFile sweep, PipelineObjectiveSpec spec, SweepObjectiveOptions options)
    {
        _spec = spec;
        _work = Path.GetFullPath(options.WorkDirectory);
        _configPath = FindConfig(sweep.BaseDirectory, spec.Config)
                      ?? throw new DataFormatException(sweep.Source, null, null,
                          $"\"objective.config\": config file \"{spec.Config}\" not found in {sweep.BaseDirectory} or a folder above it.");
        if (!spec.Metric.Contains("val", StringComparison.Ordinal))
            throw new DataFormatException(sweep.Source, null, null,
                $"\"objective.metric\": \"{spec.Metric}\" is not a validation metric (its name must contain \"val\", e.g. forecast.best_val_loss or forecast.val_long_short_sharpe): trials are compared on validation data, the test block is only for the best trial.");
        var known = RunPipeline.DefaultStages().Select(s => s.Name).ToList();
        for (int i = 0; i < spec.Stages.Count; i++)
        {
            if (!known.Contains(spec.Stages[i]))
                throw new DataFormatException(sweep.Source, null, null, $"\"objective.stages[{i}]\": unknown stage \"{spec.Stages[i]}\" (expected {string.Join(", ", known)}).");
        }

        var config = ConfigLoader.Load(_configPath);
        config = config with { Quick = options.Quick, Forecaster = config.Forecaster with { WalkForward = false } };
        _overrides = new ConfigOverrides(config, sweep.Source);
        _overrides.CheckKeys(sweep.Space.Parameters.Select(p => p.Key));
        ContentHash = HashInputs(config);
    }

    /// <summary>SHA-256 of the resolved config and the bytes of every data file it reads.</summary>
    public string ContentHash { get; }

    /// <summary>Runs one trial.</summary>
    public double Evaluate(Trial trial, ITrialReporter reporter, CancellationToken ct)
    {
        var config = _overrides.Apply(trial.Parameters);
        string dir = TrialDirectory(trial.Id);
        if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        Directory.CreateDirectory(dir);
        using var log = new StreamWriter(Path.Combine(dir, "log.txt"));
        double best = double.PositiveInfinity;
        var context = new RunContext(config, _configPath, dir, log)
        {
            Cancellation = ct,
            OnForecastEpoch = e =>
            {
                best = Math.Min(best, e.ValidationLoss);
                reporter.Report(e.Epoch, best);
                ct.ThrowIfCancellationRequested();
            },
        };
        var stages = RunPipeline.DefaultStages().ToDictionary(s => s.Name);
        try
        {
            foreach (string name in _spec.Stages)
            {
                ct.ThrowIfCancellationRequested();
                log.WriteLine($"[{name}]");
                stages[name].Run(context);
            }

            if (!context.Metrics.TryGetValue(_spec.Metric, out double value))
            {
                if (context.Forecast is not null && _spec.Metric == ValidationSharpeMetric) value = WriteReturns(context, dir);
                else
                    throw new InvalidOperationException(
                        $"metric \"{_spec.Metric}\" was not produced by stages {string.Join(", ", _spec.Stages)} (produced: {string.Join(", ", context.Metrics.Keys.Order(StringComparer.Ordinal))}).");
            }
            else if (context.Forecast is not null)
            {
                WriteReturns(context, dir);
            }

            return value;
        }
        finally
        {
            context.Forecast?.Forecaster.Dispose();
        }
    }

    /// <summary>The objective's own validation metric: the per-period Sharpe of the long/short rule on the validation block.</summary>
    public const string ValidationSharpeMetric = "forecast.val_long_short_sharpe";

    /// <summary>The returns trial <paramref name="id"/> wrote, or null.</summary>
    public TrialReturns? ReadReturns(int id)
    {
        string path = Path.Combine(TrialDirectory(id), ReturnsFile);
        if (!File.Exists(path)) return null;
        using var doc = JsonDocument.Parse(File.ReadAllBytes(path));
        var root = doc.RootElement;
        var metrics = root.GetProperty("test_metrics").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetDouble(), StringComparer.Ordinal);
        var sharpe = root.GetProperty("validation_sharpe");
        return new TrialReturns(sharpe.ValueKind == JsonValueKind.Number ? sharpe.GetDouble() : double.NaN,
            root.GetProperty("test_returns").EnumerateArray().Select(v => v.GetDouble()).ToArray(), metrics);
    }

    /// <summary>The config path resolved against the sweep file's folder, else against its nearest ancestor holding
    /// it (so both <c>cnn_lstm.json</c> and <c>experiments/cnn_lstm.json</c> work from <c>experiments/</c>).</summary>
    private static string? FindConfig(string baseDirectory, string config)
    {
        if (Path.IsPathRooted(config)) return File.Exists(config) ? Path.GetFullPath(config) : null;
        for (var d = new DirectoryInfo(baseDirectory); d is not null; d = d.Parent)
        {
            string candidate = Path.GetFullPath(Path.Combine(d.FullName, config));
            if (File.Exists(candidate)) return candidate;
        }

        return null;
    }

    private string TrialDirectory(int id) => Path.Combine(_work, "trials", id.ToString("D4", CultureInfo.InvariantCulture));

    /// <summary>Writes the trial's validation Sharpe and test returns; returns the validation Sharpe.</summary>
    private static double WriteReturns(RunContext context, string dir)
    {
        var forecast = context.Forecast!;
        var split = context.RequireSplit();
        var onValidation = split with { Test = split.Validation };
        var (_, validationSet) = ForecastExperiment.Evaluate(forecast.Forecaster, context.RequireData().Panel, onValidation);
        double validationSharpe = SharpeSignificance.PerPeriodSharpe(LongShortReturns.Daily(validationSet));
        context.Metrics[ValidationSharpeMetric] = validationSharpe;
        var test = LongShortReturns.Daily(forecast.TestForecasts);
        string json = IO.ArtifactJson.Write(w =>
        {
            w.WriteStartObject();
            IO.ArtifactJson.WriteDouble(w, "validation_sharpe", validationSharpe);
            w.WriteStartArray("test_returns");
            foreach (double r in test) w.WriteNumberValue(r);
            w.WriteEndArray();
            w.WriteStartObject("test_metrics");
            foreach (var (k, v) in context.Metrics.Where(m => m.Key.StartsWith("forecast.test.cnn-lstm.", StringComparison.Ordinal) && double.IsFinite(m.Value)))
                w.WriteNumber(k, v);
            w.WriteEndObject();
            w.WriteEndObject();
        });
        IO.AtomicFile.WriteAllText(Path.Combine(dir, ReturnsFile), json);
        return validationSharpe;
    }

    private static string HashInputs(RunConfig config)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(config, ConfigJson.Options)));
        var files = new List<string>();
        foreach (string p in config.Data.Paths.Append(config.Data.Benchmark).Append(config.Features.Vix).OfType<string>())
        {
            if (Directory.Exists(p)) files.AddRange(Directory.EnumerateFiles(p, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal));
            else if (File.Exists(p)) files.Add(p);
        }

        foreach (string f in files)
        {
            sha.AppendData(Encoding.UTF8.GetBytes(f));
            sha.AppendData(File.ReadAllBytes(f));
        }

        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }
}
