using System.Diagnostics;
using Research.Core.Sweeps;
using Research.Sweeps.Orleans;

namespace Research.Benchmarks;

/// <summary>
/// A measured run (not BenchmarkDotNet: a sweep is a silo's lifetime, not an operation to repeat): the Orleans round
/// trip per trial on loopback. A coordinator silo and a one-slot worker silo (localhost clustering) run a sweep of
/// trivial trials one at a time; each trial is a lease, one intermediate report and a completion. The time per trial is
/// measured between the finish callbacks after a warm-up, so silo start and stop are left out.
/// Run: <c>dotnet run -c Release --project benchmarks/Research.Benchmarks -- --orleans-roundtrip [trials]</c>.
/// </summary>
public static class OrleansRoundTrip
{
    /// <summary>The command-line switch that selects this run.</summary>
    public const string Switch = "--orleans-roundtrip";

    /// <summary>Runs <paramref name="trials"/> trials (the first 10 % are warm-up) and prints the per-trial times.</summary>
    public static async Task RunAsync(int trials)
    {
        int warmup = Math.Max(1, trials / 10);
        var finishedAt = new long[trials];
        int finished = 0;
        var sweep = new OrleansSweepOptions
        {
            Cluster = new SweepClusterOptions { Connection = $"localhost://127.0.0.1:{FreePort()}", ClusterId = "roundtrip" },
            SweepId = "roundtrip",
            ObjectiveSpec = "trivial",
            DataHash = "none",
        };
        var space = new SearchSpace([Param.Uniform("x", 0, 1)]);
        var executor = new OrleansSweepExecutor(new RandomSearch(space, OptimizationMode.Min, seed: 1), new FifoScheduler(),
            new ExecutorOptions { MaxTrials = trials, MaxConcurrency = 1, OnTrialFinished = _ => finishedAt[finished++] = Stopwatch.GetTimestamp() },
            sweep);
        using var stopWorker = new CancellationTokenSource();
        var run = executor.RunAsync();
        var worker = SweepWorker.RunAsync(sweep.Cluster, 1, _ => ((trial, reporter, _) =>
        {
            double x = trial.Double("x");
            reporter.Report(1, x);
            return x;
        }, "none"), stopWorker.Token);
        var result = await run;
        await stopWorker.CancelAsync();
        await worker;

        var gaps = finishedAt.Skip(warmup).Zip(finishedAt.Skip(warmup + 1), (a, b) => Stopwatch.GetElapsedTime(a, b).TotalMilliseconds).Order().ToArray();
        double mean = Stopwatch.GetElapsedTime(finishedAt[warmup], finishedAt[^1]).TotalMilliseconds / (trials - warmup - 1);
        Console.WriteLine($"Orleans round trip per trial (lease + report + complete, loopback, 1 slot): {result.Trials.Count} trials, " +
            $"{trials - warmup - 1} measured: mean {mean:F3} ms, p50 {Percentile(gaps, 0.5):F3} ms, p99 {Percentile(gaps, 0.99):F3} ms, max {gaps[^1]:F3} ms");
    }

    private static double Percentile(double[] sorted, double q) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(q * sorted.Length) - 1)];

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
