using Research.Cli;

namespace Research.Core.Tests.Cli;

[Collection("Torch")]
public class CliTests
{
    private static (int Code, string Out, string Err) Run(params string[] args) => CliHarness.Run(args);

    [Fact]
    public void Data_check_exit_codes_clean_defects_unreadable()
    {
        string dir = TestPaths.NewTempDir();
        File.WriteAllText(Path.Combine(dir, "OK.csv"), "Date,Open,High,Low,Close,Volume\n2020-01-02,1,2,1,1.5,10\n");
        Assert.Equal(0, Run("data", "check", Path.Combine(dir, "OK.csv")).Code);

        var defects = Run("data", "check", TestPaths.Djia, "--summary");
        Assert.Equal(1, defects.Code);
        Assert.Contains("193 defect(s)", defects.Out);

        File.WriteAllText(Path.Combine(dir, "BAD.csv"), "Date,Open,High,Low,Close,Volume\n2020-01-02,1,2,x,1.5,10\n");
        var bad = Run("data", "check", Path.Combine(dir, "BAD.csv"));
        Assert.Equal(2, bad.Code);
        Assert.Contains("BAD.csv:2:4: Low value 'x' is not a number", bad.Err);
        Assert.DoesNotContain("   at ", bad.Err); // no stack trace
    }

    [Fact]
    public void Data_check_json_lists_defects_and_repairs()
    {
        var (code, json, _) = Run("data", "check", Path.Combine(TestPaths.Djia, "DIS.csv"), "--json");
        Assert.Equal(1, code);
        using var doc = System.Text.Json.JsonDocument.Parse(json);
        var root = doc.RootElement;
        Assert.False(root.GetProperty("clean").GetBoolean());
        var kinds = root.GetProperty("defects").EnumerateArray().Select(d => d.GetProperty("kind").GetString()).ToArray();
        Assert.Contains("missing-field", kinds);
        Assert.Contains("zero-volume", kinds);
        Assert.Contains(root.GetProperty("repairs").EnumerateArray(), r => r.GetProperty("action").GetString() == "fill-from-close");
    }

    [Fact]
    public void Run_on_the_default_config_writes_its_artifacts()
    {
        string output = TestPaths.NewTempDir();
        string mlruns = Path.Combine(output, "mlruns");
        var (code, stdout, err) = Run("run", "--config", Path.Combine(TestPaths.RepoRoot, "experiments", "default.json"), "--output", output,
            "--tracking-uri", mlruns, "--quick");
        Assert.True(code == 0, err);
        Assert.Contains("31 tickers × 3,020 dates", stdout);
        Assert.Contains("buy-and-hold", stdout);
        string runDir = Directory.GetDirectories(output).Single(d => Path.GetFileName(d) != "mlruns");

        // One MLflow parent run with a nested run per stage, params from the config, metrics and artifacts.
        var store = new Research.Core.Tracking.FileStore(mlruns);
        var runs = store.SearchRuns([store.GetExperimentByName("default")!.ExperimentId]);
        var parent = runs.Single(r => r.ParentRunId is null);
        Assert.Equal(Path.GetFileName(runDir), parent.Info.RunName);
        Assert.Equal(Research.Core.Tracking.RunStatus.Finished, parent.Info.Status);
        Assert.Equal(["backtest", "benchmarks", "data", "features", "forecast", "report", "rl", "split", "summary"], runs.Where(r => r.ParentRunId == parent.Info.RunId).Select(r => r.Info.RunName).Order());

        // The backtest stage: the forecaster's signals and an equal-weight rebalance through the engine, costs on, risk on.
        Assert.Contains("cnn-lstm-kelly: final", stdout);
        Assert.True(parent.Metrics["backtest.cnn-lstm-kelly.costs"].Value > 0);
        Assert.Contains("tearsheet of cnn-lstm-kelly", stdout);
        foreach (var f in new[] { "backtest.md", "costs.csv", "fills-cnn-lstm-kelly.csv", "trades-cnn-lstm-kelly.csv", "daily-cnn-lstm-kelly.csv", "interventions-equal-weight-engine.csv" })
        {
            Assert.True(File.Exists(Path.Combine(runDir, f)), f);
        }

        // Its curves are in equity.csv (written by the benchmark stage after it) and its cost breakdown adds up.
        Assert.StartsWith("Date,cnn-lstm-kelly,rl-ppo,rl-a2c,rl-sac,rl-td3,rl-ddpg,rl-ensemble,equal-weight-engine,buy-and-hold,", File.ReadLines(Path.Combine(runDir, "equity.csv")).First());

        // The rl stage: five agents and FinRL's ensemble on the hybrid env, selected on validation, traded through the
        // backtester with costs; each Sharpe deflated for every validation trial; the agents as MLflow models.
        foreach (var algo in new[] { "ppo", "a2c", "sac", "td3", "ddpg", "ensemble" })
        {
            Assert.Contains($"rl-{algo}: final", stdout);
            Assert.True(parent.Metrics[$"backtest.rl-{algo}.costs"].Value > 0, algo);
        }

        double trials = parent.Metrics["rl.trials"].Value;
        Assert.Equal(5 * 5 + 8 * 3, trials); // 5 checkpoints per agent, 3 candidates in each of 8 ensemble windows
        Assert.Contains("Deflated Sharpe", stdout);
        Assert.Equal(trials, parent.Metrics["test.rl-ppo.trials"].Value);
        Assert.True(parent.Metrics["test.rl-ppo.deflated_sharpe_ratio"].Value < parent.Metrics["test.rl-ppo.probabilistic_sharpe_ratio"].Value);
        Assert.Equal(1, parent.Metrics["test.cnn-lstm-kelly.trials"].Value);
        Assert.Contains("ensemble window 8/8", stdout);
        Assert.Equal(9, File.ReadAllLines(Path.Combine(runDir, "rl-ensemble.csv")).Length);
        Assert.True(store.GetMetricHistory(runs.Single(r => r.Info.RunName == "rl").Info.RunId, "sac.validation_sharpe").Count == 5);
        using (var agent = Research.Core.Agents.AgentStore.Load($"runs:/{parent.Info.RunId}/rl/sac", store: store))
        {
            Assert.Equal("SAC", agent.Algorithm);
            Assert.Equal(1 + 31 * (2 + 8 + 3), agent.ObservationSpace.FlatSize);
        }
        var costRow = File.ReadLines(Path.Combine(runDir, "costs.csv")).Skip(1).First().Split(',');
        Assert.Equal("cnn-lstm-kelly", costRow[0]);
        double Cost(int i) => double.Parse(costRow[i], System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(Math.Abs(Cost(1) + Cost(2) + Cost(3) + Cost(4) + Cost(5) - Cost(6) - Cost(7)) <= 1e-9 * Cost(7), "components add up to the total");
        Assert.True(Math.Abs(parent.Metrics["backtest.cnn-lstm-kelly.costs"].Value - Cost(7)) <= 1e-9 * Cost(7), "costs.csv total = the logged metric");

        // The features stage: FinRL's set, turbulence and VIX, normalised on the train block; three of them feed the forecaster.
        var features = runs.Single(r => r.Info.RunName == "features");
        Assert.True(features.Metrics["features.count"].Value >= 13);
        Assert.Contains("turbulence", File.ReadAllText(Path.Combine(runDir, "features.md")));
        Assert.Contains("11 features × 20-day windows", stdout);

        // The forecaster: per-epoch metrics in its stage run, metrics next to the baselines, the model as an MLflow model folder.
        Assert.Contains("cnn-lstm         zero  last-return        ridge", stdout);
        var forecast = runs.Single(r => r.Info.RunName == "forecast");
        Assert.Equal(3, store.GetMetricHistory(forecast.Info.RunId, "val_loss").Count);
        Assert.True(parent.Metrics.ContainsKey("forecast.test.cnn-lstm.ic_mean"));
        Assert.True(parent.Metrics.ContainsKey("forecast.test.ridge.mse"));
        Assert.Contains("research_workbench:", File.ReadAllText(Path.Combine(store.ArtifactPath(parent.Info.RunId, "model"), "MLmodel")));
        var (evalCode, evalJson, evalErr) = Run("model", "evaluate", "--checkpoint", $"runs:/{parent.Info.RunId}/model", "--tracking-uri", mlruns, "--json");
        Assert.True(evalCode == 0, evalErr);
        using (var doc = System.Text.Json.JsonDocument.Parse(evalJson))
        {
            var names = doc.RootElement.GetProperty("metrics").EnumerateArray().Select(m => m.GetProperty("name").GetString()!).ToArray();
            Assert.Equal(["cnn-lstm", "zero", "last-return", "ridge"], names);
            Assert.Equal(parent.Metrics["forecast.test.cnn-lstm.mse"].Value, doc.RootElement.GetProperty("metrics")[0].GetProperty("mse").GetDouble(), 12);
        }
        Assert.Equal("2014-12-31", parent.Params["split.trainEnd"]);
        Assert.Equal("42", parent.Tags["research.seed"]);
        Assert.Equal(64, parent.Tags[Research.Core.Pipeline.RunTracking.DataHashTag].Length);
        Assert.True(parent.Metrics.ContainsKey("test.buy-and-hold.sharpe_ratio"));
        var artifacts = store.ListArtifacts(parent.Info.RunId).Select(a => a.Path).ToList();
        foreach (var a in new[] { "config.json", "environment.json", "tearsheet.html", "summary.json", "returns.csv" }) Assert.Contains(a, artifacts);
        foreach (var f in new[] { "quality.txt", "splits.txt", "features.md", "equity.csv", "summary.json", "metrics.md", "returns.csv", "benchmark.csv", "metadata.json", "tearsheet.html" })
        {
            Assert.True(File.Exists(Path.Combine(runDir, f)), f);
        }

        // The run ends with the metrics table (empyrical set, benchmark starred) and a tearsheet.
        Assert.Contains("Sharpe ratio", stdout);
        Assert.Contains("DJI*", stdout);

        using var summary = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(runDir, "summary.json")));
        Assert.Equal("DJI", summary.RootElement.GetProperty("benchmark").GetString());
        // Curves in the order their stages added them: the backtests, then the benchmarks.
        var curves = summary.RootElement.GetProperty("curves").EnumerateArray().Select(c => c.GetProperty("strategy").GetString()!).ToArray();
        Assert.Equal(["cnn-lstm-kelly", "rl-ppo", "rl-a2c", "rl-sac", "rl-td3", "rl-ddpg", "rl-ensemble", "equal-weight-engine", "buy-and-hold", "equal-weight-monthly", "DJI"], curves);
        var bh = summary.RootElement.GetProperty("curves")[8];
        double beta = bh.GetProperty("metrics").GetProperty("beta").GetDouble();
        Assert.InRange(beta, 0.5, 1.5);

        // research reproduce re-runs from the logged config and compares every metric.
        var (repCode, repOut, repErr) = Run("reproduce", parent.Info.RunId, "--tracking-uri", mlruns);
        Assert.True(repCode == 0, repErr);
        Assert.Contains("metric", repOut);
        Assert.Contains("test.buy-and-hold.sharpe_ratio", repOut);
        Assert.Contains("reproduced exactly: every metric is identical.", repOut);

        // The run folder is what `research report --run` reads, and the returns it wrote are the curve's returns.
        var returns = Research.Core.Evaluation.ReturnSeriesCsv.Load(Path.Combine(runDir, "returns.csv"));
        Assert.Equal(498, returns.Count);
        string html = Path.Combine(output, "again.html");
        var (reportCode, _, reportErr) = Run("report", "--run", runDir, "--out", html);
        Assert.True(reportCode == 0, reportErr);
        Assert.True(new FileInfo(html).Length > 100_000);

        // ... and so does an MLflow run id, whose artifacts hold the same files.
        string byId = Path.Combine(output, "by-id.html");
        var (idCode, _, idErr) = Run("report", "--run", parent.Info.RunId, "--tracking-uri", mlruns, "--out", byId);
        Assert.True(idCode == 0, idErr);
        var (badCode, _, badErr) = Run("report", "--run", "0123456789abcdef0123456789abcdef", "--tracking-uri", mlruns, "--out", byId);
        Assert.Equal(2, badCode);
        Assert.Contains("neither a run folder nor a run id", badErr);
        Assert.True(new FileInfo(byId).Length > 100_000);
    }

    [Fact]
    public void Bad_config_is_a_clear_error()
    {
        string dir = TestPaths.NewTempDir();
        string cfg = Path.Combine(dir, "bad.json");
        File.WriteAllText(cfg, "{\n  \"split\": { \"embargo\": -3 }\n}");
        var (code, _, err) = Run("run", "--config", cfg);
        Assert.Equal(2, code);
        Assert.Contains("'split.embargo' must be ≥ 0", err);
    }
}
