using Research.Core.Tracking;

namespace Research.Core.Tests.Tracking;

/// <summary>The C# client against the real MLflow 2.12.2: its Python reader on our store, and its server over REST.</summary>
public class RealMlflowTests : IClassFixture<MlflowServerFixture>
{
    private readonly MlflowServer _server;

    public RealMlflowTests(MlflowServerFixture fixture) => _server = fixture.Server;

    [Fact]
    public void Mlflows_python_client_reads_the_store_we_write_without_warnings()
    {
        string root = Path.Combine(TestPaths.NewTempDir("mlruns"), "mlruns");
        string parentId, childId, artifactFile = Path.Combine(TestPaths.NewTempDir(), "notes.txt");
        File.WriteAllText(artifactFile, "hello");
        using (var tracker = Tracker.FromUri(root))
        using (var run = tracker.StartRun("parent run", "python reads this"))
        {
            parentId = run.RunId;
            run.LogParams([new("lr", "0.001"), new("model.layers", "2")]);
            for (int step = 0; step < 5; step++) run.LogMetric("loss", 1.0 / (step + 1), step);
            run.LogMetric("odd", double.NaN, 0);
            run.LogMetric("odd", double.NegativeInfinity, 1);
            run.SetTag("purpose", "test");
            run.LogArtifact(artifactFile, "docs/notes.txt");
            run.LogText("flavors: {}\n", "model/MLmodel");
            using var child = run.StartChild("child");
            childId = child.RunId;
            child.LogMetric("epoch/loss", 0.5, 3);
        }

        var (code, stdout, stderr) = RealMlflow.Python($$"""
            import math
            from mlflow.tracking import MlflowClient
            c = MlflowClient("{{new Uri(root).AbsoluteUri}}")
            names = sorted(e.name for e in c.search_experiments())
            print("experiments", names)
            e = c.get_experiment_by_name("python reads this")
            runs = c.search_runs([e.experiment_id])
            print("runs", len(runs))
            p = c.get_run("{{parentId}}")
            print("status", p.info.status, p.info.run_name)
            print("params", sorted(p.data.params.items()))
            print("tag", p.data.tags["purpose"])
            h = c.get_metric_history("{{parentId}}", "loss")
            print("loss", [(m.step, round(m.value, 4)) for m in h])
            o = c.get_metric_history("{{parentId}}", "odd")
            print("odd", [str(m.value) for m in o])
            print("artifacts", sorted(a.path for a in c.list_artifacts("{{parentId}}")))
            print("nested", [a.path for a in c.list_artifacts("{{parentId}}", "docs")])
            ch = c.get_run("{{childId}}")
            print("parent", ch.data.tags["mlflow.parentRunId"] == "{{parentId}}", ch.data.metrics["epoch/loss"])
            import os
            print("mlmodel", os.path.exists(os.path.join(c.download_artifacts("{{parentId}}", "model"), "MLmodel")))
            """);
        Assert.True(code == 0, stderr);
        Assert.DoesNotContain("WARNING", stderr);
        Assert.DoesNotContain("alformed", stderr);
        Assert.Contains("experiments ['Default', 'python reads this']", stdout);
        Assert.Contains("runs 2", stdout);
        Assert.Contains("status FINISHED parent run", stdout);
        Assert.Contains("params [('lr', '0.001'), ('model.layers', '2')]", stdout);
        Assert.Contains("tag test", stdout);
        Assert.Contains("loss [(0, 1.0), (1, 0.5), (2, 0.3333), (3, 0.25), (4, 0.2)]", stdout);
        Assert.Contains("odd ['nan', '-inf']", stdout);
        Assert.Contains("artifacts ['docs', 'model']", stdout);
        Assert.Contains("nested ['docs/notes.txt']", stdout);
        Assert.Contains("parent True 0.5", stdout);
        Assert.Contains("mlmodel True", stdout);
    }

    [Fact]
    public void Mlflows_python_client_opens_a_read_only_store_we_created()
    {
        string root = Path.Combine(TestPaths.NewTempDir("mlruns"), "mlruns");
        string runId;
        using (var tracker = Tracker.FromUri(root))
        using (var run = tracker.StartRun("r", "read only"))
        {
            runId = run.RunId;
            run.LogMetric("sharpe", 1.25, 0);
        }

        Assert.True(Directory.Exists(Path.Combine(root, FileStore.TrashFolder)));
        string[] Listing() => Directory.EnumerateFileSystemEntries(root, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToArray();
        var before = Listing();
        Assert.Equal(0, RealMlflow.Exec("chmod", $"-R a-w \"{root}\"", TimeSpan.FromSeconds(30)).Code);
        try
        {
            // As root (these tests may run as root) permissions do not bind: then the proof is that MLflow opens the store
            // as it is and leaves it unchanged (without .trash its FileStore would mkdir it, which fails on a read-only
            // store). As any other user the store is really read-only and MLflow must open it all the same.
            bool readOnlyBinds;
            try
            {
                Directory.CreateDirectory(Path.Combine(root, "probe")).Delete();
                readOnlyBinds = false;
            }
            catch (UnauthorizedAccessException)
            {
                readOnlyBinds = true;
            }

            var (code, stdout, stderr) = RealMlflow.Python($$"""
                from mlflow.tracking import MlflowClient
                c = MlflowClient("{{new Uri(root).AbsoluteUri}}")
                print("experiments", sorted(e.name for e in c.search_experiments()))
                print("sharpe", c.get_run("{{runId}}").data.metrics["sharpe"])
                """);
            Assert.True(code == 0, $"read-only permissions bind: {readOnlyBinds}\n{stderr}");
            Assert.Contains("experiments ['Default', 'read only']", stdout);
            Assert.Contains("sharpe 1.25", stdout);
            Assert.Equal(before, Listing());
        }
        finally
        {
            RealMlflow.Exec("chmod", $"-R u+w \"{root}\"", TimeSpan.FromSeconds(30));
        }
    }

    [Fact]
    public void Rest_client_speaks_the_real_servers_api()
    {
        using var rest = new RestStore(_server.Url);
        string name = "rest-" + Guid.NewGuid().ToString("N")[..8];
        string exp = rest.CreateExperiment(name);
        var dup = Assert.Throws<TrackingException>(() => rest.CreateExperiment(name));
        Assert.Equal(TrackingException.ResourceAlreadyExists, dup.ErrorCode);
        Assert.Equal(exp, rest.GetExperimentByName(name)!.ExperimentId);
        Assert.Null(rest.GetExperimentByName("no such " + name));
        Assert.Contains(rest.SearchExperiments(), e => e.Name == name);

        var run = rest.CreateRun(exp, "r1", FileStore.NowMs(), new Dictionary<string, string> { ["a"] = "b" }, "tester");
        Assert.Equal(RunStatus.Running, run.Status);
        var metrics = Enumerable.Range(0, 2500).Select(i => new Metric("m", i * 0.5, 1000 + i, i)).ToList();
        metrics.Add(new Metric("odd", double.NaN, 5, 0));
        var parameters = Enumerable.Range(0, 150).Select(i => new KeyValuePair<string, string>($"p{i}", i.ToString())).ToList();
        var tags = Enumerable.Range(0, 120).Select(i => new KeyValuePair<string, string>($"t{i}", "v")).ToList();
        rest.LogBatch(run.RunId, metrics, parameters, tags);
        rest.SetTag(run.RunId, "later", "yes");

        var got = rest.GetRun(run.RunId);
        Assert.Equal(150, got.Params.Count);
        Assert.Equal("b", got.Tags["a"]);
        Assert.Equal("yes", got.Tags["later"]);
        Assert.Equal(1249.5, got.Metrics["m"].Value);
        Assert.True(double.IsNaN(got.Metrics["odd"].Value));
        var history = rest.GetMetricHistory(run.RunId, "m");
        Assert.Equal(2500, history.Count);
        Assert.Equal(Enumerable.Range(0, 2500).Select(i => (long)i), history.Select(h => h.Step).Order());

        var change = Assert.Throws<TrackingException>(() => rest.LogParam(run.RunId, "p1", "changed"));
        Assert.Equal(TrackingException.InvalidParameterValue, change.ErrorCode);
        var missing = Assert.Throws<TrackingException>(() => rest.GetRun("0123456789abcdef0123456789abcdef"));
        Assert.Equal(TrackingException.ResourceDoesNotExist, missing.ErrorCode);

        string file = Path.Combine(TestPaths.NewTempDir(), "a.txt");
        File.WriteAllText(file, "artifact body");
        rest.LogArtifact(run.RunId, file, "dir/a.txt");
        Assert.Equal([new ArtifactInfo("dir", true, null)], rest.ListArtifacts(run.RunId));
        Assert.Equal([new ArtifactInfo("dir/a.txt", false, 13)], rest.ListArtifacts(run.RunId, "dir"));
        string back = Path.Combine(TestPaths.NewTempDir(), "b.txt");
        rest.DownloadArtifact(run.RunId, "dir/a.txt", back);
        Assert.Equal("artifact body", File.ReadAllText(back));

        rest.UpdateRun(run.RunId, RunStatus.Finished, FileStore.NowMs());
        Assert.Equal(RunStatus.Finished, rest.GetRun(run.RunId).Info.Status);
        Assert.Contains(rest.SearchRuns([exp]), r => r.Info.RunId == run.RunId);
    }

    [Fact]
    public void Sync_pushes_nesting_history_and_artifacts_once()
    {
        string root = Path.Combine(TestPaths.NewTempDir("mlruns"), "mlruns");
        string experiment = "sync-" + Guid.NewGuid().ToString("N")[..8];
        string parentId;
        using (var tracker = Tracker.FromUri(root))
        using (var run = tracker.StartRun("parent", experiment))
        {
            parentId = run.RunId;
            run.LogParam("seed", "42");
            run.LogText("{}", "config.json");
            using var child = run.StartChild("train");
            for (int e = 0; e < 30; e++) child.LogMetric("loss", 1.0 / (e + 1), e);
        }

        using var rest = new RestStore(_server.Url);
        var sync = new RunSync(new FileStore(root), rest);
        var first = sync.SyncAll();
        Assert.Equal(2, first.Runs);
        Assert.Equal(30, first.MetricPoints);
        Assert.Equal(1, first.Artifacts);
        var second = new RunSync(new FileStore(root), rest).SyncAll();
        Assert.Equal(SyncResult.Empty, second);

        string exp = rest.GetExperimentByName(experiment)!.ExperimentId;
        var runs = rest.SearchRuns([exp]);
        Assert.Equal(2, runs.Count);
        var parent = runs.Single(r => r.Info.RunName == "parent");
        var train = runs.Single(r => r.Info.RunName == "train");
        Assert.Equal(parent.Info.RunId, train.ParentRunId);
        Assert.Equal(parentId, parent.Tags[TrackingTags.LocalRunId]);
        Assert.Equal(RunStatus.Finished, parent.Info.Status);
        Assert.Equal(30, rest.GetMetricHistory(train.Info.RunId, "loss").Count);
        Assert.Equal("42", parent.Params["seed"]);
        Assert.Contains(rest.ListArtifacts(parent.Info.RunId), a => a.Path == "config.json");
    }

    [Fact]
    public void Server_killed_mid_run_then_sync_loses_and_duplicates_nothing()
    {
        using var server = new MlflowServer();
        string root = Path.Combine(TestPaths.NewTempDir("mlruns"), "mlruns");
        var log = new StringWriter();
        string experiment = "kill-" + Guid.NewGuid().ToString("N")[..8];
        using (var tracker = new Tracker(new FileStore(root), new RestStore(server.Url, maxRetries: 1, baseDelay: TimeSpan.FromMilliseconds(50)), log))
        using (var run = tracker.StartRun("training", experiment))
        {
            for (int step = 0; step < 50; step++) run.LogMetric("loss", step, step);
            Assert.True(run.Flush(), log.ToString());
            server.Stop();
            for (int step = 50; step < 120; step++) run.LogMetric("loss", step, step);
            Assert.False(run.Flush());
        }

        Assert.Contains("research mlflow sync", log.ToString());
        server.Start();
        using var rest = new RestStore(server.Url);
        var result = new RunSync(new FileStore(root), rest).SyncAll();
        Assert.Equal(70, result.MetricPoints);
        Assert.Equal(SyncResult.Empty, new RunSync(new FileStore(root), rest).SyncAll());
        var remote = rest.SearchRuns([rest.GetExperimentByName(experiment)!.ExperimentId]).Single();
        var steps = rest.GetMetricHistory(remote.Info.RunId, "loss").Select(m => m.Step).Order().ToList();
        Assert.Equal(Enumerable.Range(0, 120).Select(i => (long)i), steps);
        Assert.Equal(RunStatus.Finished, remote.Info.Status);
    }
}
