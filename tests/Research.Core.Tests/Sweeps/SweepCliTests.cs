using System.Text.Json;
using Research.Core.Sweeps;
using Research.Core.Tracking;

namespace Research.Core.Tests.Sweeps;

public sealed class SweepCliTests : IDisposable
{
    private readonly string _dir = TestPaths.NewTempDir("sweep-cli");

    public void Dispose()
    {
        if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
    }

    private string Output => Path.Combine(_dir, "sweeps");

    private string Mlruns => Path.Combine(_dir, "mlruns");

    private (int Code, string Out, string Err) Sweep(string file, params string[] more) =>
        CliHarness.Run(["sweep", file, "--output", Output, "--tracking-uri", Mlruns, .. more]);

    private List<Run> Runs(string experiment)
    {
        var store = new FileStore(Mlruns);
        return store.SearchRuns([store.GetExperimentByName(experiment)!.ExperimentId]).ToList();
    }

    [Fact]
    public void Branin_json_has_the_contract_shape_and_true_values()
    {
        var (code, stdout, stderr) = Sweep(Path.Combine(TestPaths.RepoRoot, "experiments", "sweep_branin.json"), "--json");
        Assert.True(code == 0, stderr);
        using var doc = JsonDocument.Parse(stdout);
        var root = doc.RootElement;
        Assert.Equal(["sweep_run_id", "algorithm", "scheduler", "metric", "mode", "trials", "best"], root.EnumerateObject().Select(p => p.Name));
        Assert.Equal(("tpe", "fifo", "branin", "min"), (root.GetProperty("algorithm").GetString(), root.GetProperty("scheduler").GetString(),
            root.GetProperty("metric").GetString(), root.GetProperty("mode").GetString()));
        var trials = root.GetProperty("trials").EnumerateArray().ToList();
        Assert.Equal(30, trials.Count);
        Assert.Equal(Enumerable.Range(0, 30), trials.Select(t => t.GetProperty("trial_id").GetInt32()));
        foreach (var t in trials)
        {
            Assert.Equal(["trial_id", "params", "status", "steps", "metric", "run_id"], t.EnumerateObject().Select(p => p.Name));
            Assert.Equal("FINISHED", t.GetProperty("status").GetString());
            var p = t.GetProperty("params");
            Assert.Equal(Branin.Evaluate(p.GetProperty("x1").GetDouble(), p.GetProperty("x2").GetDouble()), t.GetProperty("metric").GetDouble(), 12);
        }

        var best = root.GetProperty("best");
        Assert.Equal(["trial_id", "params", "metric", "deflated_sharpe"], best.EnumerateObject().Select(p => p.Name));
        double min = trials.Min(t => t.GetProperty("metric").GetDouble());
        Assert.Equal(min, best.GetProperty("metric").GetDouble());
        Assert.Equal(min, trials[best.GetProperty("trial_id").GetInt32()].GetProperty("metric").GetDouble());
        Assert.Equal(JsonValueKind.Null, best.GetProperty("deflated_sharpe").ValueKind);
        Assert.InRange(min, Branin.GlobalMinimum, 3.0);
        Assert.Contains("sweep branin-tpe: 30/30 done (30 finished, 0 stopped, 0 failed)", stderr);

        var runs = Runs("branin-tpe");
        string parent = root.GetProperty("sweep_run_id").GetString()!;
        var p0 = Assert.Single(runs, r => r.ParentRunId is null);
        Assert.Equal((parent, RunStatus.Finished), (p0.Info.RunId, p0.Info.Status));
        Assert.Equal(min, p0.Metrics["best_branin"].Value);
        var children = runs.Where(r => r.ParentRunId == parent).ToDictionary(r => r.Info.RunId);
        Assert.Equal(30, children.Count);
        Assert.Equal(children.Keys.Order(), trials.Select(t => t.GetProperty("run_id").GetString()!).Order());
        Assert.All(children.Values, c => Assert.Equal(RunStatus.Finished, c.Info.Status));
        var art = new FileStore(Mlruns).ListArtifacts(parent).Select(a => a.Path).ToList();
        Assert.Contains(SweepRunner.ParallelCoordinatesFile, art);
        Assert.Contains(SweepRunner.HistoryFile, art);
        string html = File.ReadAllText(Path.Combine(Output, "branin-tpe", SweepRunner.ParallelCoordinatesFile));
        Assert.Contains("\"parcoords\"", html);

        var again = Sweep(Path.Combine(TestPaths.RepoRoot, "experiments", "sweep_branin.json"), "--json");
        Assert.Equal(2, again.Code);
        Assert.Contains("add --resume to continue it", again.Err);
    }

    [Fact]
    public void Asha_stopped_trials_are_killed_runs_with_their_step()
    {
        string file = Path.Combine(_dir, "lc.json");
        File.WriteAllText(file, """
            {"name": "lc-asha", "objective": "learning-curve", "algorithm": "grid",
             "scheduler": {"type": "asha", "max_t": 81, "grace_period": 1, "reduction_factor": 3},
             "num_samples": 45, "max_concurrent": 1, "metric": "loss", "mode": "min"}
            """);
        var (code, stdout, stderr) = Sweep(file, "--json", "--algorithm", "grid");
        Assert.True(code == 0, stderr);
        using var doc = JsonDocument.Parse(stdout);
        var trials = doc.RootElement.GetProperty("trials").EnumerateArray().ToList();
        var killed = trials.Where(t => t.GetProperty("status").GetString() == "KILLED").ToList();
        Assert.NotEmpty(killed);
        Assert.Contains(trials, t => t.GetProperty("status").GetString() == "FINISHED" && t.GetProperty("steps").GetInt32() == 81);
        var runs = Runs("lc-asha").Where(r => r.ParentRunId is not null).ToDictionary(r => r.Info.RunId);
        Assert.Equal(45, runs.Count);
        foreach (var t in trials)
        {
            var run = runs[t.GetProperty("run_id").GetString()!];
            int steps = t.GetProperty("steps").GetInt32();
            if (t.GetProperty("status").GetString() == "KILLED")
            {
                Assert.Equal(RunStatus.Killed, run.Info.Status);
                Assert.InRange(steps, 1, 80);
                Assert.Equal(steps, run.Metrics["stopped_at_step"].Value);
            }
            else
            {
                Assert.Equal(RunStatus.Finished, run.Info.Status);
                Assert.False(run.Metrics.ContainsKey("stopped_at_step"));
            }

            Assert.Equal(steps, run.Metrics["loss"].Step);
            Assert.Equal(t.GetProperty("metric").GetDouble(), run.Metrics["loss"].Value);
            Assert.Equal(steps, new FileStore(Mlruns).GetMetricHistory(run.Info.RunId, "loss").Count);
        }
    }

    [Fact]
    public void A_malformed_cluster_address_exits_2_and_resume_needs_a_state()
    {
        string branin = Path.Combine(TestPaths.RepoRoot, "experiments", "sweep_branin.json");
        var cluster = Sweep(branin, "--cluster", "ftp://127.0.0.1:6379");
        Assert.Equal(2, cluster.Code);
        Assert.Contains("Cluster connection \"ftp://127.0.0.1:6379\": unknown scheme \"ftp\" (expected redis or localhost)", cluster.Err);
        var resume = Sweep(branin, "--resume");
        Assert.Equal(2, resume.Code);
        Assert.Contains("nothing to resume", resume.Err);
        var missing = Sweep(Path.Combine(_dir, "none.json"));
        Assert.Equal(2, missing.Code);
        Assert.Contains("none.json: sweep file not found", missing.Err);
    }

    [Fact]
    public async Task Resume_after_cancellation_repeats_no_finished_trial_and_logs_each_trial_once()
    {
        var sweep = SweepFile.Parse("""{"name": "resume", "objective": "branin", "algorithm": "tpe", "num_samples": 16, "max_concurrent": 2, "seed": 3}""", _dir, "resume.json");
        string hash = SweepObjectives.Create(sweep, new SweepObjectiveOptions { WorkDirectory = _dir }).ContentHash;
        var calls = new List<(int Phase, int Id)>();
        int phase = 1;
        var objective = new SweepObjective((t, _, ct) =>
        {
            lock (calls) calls.Add((phase, t.Id));
            Thread.Sleep(15);
            ct.ThrowIfCancellationRequested();
            return Branin.Evaluate(t);
        }, hash, _ => null);
        using var tracker = new Tracker(new FileStore(Mlruns));
        using var cts = new CancellationTokenSource();
        int finished = 0;
        var options = new SweepRunOptions { OutputRoot = Output, Tracker = tracker, Objective = objective };
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => SweepRunner.RunAsync(sweep, options with
        {
            OnTrialFinished = _ =>
            {
                if (Interlocked.Increment(ref finished) == 6) cts.Cancel();
            },
        }, cts.Token));
        var first = new SweepStateStore(Path.Combine(Output, "resume"), sweep.Space).Load();
        var done = first.Where(r => r.IsFinished).ToDictionary(r => r.Trial.Id);
        Assert.InRange(done.Count, 6, 8);
        var parentAfterCancel = Assert.Single(Runs("resume"), r => r.ParentRunId is null);
        Assert.Equal(RunStatus.Killed, parentAfterCancel.Info.Status);
        Assert.Equal(done.Count, Runs("resume").Count(r => r.ParentRunId is not null));

        phase = 2;
        var outcome = await SweepRunner.RunAsync(sweep, options with { Resume = true });
        Assert.Equal(16, outcome.Result.Trials.Count);
        Assert.All(outcome.Result.Trials, t => Assert.Equal(TrialState.Completed, t.State));
        Assert.DoesNotContain(calls, c => c.Phase == 2 && done.ContainsKey(c.Id));
        Assert.Equal(16, calls.Where(c => c.Phase == 2).Select(c => c.Id).Concat(done.Keys).Distinct().Count());
        foreach (var (id, r) in done) Assert.Equal(r.Value, outcome.Result.Trials[id].Value);

        var runs = Runs("resume");
        var parent = Assert.Single(runs, r => r.ParentRunId is null);
        Assert.Equal((parentAfterCancel.Info.RunId, RunStatus.Finished), (parent.Info.RunId, parent.Info.Status));
        var children = runs.Where(r => r.ParentRunId == parent.Info.RunId).ToList();
        Assert.Equal(16, children.Count);
        Assert.Equal(16, children.Select(c => c.Tags[SweepTracking.TrialIdTag]).Distinct().Count());
        Assert.Equal(outcome.TrialRunIds.Values.Order(), children.Select(c => c.Info.RunId).Order());

        var changed = await Assert.ThrowsAsync<Research.Core.Data.DataFormatException>(() => SweepRunner.RunAsync(sweep, options with { Resume = true, Seed = 4 }));
        Assert.Contains("\"seed\": the sweep ran with seed 3", changed.Message);
    }

    [Fact]
    public async Task A_nested_run_missing_from_the_ledger_is_adopted_not_duplicated()
    {
        var sweep = SweepFile.Parse("""{"name": "ledger", "objective": "branin", "algorithm": "random", "num_samples": 6}""", _dir, "ledger.json");
        using var tracker = new Tracker(new FileStore(Mlruns));
        using var cts = new CancellationTokenSource();
        var options = new SweepRunOptions { OutputRoot = Output, Tracker = tracker };
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => SweepRunner.RunAsync(sweep, options with
        {
            OnTrialFinished = r =>
            {
                if (r.Trial.Id == 2) cts.Cancel();
            },
        }, cts.Token));
        string ledger = Path.Combine(Output, "ledger", "trial-runs.json");
        string parent = Assert.Single(Runs("ledger"), r => r.ParentRunId is null).Info.RunId;
        File.WriteAllText(ledger, $$"""{"sweep_run_id": "{{parent}}", "trials": []}"""); // as if the process died before recording the trials' runs

        var outcome = await SweepRunner.RunAsync(sweep, options with { Resume = true });
        var children = Runs("ledger").Where(r => r.ParentRunId == parent).ToList();
        Assert.Equal(6, children.Count);
        Assert.Equal(6, children.Select(c => c.Tags[SweepTracking.TrialIdTag]).Distinct().Count());
        Assert.All(children, c => Assert.Equal(RunStatus.Finished, c.Info.Status));
        Assert.All(children, c => Assert.Single(new FileStore(Mlruns).GetMetricHistory(c.Info.RunId, "loss")));
        Assert.Equal(outcome.TrialRunIds.Values.Order(), children.Select(c => c.Info.RunId).Order());
    }

    [Fact]
    public async Task Failed_trials_end_failed_with_their_error()
    {
        var sweep = SweepFile.Parse("""{"name": "failing", "objective": "branin", "algorithm": "random", "num_samples": 4}""", _dir, "f.json");
        using var tracker = new Tracker(new FileStore(Mlruns));
        var objective = new SweepObjective((t, _, _) => t.Id == 1 ? throw new InvalidOperationException("diverged at step 0") : Branin.Evaluate(t), "h", _ => null);
        var outcome = await SweepRunner.RunAsync(sweep, new SweepRunOptions { OutputRoot = Output, Tracker = tracker, Objective = objective });
        var failed = new FileStore(Mlruns).GetRun(outcome.TrialRunIds[1]);
        Assert.Equal(RunStatus.Failed, failed.Info.Status);
        Assert.Equal("diverged at step 0", failed.Tags["research.sweep.error"]);
        Assert.False(failed.Metrics.ContainsKey("loss"));
        using var doc = JsonDocument.Parse(SweepOutcomeJson.Write(outcome));
        var t1 = doc.RootElement.GetProperty("trials")[1];
        Assert.Equal(("FAILED", JsonValueKind.Null), (t1.GetProperty("status").GetString(), t1.GetProperty("metric").ValueKind));
        Assert.Equal(3, doc.RootElement.GetProperty("trials").EnumerateArray().Count(t => t.GetProperty("status").GetString() == "FINISHED"));
    }
}
