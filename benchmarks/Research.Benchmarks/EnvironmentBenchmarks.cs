using BenchmarkDotNet.Attributes;
using Research.Core.Configuration;
using Research.Core.Data;
using Research.Core.Environments;
using Research.Core.Environments.Trading;

namespace Research.Benchmarks;

/// <summary>
/// FinRL's stock trading environment on 30 DJIA tickers (state 301: cash, 30 closes, 30 holdings, 8 indicators × 30),
/// one thread: one <c>Step</c> of a single env (256 action vectors in turn), and one call of a 64-copy vector env (64
/// env-steps; 8 action batches in turn). Actions are drawn once up front; an episode that ends is reset inside the measured loop (2,767 days per episode).
/// </summary>
[MemoryDiagnoser]
public class EnvironmentBenchmarks
{
    private StockTradingEnv _env = null!;
    private VectorEnv _vector = null!;
    private float[] _obs = [], _actions = [], _batch = [];
    private int _next;

    [GlobalSetup]
    public void Setup()
    {
        var panel = MarketDataLoader.Load(ConfigLoader.Load(Path.Combine(RepoPaths.Root, "experiments", "default.json")).Data, null).Panel;
        panel = panel.SelectTickers(panel.Tickers.Where(t => t != "AABA").Take(30));
        var data = FinRLSetup.Data(panel, 252, panel.DateCount);
        var config = new TradingEnvConfig { TurbulenceThreshold = 1e9 };
        _env = new StockTradingEnv(data, config);
        _obs = new float[_env.StateSize];
        _env.Reset(0, _obs);
        var rng = new Random(1);
        _actions = new float[256 * 30];
        for (int i = 0; i < _actions.Length; i++) _actions[i] = (float)(rng.NextDouble() * 2 - 1);
        _vector = VectorEnv.Create(_ => new StockTradingEnv(data, config), 64, AutoresetMode.SameStep);
        _vector.Reset(0);
        _batch = new float[8 * 64 * 30]; // 8 different batches in turn, so no copy sees one action twice in a row
        for (int i = 0; i < _batch.Length; i++) _batch[i] = (float)(rng.NextDouble() * 2 - 1);
    }

    [GlobalCleanup]
    public void Cleanup() => _vector.Dispose();

    [Benchmark(Description = "StockTradingEnv.Step, 30 tickers, state 301")]
    public double Step()
    {
        int a = _next++ & 255;
        var r = _env.Step(_actions.AsSpan(a * 30, 30), _obs);
        if (r.Terminated) _env.Reset(null, _obs);
        return r.Reward;
    }

    [Benchmark(Description = "VectorEnv.Step, 64 copies (64 env-steps), 1 thread")]
    public float VectorStep()
    {
        _vector.Step(_batch.AsSpan((_next++ & 7) * 64 * 30, 64 * 30));
        return _vector.Rewards[0];
    }
}
