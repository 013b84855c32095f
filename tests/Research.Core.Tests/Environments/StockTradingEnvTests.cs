using Research.Core.Backtesting;
using Research.Core.Backtesting.Costs;
using Research.Core.Data;
using Research.Core.Environments;
using Research.Core.Environments.Trading;
using Research.Core.Risk;
using Research.Core.Tests.Backtesting;

namespace Research.Core.Tests.Environments;

public class StockTradingEnvTests
{
    internal static MarketPanel Two(double[] a, double[] b) =>
        new(Panels.Days(a.Length), ["A", "B"], [.. a, .. b], [.. a, .. b], [.. a, .. b], [.. a, .. b], [.. a.Select(_ => 1e6), .. b.Select(_ => 1e6)]);

    private static readonly TradingEnvConfig Hand = new() { InitialCash = 2_000, HMax = 100, BuyCostPct = 0.001, SellCostPct = 0.001, RewardScaling = 1 };

    [Fact]
    public void A_hand_worked_FinRL_trajectory_sells_within_holdings_buys_within_cash_and_ends_with_FinRLs_terminal_step()
    {
        var env = new StockTradingEnv(Two([10, 11, 12, 13], [20, 20, 18, 18]), 0, 4, Hand);
        var (s0, _) = env.Reset();
        Assert.Equal([2_000f, 10, 20, 0, 0], s0);

        // Day 0: [1, 0.5] → buy 100 A, then 50 B. A: 2000 // 10.01 = 199 ≥ 100, pays 10·100·1.001 = 1001.
        // B: 999 // 20.02 = 49 < 50, so 49 shares for 20·49·1.001 = 980.98. Cash 18.02; cost 1 + 0.98.
        var r1 = env.Step(1f, 0.5f);
        Assert.Equal([100.0, 49.0], env.Executed.ToArray());
        Assert.Equal(18.02, env.Cash, 9);
        Assert.Equal(1.98, env.Cost, 12);
        Assert.Equal(18.02 + 11 * 100 + 20 * 49 - 2_000, r1.Reward, 9);
        Assert.False(r1.Terminated);

        // Day 1: [−0.3, −1] → trunc(−30.000002) = −30 A, −100 B. Sells in ascending order: B first, cut to the 49 held.
        var r2 = env.Step(-0.3f, -1f);
        Assert.Equal([-30.0, -49.0], env.Executed.ToArray());
        double cash = 18.02 + 20 * 49 * 0.999 + 11 * 30 * 0.999;
        Assert.Equal(cash, env.Cash, 9);
        Assert.Equal([70.0, 0.0], env.Holdings.ToArray());
        Assert.Equal(1.98 + 0.98 + 0.33, env.Cost, 12);
        Assert.Equal(cash + 12 * 70 - (18.02 + 11 * 100 + 20 * 49), r2.Reward, 9);

        // Day 2 → 3, the last day: FinRL still says not terminated...
        var r3 = env.Step(0f, 0f);
        Assert.Equal(70.0, r3.Reward, 9);
        Assert.False(r3.Terminated);
        Assert.Equal(3, env.Day);

        // ...and the call on the last day trades nothing and repeats the last reward with terminated = true.
        var r4 = env.Step(1f, 1f);
        Assert.True(r4.Terminated);
        Assert.Equal(r3.Reward, r4.Reward);
        Assert.Equal([70.0, 0.0], env.Holdings.ToArray());
        Assert.Throws<InvalidOperationException>(() => env.Step(0f, 0f));
    }

    [Theory]
    [InlineData(100)]   // counting sort over [−hmax, hmax]
    [InlineData(5_000)] // a sort of (action, ticker) keys
    public void Tied_buys_go_in_reverse_ticker_order_and_tied_sells_in_ticker_order(int hmax)
    {
        var p = new double[] { 10, 10, 10 };
        var panel = new MarketPanel(Panels.Days(3), ["A", "B", "C"], [.. p, .. p, .. p], [.. p, .. p, .. p], [.. p, .. p, .. p], [.. p, .. p, .. p], [.. p.Select(_ => 1e9), .. p.Select(_ => 1e9), .. p.Select(_ => 1e9)]);
        var config = new TradingEnvConfig { InitialCash = 1.5 * hmax * 10.01 + 1, HMax = hmax, RewardScaling = 1 };
        var env = new StockTradingEnv(panel, 0, 3, config);
        env.Reset();
        env.Step(1f, 1f, 1f); // cash for 1.5 × hmax shares: C is filled, then B in part, then A gets nothing
        Assert.Equal([0.0, hmax / 2, hmax], env.Executed.ToArray());
        env.Step(-1f, -1f, -1f); // sells in ticker order: every held share is sold either way
        Assert.Equal([0.0, -hmax / 2, -hmax], env.Executed.ToArray());
    }

    [Fact]
    public void A_first_indicator_of_exactly_1_disables_trading_in_FinRL_mode_only()
    {
        var panel = Two([10, 10, 10], [20, 20, 20]);
        // First indicator: ticker A is 1.0 on day 0 (FinRL's "disable" flag), B never.
        var features = new Research.Core.Features.FeatureSet(panel.Calendar, panel.Tickers, ["flag"], new Dictionary<string, double[]> { ["flag"] = [1.0, 0.5, 0.5, 0.5, 0.5, 0.5] });
        var finrl = new StockTradingEnv(panel, 0, 3, new TradingEnvConfig { InitialCash = 10_000 }, features);
        finrl.Reset();
        finrl.Step(1f, 1f);
        Assert.Equal([0.0, 100.0], finrl.Executed.ToArray());
        finrl.Step(1f, 1f); // day 1: A's flag is 0.5, it trades
        Assert.Equal([100.0, 100.0], finrl.Executed.ToArray());
        var gym = new StockTradingEnv(panel, 0, 3, new TradingEnvConfig { InitialCash = 10_000, Semantics = EnvSemantics.Gymnasium }, features);
        gym.Reset();
        gym.Step(1f, 1f);
        Assert.Equal([100.0, 100.0], gym.Executed.ToArray());
    }

    [Fact]
    public void Gymnasium_semantics_terminate_on_the_step_that_reaches_the_last_day()
    {
        var env = new StockTradingEnv(Two([10, 11, 12, 13], [20, 20, 18, 18]), 0, 4, Hand with { Semantics = EnvSemantics.Gymnasium });
        env.Reset();
        Assert.False(env.Step(1f, 0.5f).Terminated);
        Assert.False(env.Step(-0.3f, -1f).Terminated);
        var last = env.Step(0f, 0f);
        Assert.True(last.Terminated);
        Assert.Equal(70.0, last.Reward, 9);
        Assert.Throws<InvalidOperationException>(() => env.Step(0f, 0f));
    }

    [Fact]
    public void Turbulence_at_the_threshold_sells_everything_and_blocks_buying_from_the_day_FinRL_first_reads_it()
    {
        var panel = Two([10, 10, 10, 10, 10], [20, 20, 20, 20, 20]);
        double[] turbulence = [100, 0, 50, 0, 0];
        var config = new TradingEnvConfig { InitialCash = 10_000, TurbulenceThreshold = 50, RewardScaling = 1 };

        // FinRL reads turbulence only after the first step: day 0's 100 is not seen, so the first step buys.
        var env = new StockTradingEnv(TradingData.FromPanel(panel, 0, 5, turbulence: turbulence), config);
        env.Reset();
        env.Step(1f, 1f);
        Assert.Equal([100.0, 100.0], env.Holdings.ToArray());
        env.Step(0.5f, 0.5f);
        Assert.Equal([150.0, 150.0], env.Holdings.ToArray());
        int trades = env.Trades;
        env.Step(1f, 1f); // day 2: turbulence 50 ≥ 50: everything sold at 10 and 20 less 0.1 %, nothing bought
        Assert.Equal([-150.0, -150.0], env.Executed.ToArray());
        Assert.Equal([0.0, 0.0], env.Holdings.ToArray());
        Assert.Equal(trades + 2, env.Trades);

        // Gymnasium semantics read day 0's turbulence on the first step: nothing is bought.
        var gym = new StockTradingEnv(TradingData.FromPanel(panel, 0, 5, turbulence: turbulence), config with { Semantics = EnvSemantics.Gymnasium });
        gym.Reset();
        gym.Step(1f, 1f);
        Assert.Equal([0.0, 0.0], gym.Holdings.ToArray());
        Assert.Equal(10_000, gym.Cash);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void Accounting_identities_hold_every_step(int seed)
    {
        var panel = Panels.Random(6, 80, seed);
        var env = new StockTradingEnv(panel, 0, 80, new TradingEnvConfig { InitialCash = 30_000, HMax = 50, BuyCostPct = 0.002, SellCostPct = 0.003, RewardScaling = 1e-3, Semantics = EnvSemantics.Gymnasium });
        var rng = new Random(seed);
        var obs = new float[env.StateSize];
        var action = new float[6];
        env.Reset(seed, obs);
        for (bool done = false; !done;)
        {
            double cash = env.Cash, cost = env.Cost, asset = env.TotalAsset;
            var holdings = env.Holdings.ToArray();
            var close = env.Data.Close.AsSpan(env.Day * 6, 6).ToArray();
            for (int k = 0; k < 6; k++) action[k] = (float)(rng.NextDouble() * 2 - 1);
            var r = env.Step(action, obs);
            done = r.Terminated;
            double flow = 0, fees = 0;
            for (int k = 0; k < 6; k++)
            {
                double x = env.Executed[k];
                Assert.Equal(holdings[k] + x, env.Holdings[k]);
                Assert.True(env.Holdings[k] >= 0);
                Assert.True(Math.Abs(x) <= 50 && x == Math.Truncate(x));
                if (x < 0) Assert.True(-x <= holdings[k]);
                flow += x > 0 ? -close[k] * x * 1.002 : -close[k] * x * 0.997;
                fees += Math.Abs(x) * close[k] * (x > 0 ? 0.002 : 0.003);
            }

            Assert.Equal(cash + flow, env.Cash, 6);
            Assert.True(env.Cash >= 0);
            Assert.Equal(cost + fees, env.Cost, 6);
            Assert.Equal((env.TotalAsset - asset) * 1e-3, r.Reward, 9);
            Assert.Equal(env.State.ToArray(), [.. obs.Select(v => (double)v)], new FloatTolerance());
        }
    }

    [Fact]
    public void Stepping_allocates_nothing_alone_or_vectorised()
    {
        var panel = Panels.Random(30, 300, 2);
        var features = Research.Core.Features.FeaturePipeline.Compute(panel, new Research.Core.Configuration.FeaturesConfig { Indicators = ["finrl"], Turbulence = false, Vix = null, LogReturns = false, Volatility = [], ZScore = [] });
        var data = TradingData.FromPanel(panel, 60, 300, features, TradingData.FinRLDefaults);
        var env = new StockTradingEnv(data, new TradingEnvConfig());
        Assert.Equal(301, env.StateSize);
        var obs = new float[env.StateSize];
        var rng = new Random(1);
        var actions = Enumerable.Range(0, 64 * 30).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();
        using var vec = VectorEnv.Create(_ => new StockTradingEnv(data, new TradingEnvConfig()), 64, AutoresetMode.SameStep);
        void Run(int steps)
        {
            for (int i = 0; i < steps; i++)
            {
                if (env.Step(actions.AsSpan(i % 64 * 30, 30), obs).Terminated) env.Reset(null, obs);
                vec.Step(actions);
            }
        }

        env.Reset(0, obs);
        vec.Reset(0);
        Run(600); // warm-up (JIT tiers), through episode ends and resets
        long before = GC.GetAllocatedBytesForCurrentThread();
        Run(600);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void Same_seed_and_actions_give_the_same_episode()
    {
        double[] Run()
        {
            var env = new StockTradingEnv(Panels.Random(4, 40, 9), 0, 40, new TradingEnvConfig { InitialCash = 50_000 });
            var rng = new Random(3);
            var obs = new float[env.StateSize];
            env.Reset(5, obs);
            var trace = new List<double>();
            for (bool done = false; !done;)
            {
                var r = env.Step(Enumerable.Range(0, 4).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray(), obs);
                trace.Add(r.Reward);
                trace.AddRange(obs.Select(v => (double)v));
                done = r.Terminated;
            }

            return [.. trace];
        }

        Assert.Equal(Run(), Run());
    }

    [Fact]
    public void Bad_actions_are_named_and_leave_the_state_untouched()
    {
        var env = new StockTradingEnv(Two([10, 11, 12], [20, 20, 18]), 0, 3, new TradingEnvConfig());
        var obs = new float[env.StateSize];
        env.Reset(null, obs);
        env.Step([0.5f, 0.5f], obs);
        var before = env.State.ToArray();
        Assert.Equal("action", Assert.Throws<ArgumentException>(() => env.Step([1f], obs)).ParamName);
        var nan = Assert.Throws<ArgumentOutOfRangeException>(() => env.Step([0.1f, float.NaN], obs));
        Assert.Contains("action[1]", nan.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => env.Step([float.PositiveInfinity, 0f], obs));
        Assert.Throws<ArgumentOutOfRangeException>(() => env.Step([0f, float.NegativeInfinity], obs));
        Assert.Equal(before, env.State.ToArray());
        Assert.Equal(1, env.Day);

        // Out of bounds: clipped to [−1, 1], as Stable-Baselines3 clips before stepping.
        var clipped = new StockTradingEnv(Two([10, 11, 12], [20, 20, 18]), 0, 3, new TradingEnvConfig());
        var plain = new StockTradingEnv(Two([10, 11, 12], [20, 20, 18]), 0, 3, new TradingEnvConfig());
        clipped.Reset();
        plain.Reset();
        clipped.Step(3f, -7f);
        plain.Step(1f, -1f);
        Assert.Equal(plain.State.ToArray(), clipped.State.ToArray());
        Assert.Equal("HMax", Assert.ThrowsAny<ArgumentException>(() => new StockTradingEnv(Two([10, 11, 12], [20, 20, 18]), 0, 3, new TradingEnvConfig { HMax = 0 })).ParamName);
        Assert.Contains("turbulence", Assert.Throws<ArgumentException>(() => new StockTradingEnv(Two([10, 11, 12], [20, 20, 18]), 0, 3, new TradingEnvConfig { TurbulenceThreshold = 1 })).Message);
    }

    [Fact]
    public void Backtest_grade_steps_fill_exactly_as_the_backtester_does_with_the_same_costs_and_risk_limits()
    {
        var panel = Panels.Random(5, 90, 21);
        int start = 30, end = 90;
        var execution = new BacktestOptions
        {
            Costs = new CostModel { CommissionPct = 0.001, HalfSpreadBps = 3, Slippage = SlippageKind.VolatilityScaled, SlippageValue = 0.5, Impact = ImpactKind.SquareRoot, ImpactCoefficient = 0.2, CashInterestAnnual = 0.02 },
            Risk = new RiskLimits { MaxPositionPct = 0.15, MaxAdvParticipation = 0.001, MaxLeverage = 0.9 },
            ParticipationCap = double.PositiveInfinity,
        };
        var config = new TradingEnvConfig { InitialCash = 200_000, HMax = 300, Execution = execution, RewardScaling = 1 };
        var env = new StockTradingEnv(TradingData.FromPanel(panel, start, end), config);
        var rng = new Random(8);
        var actions = Enumerable.Range(0, end - start - 1).Select(_ => Enumerable.Range(0, 5).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray()).ToArray();
        var obs = new float[env.StateSize];
        env.Reset(null, obs);
        var envFills = new List<(DateOnly Date, int Ticker, double Quantity, double Price, CostBreakdown Costs)>();
        double rewards = 0, initial = env.TotalAsset;
        for (int i = 0; i < actions.Length; i++)
        {
            var date = env.Date;
            rewards += env.Step(actions[i], obs).Reward;
            envFills.AddRange(env.StepFills.Select(f => (date, f.Ticker, f.Quantity, f.Price, f.Costs)));
        }

        var result = Backtester.Run(panel, new ReplayStrategy(actions, start, 300), execution with { InitialCash = 200_000, Start = start, End = end, Fill = FillTiming.SameClose });
        Assert.True(envFills.Count > 50, $"{envFills.Count} fills");
        Assert.True(env.Interventions.Count > 0, "the risk limits must bind in this test");
        Assert.Equal(result.Fills.Count, envFills.Count);
        for (int i = 0; i < envFills.Count; i++)
        {
            var b = result.Fills[i];
            var e = envFills[i];
            Assert.Equal((b.Date, b.Ticker, b.Quantity, b.Price, b.Costs), (e.Date, e.Ticker, e.Quantity, e.Price, e.Costs));
        }

        // No trades on the last day: the backtester's final equity (financing included) is the environment's.
        Assert.Equal(result.Equity[^1], env.TotalAsset);
        Assert.Equal(env.TotalAsset - initial, rewards, 6);
        Assert.Equal(200_000 * (1 + 0.02 / 252), initial, 9); // the first day's interest, as the backtester pays it
        Assert.Equal(result.Fills.Sum(f => f.Costs.Total), env.Costs.Total, 9);
    }

    /// <summary>Submits the environment's orders for each step's action: sells in ascending, buys in descending order of trunc(a·hmax).</summary>
    private sealed class ReplayStrategy(float[][] actions, int start, int hmax) : IStrategy
    {
        public string Name => "replay";

        public void OnBar(StrategyContext context)
        {
            int i = context.Today - start;
            if (i >= actions.Length) return;
            var q = actions[i].Select(a => (int)(a * (float)hmax)).ToArray();
            var order = Enumerable.Range(0, q.Length).OrderBy(k => q[k]).ToArray(); // stable: ties in ticker order
            foreach (int k in order.Where(k => q[k] < 0))
            {
                double held = context.Portfolio.Quantity(k);
                if (held > 0) context.Submit(new Order(k, -Math.Min(-q[k], held)));
            }

            foreach (int k in order.Reverse().Where(k => q[k] > 0)) context.Submit(new Order(k, q[k]));
        }
    }

    private sealed class FloatTolerance : IEqualityComparer<double>
    {
        public bool Equals(double x, double y) => (float)x == (float)y;

        public int GetHashCode(double obj) => 0;
    }
}
