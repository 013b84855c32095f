using BenchmarkDotNet.Attributes;
using Research.Core.Agents;
using Research.Core.Agents.Algorithms;
using Research.Core.Environments.ClassicControl;

namespace Research.Benchmarks;

/// <summary>
/// One SAC gradient step with Stable-Baselines3's defaults (256×256 ReLU actor and twin critics, batch 256, learned α)
/// on Pendulum-v1: replay sampling, α, critic and actor updates and the Polyak target update, torch single-threaded
/// (the agents' default) on an update team of <see cref="UpdateThreads"/> threads (SAC's default is 2). The buffer holds
/// 10,000 random-action transitions (learning starts after them, so filling it trains nothing).
/// </summary>
[MemoryDiagnoser]
[InProcess] // TorchSharp finds libtorch through the host's deps.json, which BenchmarkDotNet's generated project lacks.
public class AgentBenchmarks
{
    private const int Filled = 10_000;
    private Sac _sac = null!;
    private TrainingMonitor _monitor = null!;

    /// <summary>Threads running the step's independent passes side by side.</summary>
    [Params(1, 2)]
    public int UpdateThreads { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _sac = new Sac(_ => ClassicControlRegistry.Make("Pendulum-v1"), new SacConfig { Seed = 0, LearningStarts = Filled, UpdateThreads = UpdateThreads });
        _sac.Learn(Filled);
        TorchSharp.torch.set_num_threads(_sac.Config.Threads);
        _monitor = new TrainingMonitor(long.MaxValue, long.MaxValue, 1, null);
    }

    [GlobalCleanup]
    public void Cleanup() => _sac.Dispose();

    [Benchmark(Description = "SAC gradient step, 256x256, batch 256, Pendulum-v1")]
    public long SacUpdate()
    {
        _sac.Update(1, _monitor);
        return _monitor.GradientSteps;
    }
}
