using System.Text.Json;
using Research.Core.Sweeps;
using Research.Core.Tracking;

namespace Research.Core.Tests.Sweeps;

/// <summary>Sweeps of the real forecaster on a tiny budget: 2 tickers (quick mode), a short train block, small nets.</summary>
[Collection("Torch")]
public sealed class PipelineSweepTests : IDisposable
{
    private readonly string _dir = TestPaths.NewTempDir("sweep-pipeline");

    public void Dispose()
    {
        if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
    }

    /// <summary>A config training on 2006–mid 2007 (2 tickers, 3 quick epochs, 5-day windows), validating on late 2007.</summary>
    private string WriteConfig()
    {
        string path = Path.Combine(_dir, "tiny.json");
        File.WriteAllText(path, JsonSerializer.Serialize(new
        {
            name = "tiny",
            seed = 1,
            data = new { paths = new[] { TestPaths.Djia }, benchmark = (string?)null, cache = Path.Combine(_dir, "cache") },
            split = new { trainEnd = "2007-06-29", validationEnd = "2007-12-31", embargo = 5 },
            features = new { vix = (string?)null },
            forecaster = new { window = 5, hidden = 8, convChannels = new[] { 4, 4 }, epochs = 3, quickEpochs = 3, quickTickers = 2, batchSize = 128, patience = 5, threads = 1, walkForward = false },
        }));
        return path;
    }

    private string WriteSweep(string scheduler, int samples)
    {
        string config = WriteConfig();
        string path = Path.Combine(_dir, "sweep.json");
        File.WriteAllText(path, $$$"""
            {"name": "tiny-sweep",
             "objective": {"config": "{{{Path.GetFileName(config)}}}", "stages": ["data", "split", "forecast"], "metric": "forecast.best_val_loss"},
             "space": {"forecaster.hidden": {"type": "int", "low": 4, "high": 16}, "forecaster.learningRate": {"type": "loguniform", "low": 1e-3, "high": 1e-2}},
             "algorithm": "random", "scheduler": {{{scheduler}}}, "num_samples": {{{samples}}}, "max_concurrent": 1, "seed": 2}
            """);
        return path;
    }

    [Fact]
    public void Quick_forecaster_sweep_runs_and_reports_the_best_trial_out_of_sample()
    {
        string sweep = WriteSweep("""{"type": "asha", "max_t": 3, "grace_period": 1, "reduction_factor": 2}""", 10);
        string mlruns = Path.Combine(_dir, "mlruns");
        var (code, stdout, stderr) = CliHarness.Run("sweep", sweep, "--quick", "--num-samples", "2", "--json", "--output", Path.Combine(_dir, "out"), "--tracking-uri", mlruns);
        Assert.True(code == 0, stderr);
        using var doc = JsonDocument.Parse(stdout);
        var root = doc.RootElement;
        Assert.Equal(("asha", "forecast.best_val_loss"), (root.GetProperty("scheduler").GetString(), root.GetProperty("metric").GetString()));
        var trials = root.GetProperty("trials").EnumerateArray().ToList();
        Assert.Equal(2, trials.Count);
        Assert.Equal("FINISHED", trials[0].GetProperty("status").GetString());
        Assert.Equal(3, trials[0].GetProperty("steps").GetInt32());
        Assert.All(trials, t => Assert.Contains(t.GetProperty("status").GetString(), new[] { "FINISHED", "KILLED" }));
        Assert.All(trials, t => Assert.InRange(t.GetProperty("metric").GetDouble(), 0.01, 10));
        var best = root.GetProperty("best");
        Assert.InRange(best.GetProperty("deflated_sharpe").GetDouble(), 0, 1);

        var store = new FileStore(mlruns);
        var runs = store.SearchRuns([store.GetExperimentByName("tiny-sweep")!.ExperimentId]);
        var parent = Assert.Single(runs, r => r.ParentRunId is null);
        Assert.True(parent.Metrics.ContainsKey("best_test_long_short_sharpe"));
        Assert.Equal(best.GetProperty("deflated_sharpe").GetDouble(), parent.Metrics["best_deflated_sharpe"].Value);
        var first = runs.Single(r => r.Info.RunId == trials[0].GetProperty("run_id").GetString());
        Assert.Equal(3, store.GetMetricHistory(first.Info.RunId, "forecast.best_val_loss").Count);
        Assert.Equal(("2", "true"), (parent.Params["num_samples"], parent.Params["quick"]));
    }

    [Fact]
    public async Task A_stopped_trial_stops_training_through_its_token()
    {
        var sweep = SweepFile.Load(WriteSweep("""{"type": "fifo"}""", 1));
        var objective = SweepObjectives.Create(sweep, new SweepObjectiveOptions { Quick = true, WorkDirectory = Path.Combine(_dir, "work") });
        var result = await new LocalExecutor(sweep.CreateSearcher(), new StopAt(1), new ExecutorOptions { MaxTrials = 1, MaxConcurrency = 1 })
            .RunAsync(objective.Evaluate);
        var trial = Assert.Single(result.Trials);
        Assert.Equal((TrialState.Killed, 1), (trial.State, trial.Step));
        string log = File.ReadAllText(Path.Combine(_dir, "work", "trials", "0000", "log.txt"));
        Assert.Contains("epoch   1/3", log);
        Assert.DoesNotContain("epoch   2/3", log);
        Assert.DoesNotContain("test block", log);
    }

    /// <summary>Stops every trial at a step.</summary>
    private sealed class StopAt(int step) : IScheduler
    {
        public SchedulerDecision OnResult(int trialId, int s, double value) => s >= step ? SchedulerDecision.Stop : SchedulerDecision.Continue;
    }
}
