using BenchmarkDotNet.Attributes;
using Research.Core.Agents;
using Research.Core.Agents.Algorithms;
using Research.Core.Environments.ClassicControl;

namespace Research.Benchmarks;

/// <summary>
/// One SAC gradient step with Stable-Baselines3's defaults (256×256 ReLU actor and twin critics, batch 256, learned α)
/// on Pendulum-v1, torch on one thread (the agents' default): replay sampling, α, critic and actor updates and the Polyak
/// target update. The buffer holds 10,000 random-action transitions (learning starts after them, so filling it trains nothing).
/// </summary>
[MemoryDiagnoser]
[InProcess] // TorchSharp finds libtorch through the host's deps.json, which BenchmarkDotNet's generated project lacks.
public class AgentBenchmarks
{
    private const int Filled = 10_000;
    private Sac _sac = null!;
    private TrainingMonitor _monitor = null!;

    [GlobalSetup]
    public void Setup()
    {
        _sac = new Sac(_ => ClassicControlRegistry.Make("Pendulum-v1"), new SacConfig { Seed = 0, LearningStarts = Filled });
        _sac.Learn(Filled);
        TorchSharp.torch.set_num_threads(_sac.Config.Threads);
        _monitor = new TrainingMonitor(long.MaxValue, long.MaxValue, 1, null);
    }

    [GlobalCleanup]
    public void Cleanup() => _sac.Dispose();

    [Benchmark(Description = "SAC gradient step, 256x256, batch 256, Pendulum-v1, 1 thread")]
    public long SacUpdate()
    {
        _sac.Update(1, _monitor);
        return _monitor.GradientSteps;
    }
}
