using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Research.Core.Configuration;
using Research.Core.Pipeline;
using Research.Core.Tracking;
using Research.Core.IO;

namespace Research.Cli.Commands;

/// <summary><c>research mlflow runs|sync</c> and <c>research reproduce</c>.</summary>
internal static class MlflowCommands
{
    public static Command Create()
    {
        var mlflow = new Command("mlflow", "MLflow runs: list them, push local runs to a server.");
        mlflow.Subcommands.Add(Runs());
        mlflow.Subcommands.Add(Sync());
        return mlflow;
    }

    private static Command Runs()
    {
        var experiment = new Option<string?>("--experiment") { Description = "Only this experiment (default: all)." };
        var uri = new Option<string?>("--tracking-uri") { Description = "Store or server (default: MLFLOW_TRACKING_URI, else ./mlruns)." };
        var json = new Option<bool>("--json") { Description = "Print JSON." };
        var cmd = new Command("runs", "List runs: id, name, status, start, parent, key metrics.") { experiment, uri, json };
        CommandAction.Set(cmd, (parse, stdout, _) =>
        {
            var (kind, location) = Tracker.ResolveUri(parse.GetValue(uri) ?? Environment.GetEnvironmentVariable("MLFLOW_TRACKING_URI"));
            using var rest = kind == "http" ? new RestStore(location) : null;
            ITrackingStore store = rest is not null ? rest : new FileStore(location);
            var experiments = store.SearchExperiments().Where(e => parse.GetValue(experiment) is not { } n || e.Name == n).ToList();
            if (parse.GetValue(experiment) is { } name && experiments.Count == 0)
                throw new ArgumentException($"--experiment '{name}': no such experiment in {store.Uri}.");
            var rows = new List<Dictionary<string, object?>>();
            foreach (var e in experiments)
            {
                foreach (var r in store.SearchRuns([e.ExperimentId]))
                {
                    rows.Add(new Dictionary<string, object?>
                    {
                        ["experiment"] = e.Name, ["run_id"] = r.Info.RunId, ["name"] = r.Info.RunName,
                        ["status"] = RestStore.StatusName(r.Info.Status),
                        ["start"] = DateTimeOffset.FromUnixTimeMilliseconds(r.Info.StartTime).UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
                        ["parent"] = r.ParentRunId,
                        ["metrics"] = r.Metrics.OrderBy(m => m.Key, StringComparer.Ordinal).Take(200).ToDictionary(m => m.Key, m => m.Value.Value),
                    });
                }
            }

            if (parse.GetValue(json))
            {
                stdout.WriteLine(ArtifactJson.Serialize(rows));
                return 0;
            }

            stdout.WriteLine($"{"experiment",-14} {"run id",-32} {"name",-34} {"status",-9} {"start (UTC)",-19} parent");
            foreach (var r in rows)
            {
                string parent = r["parent"] is string p ? p[..8] + "…" : "";
                stdout.WriteLine($"{Cut((string)r["experiment"]!, 14),-14} {r["run_id"],-32} {Cut((string)r["name"]!, 34),-34} {r["status"],-9} {r["start"],-19} {parent}");
            }

            stdout.WriteLine($"{rows.Count} run(s) in {store.Uri}");
            return 0;
        });
        return cmd;
    }

    private static Command Sync()
    {
        var from = new Option<string>("--from") { Description = "Local store.", DefaultValueFactory = _ => "mlruns" };
        var to = new Option<string?>("--to") { Description = "Server URI (default: MLFLOW_TRACKING_URI)." };
        var cmd = new Command("sync", "Push local runs (nesting, metric history, params, tags, artifacts) to a server; re-running pushes nothing twice.") { from, to };
        CommandAction.Set(cmd, (parse, stdout, _) =>
        {
            string target = parse.GetValue(to) ?? Environment.GetEnvironmentVariable("MLFLOW_TRACKING_URI")
                ?? throw new ArgumentException("give --to <http(s)://server> or set MLFLOW_TRACKING_URI.");
            var (kind, location) = Tracker.ResolveUri(target);
            if (kind != "http") throw new ArgumentException($"--to '{target}': sync pushes to an MLflow server (http:// or https://).");
            string source = parse.GetValue(from)!;
            if (!Directory.Exists(source)) throw new DirectoryNotFoundException($"--from '{source}': no such folder.");
            using var remote = new RestStore(location);
            var result = new RunSync(new FileStore(source), remote).SyncAll(new Progress<string>(s => stdout.WriteLine($"  synced {s}")));
            stdout.WriteLine($"pushed {result.Runs} new run(s), {result.MetricPoints} metric point(s), {result.Params} param(s), {result.Tags} tag(s), {result.Artifacts} artifact file(s) to {remote.Uri}");
            return 0;
        });
        return cmd;
    }

    public static Command Reproduce()
    {
        var runId = new Argument<string>("run-id") { Description = "The parent run of a `research run`." };
        var uri = new Option<string?>("--tracking-uri") { Description = "Local store holding the run (default: MLFLOW_TRACKING_URI if a path, else ./mlruns)." };
        var cmd = new Command("reproduce", "Re-run `research run` from a run's logged config and print metric differences.") { runId, uri };
        CommandAction.Set(cmd, (parse, stdout, _) =>
        {
            var (kind, location) = Tracker.ResolveUri(parse.GetValue(uri) ?? Environment.GetEnvironmentVariable("MLFLOW_TRACKING_URI"));
            if (kind != "file") location = "mlruns";
            var store = new FileStore(location);
            string id = parse.GetValue(runId)!;
            var original = store.GetRun(id);
            string configPath = store.ArtifactPath(id, "config.json");
            if (!File.Exists(configPath)) throw new FileNotFoundException($"run {id} has no config.json artifact; it was not logged by `research run`.", configPath);
            var cfg = ConfigLoader.Load(configPath);
            stdout.WriteLine($"reproducing run {id} ({original.Info.RunName}) of experiment '{cfg.Name}', seed {cfg.Seed}");
            using var tracker = new Tracker(store, log: stdout);
            var context = new RunContext(cfg, configPath, RunPipeline.NewRunDirectory(cfg), stdout) { Tracker = tracker, Secrets = UserSecrets.Load() };
            new RunPipeline(RunPipeline.DefaultStages()).Run(context);
            var again = store.GetRun(context.TrackedRun!.RunId);
            if (original.Tags.TryGetValue(RunTracking.DataHashTag, out var h1) && again.Tags.TryGetValue(RunTracking.DataHashTag, out var h2) && h1 != h2)
                stdout.WriteLine($"warning: the data changed since the original run (hash {h1[..12]}… → {h2[..12]}…)");
            stdout.WriteLine();
            stdout.WriteLine($"{"metric",-50} {"original",14} {"reproduced",14} {"diff",12}");
            int differing = 0;
            // Wall-clock measurements (time.*, *_ms, *_s, *_per_s) differ run to run by nature: not compared.
            static bool Timing(string k) => k.StartsWith("time.", StringComparison.Ordinal) || k.EndsWith("_ms", StringComparison.Ordinal) || k.EndsWith("_s", StringComparison.Ordinal);
            foreach (var key in original.Metrics.Keys.Union(again.Metrics.Keys).Where(k => !Timing(k)).Order(StringComparer.Ordinal))
            {
                double a = original.Metrics.TryGetValue(key, out var ma) ? ma.Value : double.NaN;
                double b = again.Metrics.TryGetValue(key, out var mb) ? mb.Value : double.NaN;
                double diff = b - a;
                bool same = a.Equals(b);
                if (!same) differing++;
                stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{Cut(key, 50),-50} {a,14:G8} {b,14:G8} {(same ? "=" : diff.ToString("G4", CultureInfo.InvariantCulture)),12}"));
            }

            stdout.WriteLine(differing == 0 ? "reproduced exactly: every metric is identical." : $"{differing} metric(s) differ.");
            stdout.WriteLine("(timings — time.*, *_ms, *_s — are not compared)");
            return 0;
        });
        return cmd;
    }

    private static string Cut(string s, int n) => s.Length <= n ? s : s[..(n - 1)] + "…";
}
