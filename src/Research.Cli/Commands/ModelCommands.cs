using System.CommandLine;
using System.Text.Json;
using Research.Core.Configuration;
using Research.Core.Data;
using Research.Core.Models;
using Research.Core.Pipeline;
using Research.Core.Pipeline.Stages;
using Research.Core.Tracking;
using Research.Core.IO;

namespace Research.Cli.Commands;

/// <summary><c>research model train|evaluate</c>: the CNN+LSTM forecaster on its own.</summary>
internal static class ModelCommands
{
    public static Command Create()
    {
        var model = new Command("model", "Train and evaluate the CNN+LSTM forecaster.");
        model.Subcommands.Add(Train());
        model.Subcommands.Add(Evaluate());
        return model;
    }

    private static Command Train()
    {
        var config = new Option<string?>("--config") { Description = "Experiment config (default: experiments/cnn_lstm.json)." };
        var quick = new Option<bool>("--quick") { Description = "Quick mode: few tickers and epochs." };
        var output = new Option<string?>("--output") { Description = "Folder for run folders (default: the config's 'output')." };
        var tracking = new Option<string?>("--tracking-uri") { Description = "MLflow tracking URI (default: MLFLOW_TRACKING_URI, else ./mlruns)." };
        var noTracking = new Option<bool>("--no-tracking") { Description = "Do not log to MLflow." };
        var cmd = new Command("train", "Load, check and split the data, then train and score the forecaster (the run's model/ folder is the result).")
        {
            config, quick, output, tracking, noTracking,
        };
        CommandAction.Set(cmd, (parse, stdout, _) =>
        {
            string path = parse.GetValue(config) ?? Path.Combine(Path.GetDirectoryName(ConfigLoader.FindDefault())!, "cnn_lstm.json");
            var cfg = ConfigLoader.Load(path);
            if (parse.GetValue(quick)) cfg = cfg with { Quick = true };
            if (parse.GetValue(output) is { } o) cfg = cfg with { Output = o };
            using var tracker = parse.GetValue(noTracking) ? null : Tracker.FromUri(parse.GetValue(tracking), log: stdout);
            var context = new RunContext(cfg, path, RunPipeline.NewRunDirectory(cfg), stdout) { Tracker = tracker };
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
}
