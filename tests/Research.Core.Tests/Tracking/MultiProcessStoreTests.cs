using System.Diagnostics;
using Research.Core.Tracking;

namespace Research.Core.Tests.Tracking;

/// <summary>Two OS processes logging 500 runs each into one file store: nothing lost, nothing corrupt.</summary>
public class MultiProcessStoreTests
{
    [Fact]
    public void Two_processes_log_a_thousand_runs_into_one_store()
    {
        string root = Path.Combine(TestPaths.NewTempDir("mlruns"), "mlruns");
        string writer = Path.Combine(AppContext.BaseDirectory, "Research.Tracking.Writer.dll");
        Assert.True(File.Exists(writer), writer);
        var processes = new[] { "A", "B" }.Select(tag => Process.Start(new ProcessStartInfo("dotnet", $"\"{writer}\" \"{root}\" shared 500 {tag}")
        {
            RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false,
        })!).ToList();
        foreach (var p in processes)
        {
            string err = p.StandardError.ReadToEnd();
            Assert.True(p.WaitForExit(300_000), "writer timed out");
            Assert.True(p.ExitCode == 0, err);
        }

        var store = new FileStore(root);
        var experiments = store.SearchExperiments();
        Assert.Equal(["Default", "shared"], experiments.Select(e => e.Name).Order());
        var runs = store.SearchRuns([experiments.Single(e => e.Name == "shared").ExperimentId]);
        Assert.Equal(1000, runs.Count);
        Assert.All(runs, r =>
        {
            Assert.Equal(RunStatus.Finished, r.Info.Status);
            Assert.Equal(r.Info.RunName, $"{r.Tags["writer"]}-{r.Params["i"]}");
            Assert.Equal(3, store.GetMetricHistory(r.Info.RunId, "loss").Count);
        });
        Assert.Equal(500, runs.Count(r => r.Tags["writer"] == "A"));

        var (code, stdout, stderr) = RealMlflow.Python($$"""
            from mlflow.tracking import MlflowClient
            c = MlflowClient("{{new Uri(root).AbsoluteUri}}")
            e = c.get_experiment_by_name("shared")
            runs = c.search_runs([e.experiment_id], max_results=5000)
            print("runs", len(runs), "finished", sum(1 for r in runs if r.info.status == "FINISHED"))
            """);
        Assert.True(code == 0, stderr);
        Assert.DoesNotContain("WARNING", stderr);
        Assert.Contains("runs 1000 finished 1000", stdout);
    }
}
