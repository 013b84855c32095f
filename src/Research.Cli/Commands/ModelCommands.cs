using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Research.Core.Configuration;
using Research.Core.Data;
using Research.Core.Evaluation.Reporting;
using Research.Core.Models;
using Research.Core.Pipeline;
using Research.Core.Pipeline.Stages;
using Research.Core.Tracking;
using Research.Core.IO;

namespace Research.Cli.Commands;

/// <summary><c>research model train|evaluate|significance</c>: the CNN+LSTM forecaster on its own.</summary>
internal static class ModelCommands
{
    public static Command Create()
    {
        var model = new Command("model", "Train and evaluate the CNN+LSTM forecaster.");
        model.Subcommands.Add(Train());
        model.Subcommands.Add(Evaluate());
        model.Subcommands.Add(Significance());
        model.Subcommands.Add(Register());
        return model;
    }

    private static Command Register()
    {
        var source = new Argument<string>("model") { Description = "runs:/<run-id>/<artifact path>, or a run id (its model/ artifact)." };
        var name = new Option<string>("--name") { Description = "Registered model name.", Required = true };
        var tracking = new Option<string?>("--tracking-uri") { Description = "Local MLflow store (default: MLFLOW_TRACKING_URI, else ./mlruns)." };
        var json = new Option<bool>("--json") { Description = "Print {\"name\", \"version\", \"run_id\", \"source\", \"uri\"}." };
        var cmd = new Command("register",
            "Register a logged model as the next version of a registered model (MLflow's registry layout in the local store); " +
            "`research serve --model models:/<name>/latest --reload-interval S` then swaps each new version in.") { source, name, tracking, json };
        CommandAction.Set(cmd, (parse, stdout, _) =>
        {
            var store = new FileStore(Tracker.ResolveUri(parse.GetValue(tracking) ?? Environment.GetEnvironmentVariable("MLFLOW_TRACKING_URI")) is ("file", var root)
                ? root
                : throw new ArgumentException("--tracking-uri: the model registry needs a local file store (file:// or a path)."));
            string uri = parse.GetValue(source)!;
            if (!uri.Contains(':', StringComparison.Ordinal)) uri = $"runs:/{uri}/model";
            if (!uri.StartsWith("runs:/", StringComparison.Ordinal))
                throw new ArgumentException($"model '{uri}': expected runs:/<run-id>/<artifact path> or a run id (a registered version's source is a logged model).");
            string folder = ModelUri.Resolve(uri, store); // the model must exist before it is registered
            Forecaster.Load(folder).Dispose();
            string runId = ModelUri.ParseRuns(uri).RunId;
            var version = new ModelRegistry(store).Register(parse.GetValue(name)!, uri, runId);
            string modelsUri = $"models:/{version.Name}/{version.Version}";
            if (parse.GetValue(json))
                stdout.WriteLine(ArtifactJson.Serialize(new { name = version.Name, version = version.Version, run_id = version.RunId, source = version.Source, uri = modelsUri }));
            else
                stdout.WriteLine($"registered {uri} as {modelsUri} (serve models:/{version.Name}/latest to follow new versions)");
            return 0;
        });
        return cmd;
    }

    private static RunConfig LoadConfig(ParseResult parse, Option<string?> config, Option<bool> quick, Option<string?> output, out string path)
    {
        path = parse.GetValue(config) ?? Path.Combine(Path.GetDirectoryName(ConfigLoader.FindDefault())!, "cnn_lstm.json");
        var cfg = ConfigLoader.Load(path);
        if (parse.GetValue(quick)) cfg = cfg with { Quick = true };
        if (parse.GetValue(output) is { } o) cfg = cfg with { Output = o };
        return cfg;
    }

    private static Command Train()
    {
        var config = new Option<string?>("--config") { Description = "Experiment config (default: experiments/cnn_lstm.json)." };
        var quick = new Option<bool>("--quick") { Description = "Quick mode: few tickers and epochs." };
        var output = new Option<string?>("--output") { Description = "Folder for run folders (default: the config's 'output')." };
        var tracking = new Option<string?>("--tracking-uri") { Description = "MLflow tracking URI (default: MLFLOW_TRACKING_URI, else ./mlruns)." };
        var noTracking = new Option<bool>("--no-tracking") { Description = "Do not log to MLflow." };
        var shuffle = new Option<bool>("--shuffle-target")
        {
            Description = "Leakage probe: permute each ticker's train and validation targets across dates (seeded by the config's seed; " +
                          "features untouched, test targets real), then train and score as usual. The test IC should be ≈ 0.",
        };
        var cmd = new Command("train", "Load, check and split the data, then train and score the forecaster (the run's model/ folder is the result).")
        {
            config, quick, output, tracking, noTracking, shuffle,
        };
        CommandAction.Set(cmd, (parse, stdout, _) =>
        {
            var cfg = LoadConfig(parse, config, quick, output, out string path);
            if (parse.GetValue(shuffle)) cfg = cfg with { Forecaster = cfg.Forecaster with { ShuffleTargetSeed = TargetPermutation.SeedFor(cfg.Seed, 1) } };
            using var tracker = parse.GetValue(noTracking) ? null : Tracker.FromUri(parse.GetValue(tracking), log: stdout);
            var context = new RunContext(cfg, path, RunPipeline.NewRunDirectory(cfg), stdout) { Tracker = tracker, Secrets = UserSecrets.Load() };
            new RunPipeline([new DataStage(), new SplitStage(), new ForecastStage()]).Run(context);
            return 0;
        });
        return cmd;
    }

    private static Command Evaluate()
    {
        var checkpoint = new Option<string>("--checkpoint") { Description = "Model folder, run folder, or runs:/<run-id>/model.", Required = true };
        var config = new Option<string?>("--config") { Description = "Config naming the data and split (default: experiments/default.json)." };
        var tracking = new Option<string?>("--tracking-uri") { Description = "Local MLflow store for runs:/ URIs (default: MLFLOW_TRACKING_URI, else ./mlruns)." };
        var json = new Option<bool>("--json") { Description = "Print JSON." };
        var cmd = new Command("evaluate", "Score a saved forecaster on the test block next to the naive baselines.") { checkpoint, config, tracking, json };
        CommandAction.Set(cmd, (parse, stdout, _) =>
        {
            FileStore? store = parse.GetValue(tracking) is { } t && Tracker.ResolveUri(t) is ("file", var root) ? new FileStore(root) : null;
            string folder = ModelUri.Resolve(parse.GetValue(checkpoint)!, store);
            using var forecaster = Forecaster.Load(folder);
            var cfg = ConfigLoader.Load(parse.GetValue(config) ?? ConfigLoader.FindDefault());
            var data = MarketDataLoader.Load(cfg.Data, cfg.Data.Cache);
            var split = cfg.Split.Apply(data.Panel.Calendar);
            var (metrics, _) = ForecastExperiment.Evaluate(forecaster, data.Panel, split);
            if (parse.GetValue(json))
            {
                var rows = metrics.Select(m => new Dictionary<string, object?>
                {
                    ["name"] = m.Name, ["count"] = m.Count, ["mse"] = m.Mse, ["mae"] = m.Mae,
                    ["directional_accuracy"] = m.DirectionalAccuracy, ["ic_mean"] = m.IcMean, ["ic_tstat"] = m.IcTStat,
                    ["ic_days"] = m.IcDays, ["brier"] = m.Brier,
                    ["reliability"] = m.Reliability.Select(b => new { lower = b.Lower, upper = b.Upper, count = b.Count, mean_probability = b.MeanProbability, observed = b.ObservedFrequency }),
                });
                stdout.WriteLine(ArtifactJson.Serialize(new { model = folder, test = split.Test.Describe(data.Panel.Calendar), metrics = rows }));
            }
            else
            {
                stdout.WriteLine($"model {folder}; test block {split.Test.Describe(data.Panel.Calendar)}");
                stdout.Write(ForecastStage.Table(metrics));
            }

            return 0;
        });
        return cmd;
    }

    private static Command Significance()
    {
        var config = new Option<string?>("--config") { Description = "Experiment config (default: experiments/cnn_lstm.json)." };
        var quick = new Option<bool>("--quick") { Description = "Quick mode: few tickers and epochs." };
        var output = new Option<string?>("--output") { Description = "Folder for run folders (default: the config's 'output')." };
        var tracking = new Option<string?>("--tracking-uri") { Description = "MLflow tracking URI (default: MLFLOW_TRACKING_URI, else ./mlruns)." };
        var noTracking = new Option<bool>("--no-tracking") { Description = "Do not log to MLflow." };
        var permutations = new Option<int>("--permutations")
        {
            Description = "N, shuffled-target models to train (each with its own permutation seed); at least 1.", DefaultValueFactory = _ => 20,
        };
        var json = new Option<bool>("--json") { Description = "Print one JSON object (progress goes to stderr)." };
        var cmd = new Command("significance",
            "Permutation test of the forecaster's test IC: trains the real model and N models on targets permuted within each ticker " +
            "(train and validation blocks; test targets real) and reports where the real IC falls: one-sided p = (1 + #{null IC ≥ real IC}) / (N + 1).")
        {
            config, quick, output, tracking, noTracking, permutations, json,
        };
        CommandAction.Set(cmd, (parse, stdout, stderr) =>
        {
            int n = parse.GetValue(permutations);
            if (n < 1) throw new ArgumentException($"--permutations must be ≥ 1 (got {n}).");
            var cfg = LoadConfig(parse, config, quick, output, out string path);
            bool asJson = parse.GetValue(json);
            var progress = asJson ? stderr : stdout;
            var data = MarketDataLoader.Load(cfg.Data, cfg.Data.Cache);
            var split = cfg.Split.Apply(data.Panel.Calendar);
            var inv = CultureInfo.InvariantCulture;
            string folder = Path.Combine(cfg.Output, $"{cfg.Name}-significance-{DateTime.UtcNow.ToString("yyyyMMdd-HHmmss-fff", inv)}");
            Directory.CreateDirectory(folder);
            progress.WriteLine($"permutation test: 1 real + {n} shuffled-target models (seed {cfg.Seed}{(cfg.Quick ? ", quick" : "")}); test block {split.Test.Describe(data.Panel.Calendar)}");

            using var tracker = parse.GetValue(noTracking) ? null : Tracker.FromUri(parse.GetValue(tracking), log: progress);
            using var run = tracker?.StartRun(Path.GetFileName(folder), cfg.Name, tags: SignificanceTags(cfg, path, data.DataHash));
            run?.LogParams([.. RunTracking.FlattenConfig(cfg), new("permutations", n.ToString(inv)), new(ForecastStage.ShuffleTargetKey, "permutation-test")]);
            var result = ForecastSignificance.Run(data.Panel, split, cfg.Forecaster, cfg.Seed, cfg.Quick, n, p =>
            {
                progress.WriteLine(p.ToString());
                if (p.Index > 0 && double.IsFinite(p.TestIc)) run?.LogMetric("null_ic", p.TestIc, p.Index);
            });

            string csv = Path.Combine(folder, "null_ics.csv");
            File.WriteAllText(csv, ForecastSignificance.NullIcsCsv(result));
            string html = Path.Combine(folder, "permutation_histogram.html");
            File.WriteAllText(html, PermutationHistogram.Html(result, $"{cfg.Name}: permutation test of the test IC"));
            if (run is not null)
            {
                static IEnumerable<KeyValuePair<string, double>> Finite(params (string Key, double Value)[] m) =>
                    m.Where(x => double.IsFinite(x.Value)).Select(x => new KeyValuePair<string, double>(x.Key, x.Value));
                run.LogMetrics(Finite(("real_ic", result.RealIc), ("null_mean", result.NullMean), ("null_std", result.NullStd), ("p_value", result.PValue)));
                run.LogArtifact(csv);
                run.LogArtifact(html);
            }

            if (asJson)
            {
                static double? J(double v) => double.IsFinite(v) ? v : null;
                stdout.WriteLine(JsonSerializer.Serialize(new Dictionary<string, object?>
                {
                    ["real_ic"] = J(result.RealIc), ["null_ics"] = result.NullIcs.Select(J).ToArray(), ["null_mean"] = J(result.NullMean),
                    ["null_std"] = J(result.NullStd), ["p_value"] = J(result.PValue), ["permutations"] = result.Permutations, ["seed"] = result.Seed,
                    ["seconds"] = result.Seconds, ["output"] = folder, ["run_id"] = run?.RunId,
                }, new JsonSerializerOptions { WriteIndented = true }));
            }
            else
            {
                stdout.WriteLine(string.Create(inv,
                    $"real test IC {result.RealIc:F4}; null ({n} shuffled-target models) mean {result.NullMean:F4}, std {result.NullStd:F4}; " +
                    $"one-sided p = (1 + #{{null ≥ real}}) / (N + 1) = {result.PValue:F4}; {result.Seconds:F1} s"));
                stdout.WriteLine($"null ICs: {csv}; histogram: {html}{(run is null ? "" : $"; MLflow run {run.RunId}")}");
            }

            return 0;
        });
        return cmd;
    }

    private static Dictionary<string, string> SignificanceTags(RunConfig cfg, string configPath, string dataHash)
    {
        var tags = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [TrackingTags.SourceName] = "research model significance",
            ["research.seed"] = cfg.Seed.ToString(CultureInfo.InvariantCulture),
            ["research.quick"] = cfg.Quick ? "true" : "false",
            [RunTracking.DataHashTag] = dataHash,
            [ForecastStage.ShuffleTargetKey] = "permutation-test",
        };
        foreach (var (k, v) in RunTracking.GitInfo(Path.GetDirectoryName(Path.GetFullPath(configPath))!)) tags[k] = v;
        return tags;
    }
}
