using System.Text.Json;
using Research.Core.Environments.Trading;

namespace Research.Core.Tests.Environments;

/// <summary>
/// The environment against FinRL's own StockTradingEnv (fixtures by tests/reference/finrl/stocktrading.py): every step's
/// executed shares, reward, cash, holdings, total asset, cumulative cost, trade count and full state, bit for bit.
/// </summary>
public class FinRLParityTests
{
    internal static string Reference(string file) => Path.Combine(TestPaths.RepoRoot, "tests", "Research.Core.Tests", "Environments", "Reference", file);

    [Theory]
    [InlineData("finrl-small")]
    [InlineData("finrl-dow30")]
    public void Every_step_equals_FinRLs_to_the_bit(string name)
    {
        using var expected = JsonDocument.Parse(File.ReadAllText(Reference(name + ".expected.json")));
        var root = expected.RootElement;
        var data = TradingData.FromFinRLCsv(Reference(name + ".data.csv"));
        var actions = ActionsCsv.Read(Reference(name + ".actions.csv"), data.Tickers);
        double threshold = root.GetProperty("turbulence_threshold").ValueKind == JsonValueKind.Null ? double.NaN : root.GetProperty("turbulence_threshold").GetDouble();
        var env = new StockTradingEnv(data, new TradingEnvConfig
        {
            InitialCash = root.GetProperty("initial_amount").GetDouble(),
            HMax = root.GetProperty("hmax").GetInt32(),
            TurbulenceThreshold = threshold,
            InitialShares = root.GetProperty("initial_shares").EnumerateArray().Select(e => e.GetDouble()).ToArray(),
        });
        var obs = new float[env.StateSize];
        env.Reset(null, obs);
        var steps = root.GetProperty("steps").EnumerateArray().ToArray();
        Assert.Equal(steps.Length, actions.Length);
        int liquidations = 0, cashLimited = 0;
        for (int i = 0; i < steps.Length; i++)
        {
            var s = steps[i];
            var r = env.Step(actions[i], obs);
            string at = $"{name} step {i + 1}";
            Assert.True(s.GetProperty("reward").GetDouble() == r.Reward, $"{at}: reward {r.Reward:R} vs FinRL {s.GetProperty("reward").GetDouble():R}");
            Assert.Equal(s.GetProperty("terminal").GetBoolean(), r.Terminated);
            Assert.False(r.Truncated);
            Assert.True(s.GetProperty("cash").GetDouble() == env.Cash, $"{at}: cash {env.Cash:R} vs {s.GetProperty("cash").GetDouble():R}");
            Assert.True(s.GetProperty("cost").GetDouble() == env.Cost, $"{at}: cost {env.Cost:R} vs {s.GetProperty("cost").GetDouble():R}");
            Assert.True(s.GetProperty("total_asset").GetDouble() == env.TotalAsset, $"{at}: total asset {env.TotalAsset:R} vs {s.GetProperty("total_asset").GetDouble():R}");
            Assert.Equal(s.GetProperty("trades").GetInt32(), env.Trades);
            Assert.Equal(s.GetProperty("state").EnumerateArray().Select(e => e.GetDouble()).ToArray(), env.State.ToArray());
            if (!r.Terminated) Assert.Equal(s.GetProperty("executed").EnumerateArray().Select(e => e.GetDouble()).ToArray(), env.Executed.ToArray());
            for (int k = 0; k < data.TickerCount; k++) Assert.Equal((float)env.State[k], obs[k]);
            if (!r.Terminated && env.Day > 1 && data.Risk is not null && data.Risk[env.Day - 1] >= threshold) liquidations++;
            if (!r.Terminated && Enumerable.Range(0, data.TickerCount).Any(k => env.Executed[k] > 0 && env.Executed[k] < (int)(actions[i][k] * 100f))) cashLimited++;
        }

        Assert.True(env.IsOver);
        if (name == "finrl-small")
        {
            Assert.True(liquidations >= 1, "the small case must include a turbulence liquidation");
            Assert.True(cashLimited >= 1, "the small case must include a cash-limited buy");
        }
    }

    [Fact]
    public void The_fast_floor_division_equals_Pythons_fmod_algorithm_on_millions_of_operands()
    {
        var rng = new Random(17);
        for (int i = 0; i < 400_000; i++)
        {
            double a = i % 4 switch
            {
                0 => rng.NextDouble() * 1e6,                                   // cash
                1 => Math.Round(rng.NextDouble() * 1e4, 2) * 100,                // whole cents
                2 => (rng.NextDouble() - 0.5) * Math.Pow(10, rng.Next(-12, 16)), // any magnitude and sign
                _ => -rng.NextDouble() * 1e-9,                                   // a hair below zero
            };
            double b = i % 3 == 0 ? Math.Round(rng.NextDouble() * 500, 2) * 1.001 : (rng.NextDouble() + 1e-3) * Math.Pow(10, rng.Next(-6, 6)) * (i % 7 == 0 ? -1 : 1);
            double fast = StockTradingEnv.PythonFloorDivide(a, b), slow = StockTradingEnv.PythonFloorDivideByFmod(a, b);
            Assert.True(fast.Equals(slow) && double.IsNegative(fast) == double.IsNegative(slow), $"{a:R} // {b:R}: {fast:R} vs {slow:R}");
            double viaInverse = StockTradingEnv.FloorDivide(a, b, 1 / b);
            Assert.True(viaInverse.Equals(slow) && double.IsNegative(viaInverse) == double.IsNegative(slow), $"{a:R} // {b:R} by the inverse: {viaInverse:R} vs {slow:R}");
            double k = Math.Floor(rng.NextDouble() * 1e5);
            double exact = k * b + (i % 2 == 0 ? 0 : Math.Abs(b) * 1e-17); // exact multiples: fl(a / b) may round up to k + 1
            Assert.Equal(StockTradingEnv.PythonFloorDivideByFmod(exact, b), StockTradingEnv.PythonFloorDivide(exact, b));
            Assert.Equal(StockTradingEnv.PythonFloorDivideByFmod(exact, b), StockTradingEnv.FloorDivide(exact, b, 1 / b));
        }
    }

    [Fact]
    public void The_buy_size_shortcut_equals_FinRLs_min_of_floor_division_and_action()
    {
        // BuyShares skips the floor division when cash − a·unit ≥ 0; around that boundary (cash = a·unit give or take a
        // few ulps, and exact multiples) and elsewhere it must give FinRL's min(cash // unit, a) to the bit.
        var rng = new Random(29);
        for (int i = 0; i < 400_000; i++)
        {
            double unit = Math.Round(rng.NextDouble() * 500 + 0.01, 2) * (1 + 0.001);
            int action = 1 + rng.Next(100);
            double cash = (i % 4) switch
            {
                0 => action * unit,                                                  // the product, rounded
                1 => Math.BitIncrement(action * unit),
                2 => Math.BitDecrement(action * unit),
                _ => (rng.NextDouble() * 2 - 0.1) * action * unit,                   // either side, sometimes below 0
            };
            if (i % 8 == 1) cash = Math.FusedMultiplyAdd(action, unit, 0) - (rng.Next(3) - 1) * Math.Abs(cash) * 1e-16;
            double available = cash >= 0 && cash < unit ? 0.0 : StockTradingEnv.PythonFloorDivideByFmod(cash, unit);
            double expected = action < available ? action : available;
            double actual = StockTradingEnv.BuyShares(cash, unit, 1 / unit, action);
            Assert.True(actual.Equals(expected) && double.IsNegative(actual) == double.IsNegative(expected), $"min({cash:R} // {unit:R}, {action}): {actual:R} vs {expected:R}");
        }
    }

    [Theory]
    [InlineData(10.0, 3.0)]
    [InlineData(1e6, 70.07)]
    [InlineData(-7.5, 2.0)]
    [InlineData(0.3, 0.1)]
    [InlineData(-1e-300, 1.0)]
    [InlineData(5.0, 5.0)]
    public void Floor_division_is_Pythons(double a, double b)
    {
        double expected = Math.Floor(a / b);
        if (a == 0.3 && b == 0.1) expected = 2; // Python: 0.3 // 0.1 == 2.0 (while 0.3 / 0.1 rounds to 3.0000000000000004)
        Assert.Equal(expected, StockTradingEnv.PythonFloorDivide(a, b));
    }
}
