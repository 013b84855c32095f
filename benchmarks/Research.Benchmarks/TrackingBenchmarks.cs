using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using Research.Core.Tracking;

namespace Research.Benchmarks;

/// <summary>
/// MLflow logging costs: one metric point into the file store (one whole-line append), a 100-point batch, and
/// 10,000 points over REST to the real MLflow 2.12.2 server (../shared/tools/mlflow, started on 127.0.0.1).
/// </summary>
[MemoryDiagnoser]
public class TrackingBenchmarks
{
    private FileStore _store = null!;
    private string _fileRun = "";
    private RestStore _rest = null!;
    private string _restRun = "";
    private string _serverDir = "";
    private string _tools = "";
    private Metric[] _batch = [];
    private Metric[] _tenThousand = [];
    private long _step;

    [GlobalSetup]
    public void Setup()
    {
        _store = new FileStore(Path.Combine(Path.GetTempPath(), "research-bench-mlruns-" + Guid.NewGuid().ToString("N")));
        _fileRun = _store.CreateRun(_store.GetOrCreateExperiment("bench"), "bench", FileStore.NowMs(), new Dictionary<string, string>(), "bench").RunId;
        _batch = Enumerable.Range(0, 100).Select(i => new Metric("batch", i, FileStore.NowMs(), i)).ToArray();
        _tenThousand = Enumerable.Range(0, 10_000).Select(i => new Metric("rest", i * 0.1, FileStore.NowMs(), i)).ToArray();

        _tools = new[] { Environment.GetEnvironmentVariable("RESEARCH_MLFLOW_TOOLS"), Path.Combine(RepoPaths.Root, "..", "shared", "tools", "mlflow") }
            .First(p => p is not null && File.Exists(Path.Combine(p, "server")))!;
        _serverDir = Path.Combine(Path.GetTempPath(), "research-bench-mlflow-" + Guid.NewGuid().ToString("N"));
        string output = Run(Path.Combine(_tools, "server"), $"start --dir \"{_serverDir}\"");
        string url = output.Split('\n').First(l => l.StartsWith("MLFLOW_TRACKING_URI=", StringComparison.Ordinal))["MLFLOW_TRACKING_URI=".Length..].Trim();
        _rest = new RestStore(url);
        _restRun = _rest.CreateRun(_rest.GetOrCreateExperiment("bench"), "bench", FileStore.NowMs(), new Dictionary<string, string>(), "bench").RunId;
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _rest.Dispose();
        Run(Path.Combine(_tools, "server"), $"stop --dir \"{_serverDir}\"");
    }

    [Benchmark(Description = "file store: one metric point")]
    public void FileStoreOnePoint() => _store.LogMetric(_fileRun, "loss", 0.5, _step++, 1);

    [Benchmark(Description = "file store: 100-point batch")]
    public void FileStoreBatch() => _store.LogBatch(_fileRun, _batch, [], []);

    [Benchmark(Description = "REST: 10,000 points (10 log-batch requests) to the real server")]
    public void RestTenThousand() => _rest.LogBatch(_restRun, _tenThousand, [], []);

    private static string Run(string file, string args)
    {
        var psi = new ProcessStartInfo(file, args) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        using var p = Process.Start(psi)!;
        string output = p.StandardOutput.ReadToEnd() + p.StandardError.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException($"{file} {args}: {output}");
        return output;
    }
}
