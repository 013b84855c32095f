using System.CommandLine;
using Research.Core.Configuration;
using Research.Core.Pipeline;
using Research.Core.Tracking;

namespace Research.Cli.Commands;

/// <summary><c>research run</c>: the main job, every stage of the pipeline on one config.</summary>
internal static class RunCommand
{
    public static Command Create()
    {
        var config = new Option<string?>("--config") { Description = "Experiment config (default: experiments/default.json)." };
        var quick = new Option<bool>("--quick") { Description = "Quick mode: small models, few epochs (what CI and notebooks use)." };
        var output = new Option<string?>("--output") { Description = "Folder for run folders (default: the config's 'output', runs/)." };
        var tracking = new Option<string?>("--tracking-uri") { Description = "MLflow tracking URI (default: MLFLOW_TRACKING_URI, else ./mlruns)." };
        var noTracking = new Option<bool>("--no-tracking") { Description = "Do not log the run to MLflow." };
        var cmd = new Command("run", "Run the main job: load and check data, split, features, models, backtests, metrics, report; logged to MLflow.")
        {
            config, quick, output, tracking, noTracking,
        };
        CommandAction.Set(cmd, (parse, stdout, _) =>
        {
            string path = parse.GetValue(config) ?? ConfigLoader.FindDefault();
            var cfg = ConfigLoader.Load(path);
            if (parse.GetValue(quick)) cfg = cfg with { Quick = true };
            if (parse.GetValue(output) is { } o) cfg = cfg with { Output = o };
            stdout.WriteLine($"research run: experiment '{cfg.Name}' from {Path.GetRelativePath(Directory.GetCurrentDirectory(), path)}{(cfg.Quick ? " (quick)" : "")}, seed {cfg.Seed}");
            using var tracker = parse.GetValue(noTracking) ? null : Tracker.FromUri(parse.GetValue(tracking), log: stdout);
            var context = new RunContext(cfg, path, RunPipeline.NewRunDirectory(cfg), stdout) { Tracker = tracker, Secrets = UserSecrets.Load() };
            new RunPipeline(RunPipeline.DefaultStages()).Run(context);
            return 0;
        });
        return cmd;
    }
}
