using BenchmarkDotNet.Attributes;
using Research.Core.Evaluation;
using Research.Core.Evaluation.Significance;

namespace Research.Benchmarks;

/// <summary>
/// The full metric set on ~12 years of daily returns (3,000 days) with a benchmark, the six-month rolling Sharpe and
/// beta a tearsheet draws, and the significance extras (PSR, a 1,000-resample stationary bootstrap, CSCV over 16
/// partitions of 20 trials).
/// </summary>
[MemoryDiagnoser]
public class MetricsBenchmarks
{
    private double[] _returns = null!;
    private double[] _benchmark = null!;
    private double[,] _trials = null!;

    [GlobalSetup]
    public void Setup()
    {
        var rng = new SeededRandom(1);
        _returns = Normal(rng, 3000, 0.0004, 0.01);
        _benchmark = Normal(rng, 3000, 0.0003, 0.009);
        _trials = new double[3000, 20];
        var noise = Normal(rng, 3000 * 20, 0, 0.01);
        for (int t = 0; t < 3000; t++)
            for (int n = 0; n < 20; n++) _trials[t, n] = noise[t * 20 + n];
    }

    [Benchmark(Description = "PerformanceMetrics.Compute, 3,000 days + benchmark")]
    public PerformanceReport FullMetricSet() => PerformanceMetrics.Compute(_returns, _benchmark);

    [Benchmark(Description = "Rolling 126-day Sharpe and beta, 3,000 days")]
    public double RollingSharpeAndBeta() => Rolling.SharpeRatio(_returns)[^1] + Rolling.Beta(_returns, _benchmark)[^1];

    [Benchmark(Description = "Stationary bootstrap Sharpe CI, 1,000 resamples, L = 10")]
    public BootstrapInterval Bootstrap() => StationaryBootstrap.SharpeConfidenceInterval(_returns, 10, 1000, seed: 7);

    [Benchmark(Description = "CSCV PBO, 3,000 × 20, S = 16 (12,870 splits)")]
    public double Pbo() => Cscv.ProbabilityOfBacktestOverfitting(_trials, 16).Probability;

    private static double[] Normal(SeededRandom rng, int n, double mean, double sd)
    {
        var x = new double[n];
        for (int i = 0; i < n; i++)
            x[i] = mean + sd * Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
        return x;
    }
}
