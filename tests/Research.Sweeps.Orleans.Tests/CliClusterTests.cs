using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using Research.Core.Sweeps;
using Research.Core.Tracking;

namespace Research.Sweeps.Orleans.Tests;

/// <summary>
/// The command lines end to end, each in its own process on loopback: Redis, <c>research sweep --cluster</c> (the
/// coordinator) and two <c>research worker</c> processes run a sweep of forecaster trials; in a second sweep one worker
/// is killed mid-trial. In both, every trial ends FINISHED or KILLED exactly once in MLflow and none is lost.
/// </summary>
public class CliClusterTests
{
    private const int Trials = 6;

    [Fact]
    public async Task A_sweep_over_two_worker_processes_logs_every_trial_once_even_when_a_worker_is_killed()
    {
        string dir = Path.Combine(Path.GetTempPath(), $"cli-cluster-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        try
        {
            string mlruns = Path.Combine(dir, "mlruns");

            // 1: both workers stay.
            using (var redis = RedisServer.Start())
            await using (var workers = new WorkerProcesses(redis.Uri))
            {
                var result = await Sweep(dir, "steady", redis.Uri, mlruns);
                AssertEveryTrialOnce(result, mlruns, "steady");
                Assert.True(workers.Started.Select(s => s.Worker).Distinct().Count() == 2, $"both workers ran trials: {string.Join(", ", workers.Started)}");
            }

            // 2: the first worker to start a trial is killed while it runs it; its trial completes on the other.
            using (var redis = RedisServer.Start())
            await using (var workers = new WorkerProcesses(redis.Uri))
            {
                var sweep = Sweep(dir, "killed", redis.Uri, mlruns);
                var (victim, trial) = await workers.FirstStart.Task.WaitAsync(TimeSpan.FromSeconds(120));
                workers.Kill(victim);
                var result = await sweep;
                AssertEveryTrialOnce(result, mlruns, "killed");
                Assert.Contains(workers.Started, s => s.Worker != victim && s.Trial == trial); // re-queued and run by the survivor
            }
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>Runs <c>research sweep --cluster … --json</c> on a tiny forecaster sweep named <paramref name="name"/>.</summary>
    private static async Task<JsonElement> Sweep(string dir, string name, string cluster, string mlruns)
    {
        string config = TinyConfig(dir);
        string file = Path.Combine(dir, $"{name}.json");
        File.WriteAllText(file, $$"""
            {
              "name": "{{name}}",
              "objective": {"config": {{JsonSerializer.Serialize(config)}}, "stages": ["data", "split", "forecast"], "metric": "forecast.best_val_loss"},
              "space": {
                "forecaster.hidden": {"type": "int", "low": 4, "high": 12},
                "forecaster.learningRate": {"type": "loguniform", "low": 1e-3, "high": 1e-2}
              },
              "algorithm": "random", "scheduler": {"type": "fifo"},
              "num_samples": {{Trials}}, "max_concurrent": 2, "metric": "forecast.best_val_loss", "mode": "min", "seed": 3
            }
            """);
        var (code, stdout, stderr) = await Cli(TimeSpan.FromMinutes(5), "sweep", file, "--cluster", cluster, "--quick", "--json",
            "--output", Path.Combine(dir, "sweeps"), "--tracking-uri", mlruns);
        Assert.True(code == 0, $"research sweep exited {code}: {stderr}");
        return JsonDocument.Parse(stdout).RootElement.Clone();
    }

    private static void AssertEveryTrialOnce(JsonElement result, string mlruns, string name)
    {
        var trials = result.GetProperty("trials").EnumerateArray().ToList();
        Assert.Equal(Enumerable.Range(0, Trials), trials.Select(t => t.GetProperty("trial_id").GetInt32()).Order());
        Assert.All(trials, t => Assert.Contains(t.GetProperty("status").GetString(), new[] { "FINISHED", "KILLED" }));

        var store = new FileStore(mlruns);
        var runs = store.SearchRuns(store.SearchExperiments().Select(e => e.ExperimentId).ToList());
        string parent = result.GetProperty("sweep_run_id").GetString()!;
        Assert.Equal(store.GetExperimentByName(name)!.ExperimentId, store.GetRun(parent).Info.ExperimentId);
        var children = runs.Where(r => r.ParentRunId == parent).ToList();
        Assert.Equal(Trials, children.Count);
        Assert.Equal(Enumerable.Range(0, Trials).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            children.Select(r => r.Tags[SweepTracking.TrialIdTag]).OrderBy(int.Parse));
        Assert.All(children, r => Assert.Contains(r.Info.Status, new[] { RunStatus.Finished, RunStatus.Killed }));
        foreach (var t in trials)
            Assert.Equal(t.GetProperty("run_id").GetString(), children.Single(r => r.Tags[SweepTracking.TrialIdTag] == t.GetProperty("trial_id").GetInt32().ToString(System.Globalization.CultureInfo.InvariantCulture)).Info.RunId);
    }

    private static string TinyConfig(string dir)
    {
        string path = Path.Combine(dir, "tiny.json");
        if (File.Exists(path)) return path;
        string Json(string p) => JsonSerializer.Serialize(p);
        string data = Path.Combine(RepoRoot, "data");
        File.WriteAllText(path, $$"""
            {
              "name": "tiny_cluster", "seed": 7, "output": {{Json(Path.Combine(dir, "runs"))}},
              "data": { "paths": [{{Json(Path.Combine(data, "djia"))}}], "benchmark": {{Json(Path.Combine(data, "indices", "^DJI.csv"))}}, "cache": {{Json(Path.Combine(dir, "cache"))}} },
              "split": { "trainEnd": "2014-12-31", "validationEnd": "2015-12-31", "embargo": 5 },
              "forecaster": { "window": 10, "convChannels": [4], "dilations": [1], "hidden": 8, "tickerEmbedding": 2, "epochs": 1,
                              "quickEpochs": 1, "quickTickers": 4, "batchSize": 512, "walkForward": false, "threads": 1 }
            }
            """);
        return path;
    }

    private static string RepoRoot
    {
        get
        {
            for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
                if (File.Exists(Path.Combine(d.FullName, "Research.sln"))) return d.FullName;
            throw new InvalidOperationException($"no Research.sln above {AppContext.BaseDirectory}");
        }
    }

    /// <summary>The CLI this test project was built with (the project reference builds it first, without copying it).</summary>
    private static string CliDll
    {
        get
        {
            string configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";
            string dll = Path.Combine(RepoRoot, "src", "Research.Cli", "bin", configuration, "net10.0", "research.dll");
            Assert.True(File.Exists(dll), $"{dll} (build Research.sln first)");
            return dll;
        }
    }

    private static ProcessStartInfo CliInfo(IEnumerable<string> args)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(CliDll);
        foreach (var a in args) info.ArgumentList.Add(a);
        return info;
    }

    private static async Task<(int Code, string Stdout, string Stderr)> Cli(TimeSpan timeout, params string[] args)
    {
        using var process = Process.Start(CliInfo(args))!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        try
        {
            await process.WaitForExitAsync().WaitAsync(timeout);
        }
        finally
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
        }

        return (process.ExitCode, await stdout, await stderr);
    }

    /// <summary>Two <c>research worker --slots 1</c> processes; records which trial each starts (from their log lines).</summary>
    private sealed class WorkerProcesses : IAsyncDisposable
    {
        private readonly Process[] _processes;

        public WorkerProcesses(string cluster)
        {
            _processes = Enumerable.Range(0, 2).Select(i =>
            {
                var p = Process.Start(CliInfo(["worker", "--cluster", cluster, "--slots", "1"]))!;
                string worker = $"worker{i}";
                p.OutputDataReceived += (_, e) => Observe(worker, e.Data);
                p.ErrorDataReceived += (_, e) => Observe(worker, e.Data);
                p.BeginOutputReadLine();
                p.BeginErrorReadLine();
                return p;
            }).ToArray();
        }

        public ConcurrentQueue<(string Worker, int Trial)> Started { get; } = new();

        public TaskCompletionSource<(string Worker, int Trial)> FirstStart { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        private void Observe(string worker, string? line)
        {
            // "… Sweep killed: trial #3 {…} started"
            if (line is null || !line.EndsWith(" started", StringComparison.Ordinal)) return;
            int hash = line.IndexOf("trial #", StringComparison.Ordinal);
            if (hash < 0) return;
            int end = line.IndexOf(' ', hash + 7);
            int trial = int.Parse(line[(hash + 7)..end], System.Globalization.CultureInfo.InvariantCulture);
            Started.Enqueue((worker, trial));
            FirstStart.TrySetResult((worker, trial));
        }

        public void Kill(string worker)
        {
            var p = _processes[int.Parse(worker["worker".Length..], System.Globalization.CultureInfo.InvariantCulture)];
            p.Kill(entireProcessTree: true);
            p.WaitForExit();
        }

        /// <summary>Stops the workers as an operator would (SIGTERM: drain and leave the cluster), killing any that hang.</summary>
        public async ValueTask DisposeAsync()
        {
            foreach (var p in _processes.Where(p => !p.HasExited))
                using (var term = Process.Start("kill", ["-TERM", p.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])) await term.WaitForExitAsync();
            foreach (var p in _processes)
            {
                try
                {
                    await p.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
                }
                catch (TimeoutException)
                {
                    p.Kill(entireProcessTree: true);
                    await p.WaitForExitAsync();
                }

                p.Dispose();
            }
        }
    }
}
