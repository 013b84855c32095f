using System.Text.Json;
using Research.Core.Data;
using Research.Core.Environments;
using Research.Core.Environments.Allocation;
using Research.Core.Features;
using Research.Core.Tests.Backtesting;

namespace Research.Core.Tests.Environments;

public class PortfolioAllocationTests
{
    /// <summary>FinRL's StockPortfolioEnv on 5 DJIA tickers (tests/reference/finrl/portfolio.py).</summary>
    private sealed class Fixture
    {
        public Fixture()
        {
            string path = Path.Combine(TestPaths.RepoRoot, "tests", "Research.Core.Tests", "Environments", "Reference", "portfolio.finrl.json");
            Root = JsonDocument.Parse(File.ReadAllText(path)).RootElement;
            Tickers = Root.GetProperty("tickers").EnumerateArray().Select(e => e.GetString()!).ToArray();
            Indicators = Root.GetProperty("indicators").EnumerateArray().Select(e => e.GetString()!).ToArray();
            Lookback = Root.GetProperty("lookback").GetInt32();
            AllDates = Dates(Root.GetProperty("dates"));
            EnvDates = Dates(Root.GetProperty("env_dates"));
            Close = Flat(Root.GetProperty("close"));
            Cov = Flat(Root.GetProperty("cov"));
            Tech = Flat(Root.GetProperty("tech"));
        }

        public JsonElement Root { get; }

        public string[] Tickers { get; }

        public string[] Indicators { get; }

        public int Lookback { get; }

        public DateOnly[] AllDates { get; }

        public DateOnly[] EnvDates { get; }

        /// <summary>All dates × tickers.</summary>
        public double[] Close { get; }

        public double[] Cov { get; }

        public double[] Tech { get; }

        public AllocationData Data() =>
            new(EnvDates, Tickers, Close[(Lookback * Tickers.Length)..], Cov, Indicators, Tech);

        public JsonElement[] Steps(string name = "steps") => Root.GetProperty(name).EnumerateArray().ToArray();

        private static DateOnly[] Dates(JsonElement e) => e.EnumerateArray().Select(d => DateOnly.Parse(d.GetString()!)).ToArray();
    }

    private static readonly Lazy<Fixture> Reference = new(() => new Fixture());

    private static double[] Flat(JsonElement e)
    {
        var r = new List<double>();
        void Walk(JsonElement x)
        {
            if (x.ValueKind == JsonValueKind.Array)
            {
                foreach (var y in x.EnumerateArray()) Walk(y);
            }
            else
            {
                r.Add(x.GetDouble());
            }
        }

        Walk(e);
        return [.. r];
    }

    private static float[] Floats(JsonElement e) => Flat(e).Select(v => (float)v).ToArray();

    private static void Bitwise(ReadOnlySpan<double> expected, ReadOnlySpan<double> actual, string what)
    {
        Assert.True(expected.Length == actual.Length, $"{what}: {actual.Length} values, expected {expected.Length}");
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(BitConverter.DoubleToInt64Bits(expected[i]) == BitConverter.DoubleToInt64Bits(actual[i]),
                $"{what}[{i}]: {actual[i]:R}, FinRL {expected[i]:R}");
        }
    }

    private static void Bitwise(double expected, double actual, string what) => Bitwise([expected], [actual], what);

    private static long Ulps(double a, double b) => Math.Abs(BitConverter.DoubleToInt64Bits(a) - BitConverter.DoubleToInt64Bits(b));

    [Fact]
    public void The_FinRL_episode_is_reproduced_bit_for_bit()
    {
        var f = Reference.Value;
        var env = new PortfolioAllocationEnv(f.Data(), new PortfolioAllocationConfig { InitialAmount = f.Root.GetProperty("initial_amount").GetDouble() });
        var obs = new float[env.ObservationSpace.FlatSize];
        env.Reset(null, obs);
        var reset = Flat(f.Root.GetProperty("reset_state"));
        Bitwise(reset, env.State, "reset state");
        Assert.Equal(reset.Select(v => (float)v), obs);

        var steps = f.Steps();
        Assert.Equal(f.EnvDates.Length + 1, steps.Length);
        for (int s = 0; s < steps.Length; s++)
        {
            var step = steps[s];
            var outcome = env.Step(Floats(step.GetProperty("action")), obs);
            string at = $"step {s}";
            Bitwise(step.GetProperty("reward").GetDouble(), outcome.Reward, at + " reward");
            Assert.Equal(step.GetProperty("terminal").GetBoolean(), outcome.Terminated);
            Assert.Equal(step.GetProperty("truncated").GetBoolean(), outcome.Truncated);
            Assert.Equal(step.GetProperty("day").GetInt32(), env.Day);
            Bitwise(step.GetProperty("portfolio_value").GetDouble(), env.PortfolioValue, at + " value");
            Bitwise(step.GetProperty("portfolio_return").GetDouble(), env.PortfolioReturn, at + " return");
            Bitwise(Flat(step.GetProperty("weights")), env.Weights, at + " weights");
            var state = Flat(step.GetProperty("state"));
            Bitwise(state, env.State, at + " state");
            Assert.Equal(state.Select(v => (float)v), obs);
        }

        // FinRL's episode: N − 1 moving steps (the one reaching the last day is not terminal), then the terminal call,
        // which repeats the last observation and reward.
        Assert.All(steps[..(f.EnvDates.Length - 1)], s => Assert.False(s.GetProperty("terminal").GetBoolean()));
        Assert.Equal(steps[^3].GetProperty("reward").GetDouble(), steps[^2].GetProperty("reward").GetDouble());
        Assert.Equal(steps[^3].GetProperty("portfolio_value").GetDouble(), steps[^2].GetProperty("reward").GetDouble());
    }

    [Fact]
    public void FinRLs_softmax_and_numpys_sum_are_reproduced_bit_for_bit_on_long_vectors()
    {
        var f = Reference.Value;
        foreach (var c in f.Root.GetProperty("softmax").EnumerateArray())
        {
            var a = Floats(c.GetProperty("action"));
            var w = new double[a.Length];
            PortfolioAllocationEnv.Softmax(a, w);
            Bitwise(Flat(c.GetProperty("weights")), w, $"softmax of {a.Length}");
        }

        foreach (var c in f.Root.GetProperty("sums").EnumerateArray())
        {
            var v = Flat(c.GetProperty("values"));
            Bitwise(c.GetProperty("sum").GetDouble(), PortfolioAllocationEnv.NumpySum(v), $"sum of {v.Length}");
        }
    }

    /// <summary>
    /// numpy's default exp on the generating machine (AVX-512: Intel SVML) differs from the C library's in the last bit
    /// of some arguments, so FinRL's weights there differ from the environment's by up to 2 ulps (79 of the 245 weights recorded
    /// differ); on this fixture every portfolio value and reward still comes out identical.
    /// </summary>
    [Fact]
    public void Numpys_AVX512_exp_differs_only_in_the_last_bits()
    {
        var f = Reference.Value;
        var env = new PortfolioAllocationEnv(f.Data());
        var obs = new float[env.ObservationSpace.FlatSize];
        env.Reset(null, obs);
        var steps = f.Steps();
        var host = f.Steps("host_exp");
        long worst = 0;
        for (int s = 0; s < steps.Length; s++)
        {
            var outcome = env.Step(Floats(steps[s].GetProperty("action")), obs);
            var w = Flat(host[s].GetProperty("weights"));
            for (int i = 0; i < w.Length; i++)
            {
                if (w[i] > 1e-300) worst = Math.Max(worst, Ulps(w[i], env.Weights[i]));
            }

            Bitwise(host[s].GetProperty("portfolio_value").GetDouble(), env.PortfolioValue, $"step {s} value");
            Bitwise(host[s].GetProperty("reward").GetDouble(), outcome.Reward, $"step {s} reward");
        }

        bool hostIsLibm = f.Root.GetProperty("host_exp_is_libm").GetBoolean();
        Assert.InRange(worst, hostIsLibm ? 0 : 1, hostIsLibm ? 0 : 2);
    }

    /// <summary>
    /// Stable-Baselines3 hands FinRL float32 actions clipped to Box(0, 1), so numpy computes the softmax in float32; the
    /// environment computes it in double from the same float32 values. Weights then differ by float32 rounding
    /// (≤ 1.7 × 10⁻⁷ relative here) and the values by ≤ 5 × 10⁻⁹ relative over the 47 steps.
    /// </summary>
    [Fact]
    public void Float32_actions_as_SB3_passes_them_differ_by_float32_rounding()
    {
        var f = Reference.Value;
        var env = new PortfolioAllocationEnv(f.Data());
        var obs = new float[env.ObservationSpace.FlatSize];
        env.Reset(null, obs);
        double worst = 0, worstValue = 0;
        foreach (var s in f.Steps("float32"))
        {
            env.Step(Floats(s.GetProperty("action")), obs);
            var w = Flat(s.GetProperty("weights"));
            for (int i = 0; i < w.Length; i++) worst = Math.Max(worst, Math.Abs(w[i] - env.Weights[i]) / env.Weights[i]);
            double v = s.GetProperty("portfolio_value").GetDouble();
            worstValue = Math.Max(worstValue, Math.Abs(v - env.PortfolioValue) / v);
        }

        Assert.InRange(worst, 1e-9, 1.7e-7);
        Assert.InRange(worstValue, 0, 5e-9);
    }

    [Fact]
    public void The_panel_factory_builds_FinRLs_covariances_bit_for_bit()
    {
        var f = Reference.Value;
        int n = f.Tickers.Length, dates = f.AllDates.Length, m = f.Indicators.Length;
        var close = new double[n * dates];
        for (int t = 0; t < dates; t++)
        {
            for (int k = 0; k < n; k++) close[k * dates + t] = f.Close[t * n + k];
        }

        var calendar = new TradingCalendar(f.AllDates);
        var panel = new MarketPanel(calendar, f.Tickers, close, close, close, close, close);
        // The indicators are FinRL's inputs from the lookback on; earlier dates are missing (NaN).
        var columns = f.Indicators.ToDictionary(name => name, _ => Enumerable.Repeat(double.NaN, n * dates).ToArray());
        for (int e = 0; e < f.EnvDates.Length; e++)
        {
            for (int j = 0; j < m; j++)
            {
                for (int k = 0; k < n; k++) columns[f.Indicators[j]][k * dates + f.Lookback + e] = f.Tech[(e * m + j) * n + k];
            }
        }

        var features = new FeatureSet(calendar, f.Tickers, f.Indicators, columns);
        var data = AllocationData.FromPanel(panel, features, lookback: f.Lookback);
        Assert.Equal(f.EnvDates, data.Dates);
        var expected = f.Data();
        for (int e = 0; e < data.DateCount; e++)
        {
            Bitwise(expected.Covariance(e), data.Covariance(e), $"covariance of day {e}");
            Bitwise(expected.Closes(e), data.Closes(e), $"closes of day {e}");
            Bitwise(expected.Indicators(e), data.Indicators(e), $"indicators of day {e}");
        }
    }

    /// <summary>Two tickers, three days: A 10 → 11 → 11, B 20 → 20 → 22; one indicator.</summary>
    private static AllocationData TwoByThree() => new(
        Panels.Days(3).ToArray(), ["A", "B"],
        [10, 20, 11, 20, 11, 22],
        [1, 2, 2, 5, 3, 4, 4, 6, 7, 8, 8, 9],
        ["ind"],
        [0.1, 0.2, 0.3, 0.4, 0.5, 0.6]);

    [Fact]
    public void A_hand_computed_two_asset_three_day_episode()
    {
        var env = new PortfolioAllocationEnv(TwoByThree(), new PortfolioAllocationConfig { InitialAmount = 1000 });
        Assert.Equal("StockPortfolio", env.Id);
        Assert.Equal([3, 2], ((BoxSpace)env.ObservationSpace).Shape);
        Assert.Equal([2], ((BoxSpace)env.ActionSpace).Shape);
        Assert.Equal([0f, 0f], ((BoxSpace)env.ActionSpace).Low);
        Assert.Equal([1f, 1f], ((BoxSpace)env.ActionSpace).High);
        var obs = new float[6];
        env.Reset(42, obs);
        // Covariance rows, then the indicator row.
        Assert.Equal([1f, 2f, 2f, 5f, 0.1f, 0.2f], obs);
        Assert.Equal([0.5, 0.5], env.Weights.ToArray());

        // Equal actions: weights 1/2 each; R = 0.5 × (11/10 − 1) + 0.5 × 0 = 0.05; value 1050, which is the reward.
        var r1 = env.Step([0.3f, 0.3f], obs);
        Assert.Equal(0.5, env.Weights[0]);
        Assert.Equal(0.05, env.PortfolioReturn, 15);
        Assert.Equal(1050, r1.Reward, 10);
        Assert.Equal(env.PortfolioValue, r1.Reward);
        Assert.False(r1.Terminated);
        Assert.False(r1.Truncated);
        Assert.Equal([3f, 4f, 4f, 6f, 0.3f, 0.4f], obs);

        // a = (ln 3, 0): weights 3/4, 1/4; R = 0.75 × 0 + 0.25 × (22/20 − 1) = 0.025; value 1050 × 1.025 = 1076.25.
        // Reaching the last day is not terminal in FinRL.
        var r2 = env.Step([MathF.Log(3), 0], obs);
        Assert.Equal(0.75, env.Weights[0], 7);
        Assert.Equal(0.025, env.PortfolioReturn, 7);
        Assert.Equal(1076.25, r2.Reward, 4);
        Assert.False(r2.Terminated);
        Assert.Equal(2, env.Day);
        Assert.True(env.AtLastDay);
        Assert.Equal([7f, 8f, 8f, 9f, 0.5f, 0.6f], obs);

        // The terminal call: same observation, the previous reward, nothing moves; again on a further call.
        Array.Clear(obs);
        var r3 = env.Step([5f, -5f], obs);
        Assert.Equal(new StepOutcome(r2.Reward, true, false), r3);
        Assert.Equal([7f, 8f, 8f, 9f, 0.5f, 0.6f], obs);
        Assert.Equal(r2.Reward, env.PortfolioValue);
        Assert.Equal(new StepOutcome(r2.Reward, true, false), env.Step([0f, 0f], obs));
        Assert.Equal(2, env.Day);

        env.Reset(null, obs);
        Assert.Equal(0, env.Day);
        Assert.Equal(1000, env.PortfolioValue);
        Assert.Equal([1f, 2f, 2f, 5f, 0.1f, 0.2f], obs);
        Assert.Equal(0, (int)env.Info()["day"]);
        Assert.Equal(1000.0, (double)env.Info()["portfolio_value"]);
    }

    [Fact]
    public void Weights_are_positive_and_sum_to_one()
    {
        var rng = new Random(5);
        foreach (int n in new[] { 1, 2, 5, 8, 30, 129 })
        {
            for (int trial = 0; trial < 50; trial++)
            {
                double scale = new[] { 0.01, 1, 10, 100 }[trial % 4];
                var a = Enumerable.Range(0, n).Select(_ => (float)(scale * (2 * rng.NextDouble() - 1))).ToArray();
                var w = new double[n];
                PortfolioAllocationEnv.Softmax(a, w);
                Assert.All(w, x => Assert.True(x >= 0 && x <= 1));
                Assert.Equal(1.0, w.Sum(), 13);
            }
        }

        var env = new PortfolioAllocationEnv(Reference.Value.Data());
        var obs = new float[env.ObservationSpace.FlatSize];
        env.Reset(null, obs);
        while (!env.Step([0.9f, 0.1f, 0.5f, 0.3f, 0.7f], obs).Terminated)
        {
            double sum = 0;
            foreach (double w in env.Weights) sum += w;
            Assert.Equal(1.0, sum, 15);
        }
    }

    [Fact]
    public void Costs_charge_the_turnover_from_the_drifted_weights_and_are_zero_in_FinRL_mode()
    {
        const double pct = 0.01;
        var env = new PortfolioAllocationEnv(TwoByThree(), new PortfolioAllocationConfig { InitialAmount = 1000, TransactionCostPct = pct, ChargeTransactionCosts = true });
        var finrl = new PortfolioAllocationEnv(TwoByThree(), new PortfolioAllocationConfig { InitialAmount = 1000, TransactionCostPct = pct });
        var obs = new float[6];
        env.Reset(null, obs);
        finrl.Reset(null, obs);

        // Day 0: from the initial 1/2, 1/2 to 1/2, 1/2: no turnover, no cost; the value is FinRL's.
        var r1 = env.Step([0f, 0f], obs);
        finrl.Step([0f, 0f], obs);
        Assert.Equal(0, env.Turnover);
        Assert.Equal(0, env.TransactionCost);
        Assert.Equal(finrl.PortfolioValue, r1.Reward);

        // A rose 10 %, so the held weights drifted to (0.55, 0.5) / 1.05. Moving to (3/4, 1/4) turns over
        // |w − drifted| summed; the cost is pct × turnover × 1050, paid before the day's return of 2.5 %.
        var r2 = env.Step([MathF.Log(3), 0], obs);
        var w = env.Weights.ToArray();
        double turnover = Math.Abs(w[0] - 0.55 / 1.05) + Math.Abs(w[1] - 0.5 / 1.05);
        Assert.Equal(turnover, env.Turnover, 14);
        Assert.Equal(pct * turnover * 1050, env.TransactionCost, 10);
        Assert.Equal((1050 - pct * turnover * 1050) * (1 + (22.0 / 20 - 1) * w[1]), r2.Reward, 9);
        Assert.InRange(env.TransactionCost, 4.75 - 1e-5, 4.75 + 1e-5);        // turnover ≈ 2 × (0.75 − 11/21)
        Assert.InRange(r2.Reward, (1050 - 4.75) * 1.025 - 1e-4, (1050 - 4.75) * 1.025 + 1e-4);

        finrl.Step([MathF.Log(3), 0], obs);
        Assert.Equal(env.Turnover, finrl.Turnover);
        Assert.Equal(0, finrl.TransactionCost);
        Assert.Equal(1050 * (1 + (22.0 / 20 - 1) * w[1]), finrl.PortfolioValue, 9);

        // The first rebalancing away from FinRL's initial 1/n pays for that move.
        env.Reset(null, obs);
        env.Step([MathF.Log(3), 0], obs);
        Assert.Equal(0.5, env.Turnover, 6);
        Assert.Equal(pct * env.Turnover * 1000, env.TransactionCost, 12);
        Assert.Equal((1000 - env.TransactionCost) * (1 + 0.1 * env.Weights[0]), env.PortfolioValue, 9);
    }

    [Fact]
    public void The_covariance_of_a_day_uses_only_that_day_and_earlier_closes()
    {
        const int lookback = 20, dates = 60, cut = 40;
        var panel = Panels.Random(4, dates, seed: 9);
        var data = AllocationData.FromPanel(panel, lookback: lookback);
        Assert.Equal(dates - lookback, data.DateCount);
        Assert.Equal(panel.Calendar[lookback], data.Dates[0]);

        // Change every close from date `cut` on: days before it keep their covariance bit for bit.
        var close = panel.Column(PriceField.Close).ToArray();
        for (int k = 0; k < 4; k++)
        {
            for (int t = cut; t < dates; t++) close[k * dates + t] *= 1 + 0.05 * Math.Sin(t + k);
        }

        var changed = new MarketPanel(panel.Calendar, [.. panel.Tickers], close, close, close, close, panel.Column(PriceField.Volume).ToArray());
        var after = AllocationData.FromPanel(changed, lookback: lookback);
        for (int e = 0; e < data.DateCount; e++)
        {
            bool same = data.Covariance(e).SequenceEqual(after.Covariance(e));
            Assert.True(same == (lookback + e < cut), $"day {e} (date {lookback + e}): same = {same}");
        }

        // And the episode's observations before the cut are unchanged.
        var a = new PortfolioAllocationEnv(data);
        var b = new PortfolioAllocationEnv(after);
        var oa = new float[a.ObservationSpace.FlatSize];
        var ob = new float[b.ObservationSpace.FlatSize];
        a.Reset(null, oa);
        b.Reset(null, ob);
        for (int e = 1; lookback + e < cut; e++)
        {
            a.Step([0.1f, 0.2f, 0.3f, 0.4f], oa);
            b.Step([0.1f, 0.2f, 0.3f, 0.4f], ob);
            Assert.Equal(oa, ob);
        }

        // The covariance is the sample covariance (ddof 1) of the lookback returns ending at the day.
        var c = panel.Column(PriceField.Close).ToArray();
        int day = 7, last = lookback + day;
        var r = new double[4][];
        for (int k = 0; k < 4; k++) r[k] = Enumerable.Range(last - lookback + 1, lookback).Select(s => c[k * dates + s] / c[k * dates + s - 1] - 1).ToArray();
        for (int i = 0; i < 4; i++)
        {
            for (int j = 0; j < 4; j++)
            {
                double mi = r[i].Average(), mj = r[j].Average();
                double cov = r[i].Zip(r[j], (x, y) => (x - mi) * (y - mj)).Sum() / (lookback - 1);
                Assert.Equal(cov, data.Covariance(day)[i * 4 + j], 15);
            }
        }
    }

    [Fact]
    public void Bad_actions_throw_naming_the_index_and_change_nothing()
    {
        var env = new PortfolioAllocationEnv(Reference.Value.Data());
        var obs = new float[env.ObservationSpace.FlatSize];
        env.Reset(null, obs);
        env.Step([0.2f, 0.4f, 0.6f, 0.8f, 1f], obs);
        var state = env.State.ToArray();
        var weights = env.Weights.ToArray();
        var (day, value, ret) = (env.Day, env.PortfolioValue, env.PortfolioReturn);
        var before = (float[])obs.Clone();

        void Bad(float[] action, string fragment)
        {
            var e = Assert.ThrowsAny<ArgumentException>(() => env.Step(action, obs));
            Assert.Contains(fragment, e.Message);
            Assert.Equal(day, env.Day);
            Assert.Equal(value, env.PortfolioValue);
            Assert.Equal(ret, env.PortfolioReturn);
            Assert.Equal(state, env.State.ToArray());
            Assert.Equal(weights, env.Weights.ToArray());
            Assert.Equal(before, obs);
        }

        Bad([0.1f, 0.2f, 0.3f, 0.4f], "4 values");
        Bad([0.1f, 0.2f, 0.3f, 0.4f, 0.5f, 0.6f], "6 values");
        Bad([0.1f, 0.2f, float.NaN, 0.4f, 0.5f], "action[2]");
        Bad([float.PositiveInfinity, 0.2f, 0.3f, 0.4f, 0.5f], "action[0]");
        Bad([0.1f, 0.2f, 0.3f, 0.4f, float.NegativeInfinity], "action[4]");
        // Finite, but FinRL's softmax (no max subtraction) has no finite weights.
        Bad([0.1f, 800f, 0.3f, 0.4f, 0.5f], "action[1]");
        Bad([709f, 709f, 709f, 709f, 709.5f], "action[4]");
        Bad([-800f, -900f, -1000f, -760f, -850f], "action[3]");
        Assert.Throws<ArgumentException>(() => env.Step([0.1f, 0.2f, 0.3f, 0.4f, 0.5f], new float[3]));
        Assert.Throws<ArgumentException>(() => env.Reset(null, new float[36]));
        Assert.Equal(day, env.Day);

        // Large but finite sums are FinRL's numbers: exp(700) is finite.
        env.Step([700f, 699f, 0f, 0f, 0f], obs);
        Assert.Equal(day + 1, env.Day);
    }

    [Fact]
    public void Stepping_allocates_nothing()
    {
        var env = new PortfolioAllocationEnv(Reference.Value.Data(), new PortfolioAllocationConfig { ChargeTransactionCosts = true });
        var obs = new float[env.ObservationSpace.FlatSize];
        float[] action = [0.9f, 0.1f, 0.5f, 0.3f, 0.7f];
        for (int warm = 0; warm < 2; warm++)
        {
            env.Reset(null, obs);
            while (!env.Step(action, obs).Terminated) { }
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread();
        env.Reset(null, obs);
        int steps = 0;
        while (!env.Step(action, obs).Terminated) steps++;
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - allocated);
        Assert.Equal(env.Data.DateCount - 1, steps);
    }
}
