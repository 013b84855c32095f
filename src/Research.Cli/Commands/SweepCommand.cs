using System.CommandLine;
using Research.Core.Sweeps;
using Research.Core.Tracking;
using Research.Sweeps.Orleans;

namespace Research.Cli.Commands;

/// <summary>
/// <c>research sweep &lt;sweep.json&gt;</c>: a hyperparameter sweep (docs/sweeps.md) run by <see cref="SweepRunner"/>;
/// flags override the file; progress lines go to stderr; <c>--json</c> prints the result object on stdout.
/// </summary>
internal static class SweepCommand
{
    /// <summary>Exit code of an interrupted (Ctrl+C) sweep; its state is saved for <c>--resume</c>.</summary>
    public const int Interrupted = 130;

    public static Command Create()
    {
        var file = new Argument<string>("sweep.json") { Description = "The sweep file (e.g. experiments/sweep_branin.json)." };
        var algorithm = new Option<string?>("--algorithm") { Description = "Override the file's algorithm: grid, random or tpe." };
        var seed = new Option<int?>("--seed") { Description = "Override the file's seed." };
        var samples = new Option<int?>("--num-samples") { Description = "Override the file's num_samples (also over --quick's cap)." };
        var cluster = new Option<string?>("--cluster") { Description = "Run the trials on an Orleans cluster (redis://host:port, or localhost://127.0.0.1:port for one machine): this process coordinates, `research worker` processes run the trials." };
        var quick = new Option<bool>("--quick") { Description = $"Smoke budget: at most {SweepRunner.QuickSamples} trials, and a pipeline objective in the config's quick mode (forecaster.quickEpochs epochs on forecaster.quickTickers tickers)." };
        var resume = new Option<bool>("--resume") { Description = "Continue the interrupted sweep in the sweep folder; finished trials are not run again." };
        var json = new Option<bool>("--json") { Description = "Print one JSON object on stdout: {\"sweep_run_id\", \"algorithm\", \"scheduler\", \"metric\", \"mode\", \"trials\": [...], \"best\": {...}}." };
        var output = new Option<string?>("--output") { Description = $"Parent of the sweep folder <output>/<sweep name> (default: {SweepRunner.DefaultOutputRoot})." };
        var tracking = new Option<string?>("--tracking-uri") { Description = "MLflow tracking URI (default: MLFLOW_TRACKING_URI, else ./mlruns)." };
        var cmd = new Command("sweep", "Run a hyperparameter sweep: trials from grid, random or TPE search, early stopping by FIFO, ASHA or the median rule, each trial a nested MLflow run.")
        {
            file, algorithm, seed, samples, cluster, quick, resume, json, output, tracking,
        };
        CommandAction.Set(cmd, (parse, stdout, stderr) =>
        {
            ClusterSweepExecutor.Register(stderr);
            var executor = SweepExecutors.Resolve(parse.GetValue(cluster));
            var sweep = SweepFile.Load(parse.GetValue(file)!);
            using var tracker = Tracker.FromUri(parse.GetValue(tracking), log: stderr);
            using var stop = new StopSignal();
            try
            {
                var outcome = SweepRunner.RunAsync(sweep, new SweepRunOptions
                {
                    Algorithm = parse.GetValue(algorithm),
                    Seed = parse.GetValue(seed),
                    NumSamples = parse.GetValue(samples),
                    Quick = parse.GetValue(quick),
                    Resume = parse.GetValue(resume),
                    OutputRoot = parse.GetValue(output) ?? SweepRunner.DefaultOutputRoot,
                    Tracker = tracker,
                    Executor = executor,
                    Progress = stderr,
                }, stop.Token).GetAwaiter().GetResult();
                if (parse.GetValue(json)) stdout.WriteLine(SweepOutcomeJson.Write(outcome));
                else stdout.WriteLine($"sweep {sweep.Name}: MLflow run {outcome.SweepRunId} in {tracker.Uri}; results in {outcome.Directory}");
                return 0;
            }
            catch (OperationCanceledException) when (stop.Stopped)
            {
                return Interrupted;
            }
        });
        return cmd;
    }
}
