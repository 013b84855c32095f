using BenchmarkDotNet.Attributes;
using Research.Core.Sweeps;

namespace Research.Benchmarks;

/// <summary>
/// The local sweep executor's overhead per trial: a trivial objective (Branin, no reports), random search over two
/// uniform parameters, FIFO; per trial = suggest, run, tell, record. In memory with 1 and 2 workers, and with the
/// resumable state file (rewritten atomically after every start and finish).
/// </summary>
[MemoryDiagnoser]
public class SweepExecutorBenchmarks
{
    private const int Trials = 1000;
    private const int StateTrials = 100;
    private string _stateRoot = "";

    [GlobalSetup]
    public void Setup() => _stateRoot = Path.Combine(Path.GetTempPath(), "research-bench-sweep-" + Guid.NewGuid().ToString("N"));

    [GlobalCleanup]
    public void Cleanup()
    {
        if (Directory.Exists(_stateRoot)) Directory.Delete(_stateRoot, recursive: true);
    }

    [Benchmark(Description = "per trial: in memory, 1 worker (1,000 trials)", OperationsPerInvoke = Trials)]
    public SweepResult OneWorker() => Run(Trials, 1, null);

    [Benchmark(Description = "per trial: in memory, 2 workers (1,000 trials)", OperationsPerInvoke = Trials)]
    public SweepResult TwoWorkers() => Run(Trials, 2, null);

    [Benchmark(Description = "per trial: with the state file, 1 worker (100 trials)", OperationsPerInvoke = StateTrials)]
    public SweepResult WithStateFile() => Run(StateTrials, 1, Path.Combine(_stateRoot, Guid.NewGuid().ToString("N")));

    private static SweepResult Run(int trials, int workers, string? state) =>
        new LocalExecutor(new RandomSearch(Branin.Space, OptimizationMode.Min, seed: 1), new FifoScheduler(),
                new ExecutorOptions { MaxTrials = trials, MaxConcurrency = workers, StateDirectory = state })
            .RunAsync((t, _, _) => Branin.Evaluate(t)).GetAwaiter().GetResult();
}

/// <summary>
/// The whole local sweep per trial as <c>research sweep</c> runs it: the executor with its state file, and each trial
/// logged as a nested MLflow run in a file store (params, metric, status, run-id ledger). 50 trials; the report at
/// the end (plots, parent metrics) is included and spread over the trials.
/// </summary>
[MemoryDiagnoser]
public class SweepRunnerBenchmarks
{
    private const int Trials = 50;
    private string _root = "";

    [GlobalSetup]
    public void Setup() => _root = Path.Combine(Path.GetTempPath(), "research-bench-sweeprunner-" + Guid.NewGuid().ToString("N"));

    [GlobalCleanup]
    public void Cleanup()
    {
        if (Directory.Exists(_root)) Directory.Delete(_root, recursive: true);
    }

    [Benchmark(Description = "per trial: runner + state file + MLflow file store (50 trials, random search)", OperationsPerInvoke = Trials)]
    public SweepOutcome RunnerWithTracking()
    {
        string dir = Path.Combine(_root, Guid.NewGuid().ToString("N"));
        var sweep = SweepFile.Parse("""{"name": "bench", "objective": "branin", "algorithm": "random", "num_samples": 50, "max_concurrent": 1}""", dir, "bench.json");
        using var tracker = new Research.Core.Tracking.Tracker(new Research.Core.Tracking.FileStore(Path.Combine(dir, "mlruns")));
        return SweepRunner.RunAsync(sweep, new SweepRunOptions { OutputRoot = dir, Tracker = tracker }).GetAwaiter().GetResult();
    }
}
