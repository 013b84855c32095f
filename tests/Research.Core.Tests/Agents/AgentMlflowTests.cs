using Research.Core.Agents;
using Research.Core.Agents.Algorithms;
using Research.Core.Configuration;
using Research.Core.Models;
using Research.Core.Tests.Models;
using Research.Core.Tracking;
using static Research.Core.Tests.Agents.AgentTestSupport;

namespace Research.Core.Tests.Agents;

/// <summary>A saved agent is an MLflow model (research_workbench flavor, model_type rl_agent) and its training curve is run metrics.</summary>
[Collection("Torch")]
public class AgentMlflowTests
{
    private static Ppo NewPpo(int seed = 2) =>
        new(Make("CartPole-v1"), PpoConfig.CartPoleZoo with { Seed = seed, Normalize = new NormalizationConfig(), ProgressInterval = 256 });

    private static FileStore NewStore() => new(Path.Combine(TempDir(), "mlruns"));

    private static int[] Bits(float[] values) => values.Select(BitConverter.SingleToInt32Bits).ToArray();

    [Fact]
    public void Agent_logged_to_a_run_is_an_MLflow_model_that_loads_from_its_runs_uri_with_identical_predictions()
    {
        var store = NewStore();
        using var tracker = new Tracker(store);
        using var agent = NewPpo();
        string uri, runId;
        using (var run = tracker.StartRun("ppo-cartpole"))
        {
            agent.Learn(1024, run);
            uri = run.LogModel(agent);
            runId = run.RunId;
        }

        Assert.Equal($"runs:/{runId}/model", uri);
        string folder = store.ArtifactPath(runId, "model");
        Assert.Equal(Path.GetFullPath(folder), Path.GetFullPath(ModelUri.Resolve(uri, store)));
        string mlmodel = File.ReadAllText(Path.Combine(folder, "MLmodel"));
        Assert.StartsWith("artifact_path: model\nflavors:\n  research_workbench:\n    model_type: rl_agent\n    algorithm: PPO\n    config: config.json\n", mlmodel);
        foreach (var line in new[]
                 {
                     "    normalization: normalization.json\n", "    torchsharp_version: 0.107.0\n", "    observation_space: Box\n",
                     "    observation_size: 4\n", "    action_space: Discrete\n", "    action_size: 1\n", "    steps_done: 1024\n",
                     "mlflow_version: 2.12.2\n", $"run_id: '{runId}'\n",
                 })
        {
            Assert.Contains(line, mlmodel);
        }

        Assert.Matches(@"\nutc_time_created: '\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6}'\n$", mlmodel);
        var files = store.ListArtifacts(runId, "model").Select(a => a.Path).ToList();
        foreach (var f in new[] { "model/MLmodel", "model/config.json", "model/normalization.json" }) Assert.Contains(f, files);
        Assert.Contains("model/policy.bin", files);

        // Through the runs:/ URI in a fresh store object (as another process would read it): the same agent, bit for bit.
        using var loaded = AgentStore.Load(uri, store: new FileStore(store.Root));
        Assert.IsType<Ppo>(loaded);
        Assert.Equal(1024, loaded.StepsDone);
        Assert.Equal(Bits(Predictions(agent, 64)), Bits(Predictions(loaded, 64)));

        // The loaded agent saves again as a model folder without a run id, and that folder loads too.
        string copy = Path.Combine(TempDir(), "copy");
        loaded.Save(copy);
        Assert.DoesNotContain("run_id:", File.ReadAllText(Path.Combine(copy, "MLmodel")));
        using var again = AgentStore.Load(copy);
        Assert.Equal(Bits(Predictions(agent, 64)), Bits(Predictions(again, 64)));
    }

    [Fact]
    public void Training_progress_lands_in_the_run_as_metrics_at_environment_steps()
    {
        var store = NewStore();
        using var tracker = new Tracker(store);
        using var agent = NewPpo(seed: 4);
        var first = new List<AgentProgress>();
        var second = new List<AgentProgress>();
        string runId;
        using (var run = tracker.StartRun("ppo-progress"))
        {
            runId = run.RunId;
            agent.Learn(1024, run, first.Add);
            agent.Learn(512, run, second.Add); // the second call continues the curve after the first call's steps
        }

        var reports = first.Select(p => (Step: p.Steps, Progress: p)).Concat(second.Select(p => (Step: 1024 + p.Steps, Progress: p))).ToList();
        Assert.Equal(1024, first[^1].Steps);
        Assert.Equal(1536, reports[^1].Step);
        Assert.True(reports.Count >= 6, $"{reports.Count} reports");
        var reader = new FileStore(store.Root);
        Assert.Equal(RunStatus.Finished, reader.GetRun(runId).Info.Status);

        var speed = reader.GetMetricHistory(runId, AgentTracking.StepsPerSecond);
        Assert.Equal(reports.Select(r => r.Step), speed.Select(m => m.Step));
        Assert.Equal(reports.Select(r => r.Progress.StepsPerSecond), speed.Select(m => m.Value));

        var withEpisodes = reports.Where(r => !double.IsNaN(r.Progress.MeanEpisodeReturn)).ToList();
        Assert.True(withEpisodes.Count >= 4, $"{withEpisodes.Count} reports had finished episodes");
        var returns = reader.GetMetricHistory(runId, "episode_return_mean");
        Assert.Equal(withEpisodes.Select(r => r.Step), returns.Select(m => m.Step));
        Assert.Equal(withEpisodes.Select(r => r.Progress.MeanEpisodeReturn), returns.Select(m => m.Value));
        var lengths = reader.GetMetricHistory(runId, "episode_length_mean");
        Assert.Equal(withEpisodes.Select(r => r.Progress.MeanEpisodeLength), lengths.Select(m => m.Value));

        // Every algorithm metric of every report, under its own name, at its step.
        var last = reports[^1].Progress.Metrics;
        Assert.Contains("policy_loss", last.Keys);
        Assert.Contains("value_loss", last.Keys);
        foreach (var key in last.Keys)
        {
            var logged = reader.GetMetricHistory(runId, key);
            var expected = reports.Where(r => r.Progress.Metrics.ContainsKey(key)).ToList();
            Assert.Equal(expected.Select(r => r.Step), logged.Select(m => m.Step));
            Assert.Equal(expected.Select(r => r.Progress.Metrics[key]), logged.Select(m => m.Value));
        }

        Assert.Equal(agent.StepsDone, speed[^1].Step);
    }

    [Fact]
    public void Progress_metrics_are_the_episode_means_the_speed_and_the_algorithm_metrics()
    {
        var metrics = new Dictionary<string, double> { ["value_loss"] = 0.25, ["policy_loss"] = -0.5 };
        var progress = new AgentProgress(512, 1024, 7, 21.5, 20.0, 4, 1234.5, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1), metrics);
        Assert.Equal(
            [new("episode_return_mean", 21.5), new("episode_length_mean", 20.0), new("steps_per_s", 1234.5), new("policy_loss", -0.5), new KeyValuePair<string, double>("value_loss", 0.25)],
            AgentTracking.Metrics(progress));

        // Before the first episode ends the means are NaN: they are left out, not logged as NaN.
        var early = progress with { Episodes = 0, MeanEpisodeReturn = double.NaN, MeanEpisodeLength = double.NaN, Metrics = new Dictionary<string, double>() };
        Assert.Equal([new KeyValuePair<string, double>("steps_per_s", 1234.5)], AgentTracking.Metrics(early));
    }

    [Fact]
    public void Load_rejects_a_forecaster_folder_a_foreign_model_and_a_folder_without_config_json()
    {
        // A real forecaster model folder, loaded directly and through a run's runs:/ URI.
        string forecasterFolder = Path.Combine(TempDir(), "model");
        var cfg = ForecasterTests.Small;
        string[] features = ["f0", "f1", "f2"];
        var metadata = new ForecasterMetadata(features, ["AAA", "BBB"], cfg.Window, 1,
            new FeatureScaler(new double[features.Length], Enumerable.Repeat(1.0, features.Length).ToArray(), 1.0), new PlattCalibration(1, 0), cfg,
            new DateOnly(2020, 1, 31));
        using (var forecaster = new Forecaster(new CnnLstmNet(cfg, features.Length, 2), metadata)) forecaster.Save(forecasterFolder, "abc123");
        var direct = Assert.Throws<InvalidDataException>(() => AgentStore.Load(forecasterFolder));
        Assert.Equal($"{forecasterFolder} is a cnn_lstm_forecaster, not an rl_agent.", direct.Message);
        Assert.Throws<InvalidDataException>(() => Ppo.Load(forecasterFolder));

        var store = NewStore();
        using var tracker = new Tracker(store);
        string runId;
        using (var run = tracker.StartRun("forecaster"))
        {
            run.LogArtifacts(forecasterFolder, "model");
            runId = run.RunId;
        }

        var viaUri = Assert.Throws<InvalidDataException>(() => AgentStore.Load($"runs:/{runId}/model", store: store));
        Assert.Contains("is a cnn_lstm_forecaster, not an rl_agent", viaUri.Message);

        // An agent folder: its MLmodel replaced by another library's, or disagreeing with config.json, or config.json gone.
        string dir = Path.Combine(TempDir(), "agent");
        using var agent = NewPpo();
        agent.Save(dir);
        string mlmodel = Path.Combine(dir, "MLmodel");
        string original = File.ReadAllText(mlmodel);
        File.WriteAllText(mlmodel, "artifact_path: model\nflavors:\n  pytorch:\n    model_data: data\n    pytorch_version: 2.3.0\nmlflow_version: 2.12.2\n");
        var foreign = Assert.Throws<InvalidDataException>(() => AgentStore.Load(dir));
        Assert.Contains("no 'research_workbench' flavor", foreign.Message);

        File.WriteAllText(mlmodel, original.Replace("algorithm: PPO", "algorithm: DQN", StringComparison.Ordinal));
        var mismatch = Assert.Throws<InvalidDataException>(() => AgentStore.Load(dir));
        Assert.Contains("MLmodel says DQN but config.json holds a PPO agent", mismatch.Message);

        // A folder saved before agents wrote MLmodel still loads.
        File.Delete(mlmodel);
        using (var legacy = AgentStore.Load(dir)) Assert.Equal(Bits(Predictions(agent, 16)), Bits(Predictions(legacy, 16)));

        File.WriteAllText(mlmodel, original);
        File.Delete(Path.Combine(dir, "config.json"));
        var missing = Assert.Throws<FileNotFoundException>(() => AgentStore.Load(dir));
        Assert.Equal($"No saved agent in {dir}: config.json is missing.", missing.Message);

        // A run id that MLflow could not have made is refused before anything is written.
        string bad = Path.Combine(TempDir(), "bad");
        Assert.Throws<ArgumentException>(() => agent.Save(bad, "not a run id"));
        Assert.False(Directory.Exists(bad));
    }
}
