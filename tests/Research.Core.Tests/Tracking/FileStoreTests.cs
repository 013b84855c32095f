using System.Globalization;
using Research.Core.Tracking;

namespace Research.Core.Tests.Tracking;

/// <summary>The file store's bytes match MLflow's FileStore, and bad input follows MLflow's semantics.</summary>
public class FileStoreTests
{
    private static (FileStore Store, RunInfo Run) NewRun()
    {
        var store = new FileStore(Path.Combine(TestPaths.NewTempDir("mlruns"), "mlruns"));
        string exp = store.CreateExperiment("e");
        return (store, store.CreateRun(exp, "r", 1_700_000_000_000, new Dictionary<string, string> { ["k"] = "v" }, "me"));
    }

    [Fact]
    public void Layout_and_meta_files_are_what_mlflow_writes()
    {
        var (store, run) = NewRun();
        string runDir = store.RunDirectory(run.RunId);
        foreach (var folder in new[] { "metrics", "params", "artifacts", "tags" }) Assert.True(Directory.Exists(Path.Combine(runDir, folder)), folder);
        string meta = File.ReadAllText(Path.Combine(runDir, "meta.yaml"));
        Assert.Contains($"run_id: \"{run.RunId}\"\n", meta);
        Assert.Contains($"run_uuid: \"{run.RunId}\"\n", meta);
        Assert.Contains($"experiment_id: \"{run.ExperimentId}\"\n", meta);
        Assert.Contains("status: 1\n", meta);
        Assert.Contains("end_time: null\n", meta);
        Assert.Contains("lifecycle_stage: \"active\"\n", meta);
        Assert.Equal(Path.GetFileName(runDir), run.RunId);
        Assert.Equal(Path.GetFileName(Path.GetDirectoryName(runDir)), run.ExperimentId);
        Assert.Matches("^[1-9][0-9]{17}$", run.ExperimentId);
        Assert.True(File.Exists(Path.Combine(store.Root, "0", "meta.yaml")), "the Default experiment exists");

        store.UpdateRun(run.RunId, RunStatus.Finished, 1_700_000_000_500);
        meta = File.ReadAllText(Path.Combine(runDir, "meta.yaml"));
        Assert.Contains("status: 3\n", meta);
        Assert.Contains("end_time: 1700000000500\n", meta);
        Assert.Equal(RunStatus.Finished, store.GetRun(run.RunId).Info.Status);
    }

    [Fact]
    public void A_new_store_has_trash_and_only_what_mlflow_puts_at_its_root()
    {
        string root = Path.Combine(TestPaths.NewTempDir("mlruns"), "mlruns");
        Assert.True(Directory.Exists(Path.Combine(new FileStore(root).Root, FileStore.TrashFolder)), ".trash is created with the store");
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(root, FileStore.TrashFolder)));

        // Everything the workbench writes through the store: experiments, nested runs, metrics, artifacts, a model.
        string artifact = Path.Combine(TestPaths.NewTempDir(), "notes.txt");
        File.WriteAllText(artifact, "x");
        using (var tracker = Tracker.FromUri(root))
        using (var run = tracker.StartRun("parent", "second experiment"))
        {
            run.LogParams([new("lr", "0.1")]);
            run.LogMetric("loss", double.PositiveInfinity, 0);
            run.LogArtifact(artifact, "docs/notes.txt");
            run.LogText("flavors: {}\n", "model/MLmodel");
            using var child = run.StartChild("child");
            child.LogMetric("epoch/loss", 0.5, 1);
        }

        foreach (string entry in Directory.EnumerateFileSystemEntries(root))
        {
            string name = Path.GetFileName(entry);
            bool allowed = Directory.Exists(entry)
                ? name is FileStore.TrashFolder or "models" || File.Exists(Path.Combine(entry, "meta.yaml")) && System.Text.RegularExpressions.Regex.IsMatch(name, "^[0-9]+$")
                : name == FileStore.LockFile;
            Assert.True(allowed, $"'{name}' at the store root is not something MLflow puts there");
        }

        Assert.Equal(2, new FileStore(root).SearchExperiments().Count); // .trash is not an experiment
    }

    [Fact]
    public void Metric_lines_use_invariant_culture_and_python_spellings()
    {
        var (store, run) = NewRun();
        var saved = CultureInfo.CurrentCulture;
        var comma = (CultureInfo)CultureInfo.InvariantCulture.Clone();
        comma.NumberFormat.NumberDecimalSeparator = ","; // what de-DE would do
        comma.NumberFormat.PositiveInfinitySymbol = "∞";
        CultureInfo.CurrentCulture = comma;
        try
        {
            store.LogBatch(run.RunId, [new Metric("loss", 1.5, 10, 0), new Metric("loss", double.NaN, 11, 1),
                new Metric("loss", double.PositiveInfinity, 12, 2), new Metric("loss", -1e-7, 13, 3)], [], []);
        }
        finally
        {
            CultureInfo.CurrentCulture = saved;
        }

        string text = File.ReadAllText(Path.Combine(store.RunDirectory(run.RunId), "metrics", "loss"));
        Assert.Equal("10 1.5 0\n11 nan 1\n12 inf 2\n13 -1E-07 3\n", text);
        var history = store.GetMetricHistory(run.RunId, "loss");
        Assert.Equal(4, history.Count);
        Assert.True(double.IsNaN(history[1].Value));
        Assert.Equal(-1e-7, store.GetRun(run.RunId).Metrics["loss"].Value);
    }

    [Fact]
    public void Params_and_tags_are_utf8_without_bom_or_newline()
    {
        var (store, run) = NewRun();
        store.LogBatch(run.RunId, [], [new("lr", "0.001"), new("name", "größe")], [new("note", "ü")]);
        byte[] bytes = File.ReadAllBytes(Path.Combine(store.RunDirectory(run.RunId), "params", "name"));
        Assert.Equal("größe"u8.ToArray(), bytes);
        Assert.Equal("0.001", File.ReadAllText(Path.Combine(store.RunDirectory(run.RunId), "params", "lr")));
        var got = store.GetRun(run.RunId);
        Assert.Equal("ü", got.Tags["note"]);
        Assert.Equal("r", got.Tags[TrackingTags.RunName]);
        Assert.Equal("v", got.Tags["k"]);
    }

    [Fact]
    public void Bad_input_gets_mlflows_errors()
    {
        var (store, run) = NewRun();
        var colon = Assert.Throws<TrackingException>(() => store.LogMetric(run.RunId, "a:b", 1));
        Assert.Equal(TrackingException.InvalidParameterValue, colon.ErrorCode);
        Assert.Contains("Invalid metric name: 'a:b'", colon.Message);
        Assert.Throws<TrackingException>(() => store.LogParam(run.RunId, "../up", "x"));
        store.LogParam(run.RunId, "depth", "3");
        store.LogParam(run.RunId, "depth", "3"); // same value: allowed
        var change = Assert.Throws<TrackingException>(() => store.LogParam(run.RunId, "depth", "5"));
        Assert.Equal(TrackingException.InvalidParameterValue, change.ErrorCode);
        Assert.Contains("Changing param values is not allowed. Param with key='depth' was already logged with value='3'", change.Message);
        var big = Assert.Throws<TrackingException>(() => store.LogParam(run.RunId, "big", new string('x', 6001)));
        Assert.Contains("had length 6001, which exceeded length limit of 6000", big.Message);
        var missing = Assert.Throws<TrackingException>(() => store.GetRun("0123456789abcdef0123456789abcdef"));
        Assert.Equal(TrackingException.ResourceDoesNotExist, missing.ErrorCode);
        var dup = Assert.Throws<TrackingException>(() => store.CreateExperiment("e"));
        Assert.Equal(TrackingException.ResourceAlreadyExists, dup.ErrorCode);
        Assert.Equal("3", store.GetRun(run.RunId).Params["depth"]);
    }

    [Fact]
    public void Using_a_run_ends_it_finished_or_failed_with_nested_runs()
    {
        string root = Path.Combine(TestPaths.NewTempDir("mlruns"), "mlruns");
        using var tracker = Tracker.FromUri(root);
        string ok, child, failed;
        using (var run = tracker.StartRun("ok", "exp"))
        {
            ok = run.RunId;
            using var c = run.StartChild("child");
            child = c.RunId;
            c.LogMetric("m", 1, step: 1);
        }

        try
        {
            using var run = tracker.StartRun("bad", "exp");
            failed = run.RunId;
            throw new InvalidOperationException("boom");
        }
        catch (InvalidOperationException)
        {
        }

        var store = tracker.Local;
        Assert.Equal(RunStatus.Finished, store.GetRun(ok).Info.Status);
        Assert.Equal(ok, store.GetRun(child).ParentRunId);
        Assert.NotNull(store.GetRun(ok).Info.EndTime);
        var runs = store.SearchRuns([store.GetExperimentByName("exp")!.ExperimentId]);
        Assert.Equal(RunStatus.Failed, runs.Single(r => r.Info.RunName == "bad").Info.Status);
    }

    [Theory]
    [InlineData(null, "file", "mlruns")]
    [InlineData("file:///tmp/x", "file", "/tmp/x")]
    [InlineData("file:./here", "file", "./here")]
    [InlineData("/abs/store", "file", "/abs/store")]
    [InlineData("http://127.0.0.1:5000/", "http", "http://127.0.0.1:5000")]
    public void Tracking_uri_resolves_like_mlflow(string? uri, string kind, string location)
    {
        Assert.Equal((kind, location), Tracker.ResolveUri(uri));
    }

    [Fact]
    public void A_database_uri_says_how_to_serve_it()
    {
        var e = Assert.Throws<ArgumentException>(() => Tracker.ResolveUri("sqlite:///mlflow.db"));
        Assert.Contains("mlflow server --backend-store-uri sqlite:///mlflow.db", e.Message);
    }
}
