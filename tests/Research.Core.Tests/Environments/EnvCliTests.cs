using System.Globalization;
using System.Text.Json;

namespace Research.Core.Tests.Environments;

/// <summary><c>research env replay|rollout|bench</c>: the JSON contracts, FinRL's and Gymnasium's numbers through the CLI, and bad input.</summary>
public class EnvCliTests
{
    private static string Ref(string file) => FinRLParityTests.Reference(file);

    [Fact]
    public void Replay_json_has_the_contracts_keys_and_FinRLs_numbers()
    {
        var (code, output, error) = CliHarness.Run("env", "replay", "--data", Ref("finrl-small.data.csv"), "--actions", Ref("finrl-small.actions.csv"),
            "--initial-amount", "8000", "--turbulence-threshold", "140", "--risk-indicator", "turbulence", "--json");
        Assert.True(code == 0, error);
        using var doc = JsonDocument.Parse(output);
        var root = doc.RootElement;
        Assert.Equal(["tickers", "steps", "final_total_asset", "total_cost"], root.EnumerateObject().Select(p => p.Name));
        Assert.Equal(["AAPL", "KO", "MCD", "PFE", "XOM"], root.GetProperty("tickers").EnumerateArray().Select(e => e.GetString()!));
        using var expected = JsonDocument.Parse(File.ReadAllText(Ref("finrl-small.expected.json")));
        var want = expected.RootElement.GetProperty("steps").EnumerateArray().ToArray();
        var steps = root.GetProperty("steps").EnumerateArray().ToArray();
        Assert.Equal(want.Length, steps.Length);
        Assert.Equal(["step", "day", "date", "action", "executed", "reward", "cash", "holdings", "total_asset", "cost", "state"], steps[0].EnumerateObject().Select(p => p.Name));
        for (int i = 0; i < steps.Length; i++)
        {
            Assert.Equal(i + 1, steps[i].GetProperty("step").GetInt32());
            Assert.Equal(Math.Min(i + 1, 39), steps[i].GetProperty("day").GetInt32());
            foreach (var key in new[] { "reward", "cash", "total_asset", "cost" }) Assert.Equal(want[i].GetProperty(key).GetDouble(), steps[i].GetProperty(key).GetDouble());
            Assert.Equal(want[i].GetProperty("state").EnumerateArray().Select(e => e.GetDouble()), steps[i].GetProperty("state").EnumerateArray().Select(e => e.GetDouble()));
            Assert.Equal(want[i].GetProperty("holdings").EnumerateArray().Select(e => e.GetDouble()), steps[i].GetProperty("holdings").EnumerateArray().Select(e => e.GetDouble()));
        }

        Assert.Matches(@"^\d{4}-\d{2}-\d{2}$", steps[0].GetProperty("date").GetString()!);
        Assert.Equal(want[^1].GetProperty("total_asset").GetDouble(), root.GetProperty("final_total_asset").GetDouble());
        Assert.Equal(want[^1].GetProperty("cost").GetDouble(), root.GetProperty("total_cost").GetDouble());

        var (textCode, text, _) = CliHarness.Run("env", "replay", "--data", Ref("finrl-small.data.csv"), "--actions", Ref("finrl-small.actions.csv"), "--initial-amount", "8000");
        Assert.Equal(0, textCode);
        Assert.Contains("final total asset", text);
        Assert.Contains("terminated", text);
    }

    [Fact]
    public void Replay_names_the_file_line_and_column_of_bad_input_and_exits_2()
    {
        string dir = TestPaths.NewTempDir();
        var data = File.ReadAllLines(Ref("finrl-small.data.csv"));
        var broken = (string[])data.Clone();
        var fields = broken[3].Split(',');
        fields[5] = "abc";
        broken[3] = string.Join(',', fields);
        string badData = Path.Combine(dir, "bad.csv");
        File.WriteAllLines(badData, broken);
        var (code, _, error) = CliHarness.Run("env", "replay", "--data", badData, "--actions", Ref("finrl-small.actions.csv"));
        Assert.Equal(2, code);
        Assert.Contains("bad.csv:4:6:", error);

        string actions = Path.Combine(dir, "actions.csv");
        File.WriteAllLines(actions, ["AAPL,KO,MCD,XOM,PFE", "0,0,0,0,0"]);
        (code, _, error) = CliHarness.Run("env", "replay", "--data", Ref("finrl-small.data.csv"), "--actions", actions);
        Assert.Equal(2, code);
        Assert.Contains("actions.csv:1:4:", error);

        File.WriteAllLines(actions, ["AAPL,KO,MCD,PFE,XOM", "0,0,1.5,0,0"]);
        (code, _, error) = CliHarness.Run("env", "replay", "--data", Ref("finrl-small.data.csv"), "--actions", actions);
        Assert.Equal(2, code);
        Assert.Contains("actions.csv:2:3:", error);
        Assert.Contains("outside [-1, 1]", error);

        File.WriteAllLines(actions, ["AAPL,KO,MCD,PFE,XOM", .. Enumerable.Repeat("0,0,0,0,0", 41)]);
        (code, _, error) = CliHarness.Run("env", "replay", "--data", Ref("finrl-small.data.csv"), "--actions", actions);
        Assert.Equal(2, code);
        Assert.Contains("41 rows", error);

        File.WriteAllLines(actions, ["AAPL,KO,MCD,PFE,XOM", "0,0,0,0,0"]);
        (code, _, error) = CliHarness.Run("env", "replay", "--data", Ref("finrl-small.data.csv"), "--actions", actions, "--hmax", "0");
        Assert.Equal(2, code);
        Assert.Contains("--hmax", error);
        (code, _, error) = CliHarness.Run("env", "replay", "--data", Ref("finrl-small.data.csv"), "--actions", actions, "--indicators", "macd,nope");
        Assert.Equal(2, code);
        Assert.Contains("'nope'", error);
    }

    [Fact]
    public void Rollout_json_reproduces_a_Gymnasium_rollout_from_its_state()
    {
        using var fixture = JsonDocument.Parse(File.ReadAllText(Ref("CartPole-v1.gymnasium.json")));
        var rollout = fixture.RootElement.GetProperty("rollouts")[0];
        string state = string.Join(',', rollout.GetProperty("start_state").EnumerateArray().Select(e => e.GetDouble().ToString("R", CultureInfo.InvariantCulture)));
        var steps = rollout.GetProperty("steps").EnumerateArray().ToArray();
        string actions = string.Join(';', steps.Select(s => s.GetProperty("action").GetInt32()));
        var (code, output, error) = CliHarness.Run("env", "rollout", "--env", "CartPole-v1", "--state", state, "--actions", actions, "--json");
        Assert.True(code == 0, error);
        using var doc = JsonDocument.Parse(output);
        Assert.Equal(["env", "steps"], doc.RootElement.EnumerateObject().Select(p => p.Name));
        var got = doc.RootElement.GetProperty("steps").EnumerateArray().ToArray();
        Assert.Equal(steps.Length, got.Length);
        Assert.Equal(["observation", "reward", "terminated", "truncated"], got[0].EnumerateObject().Select(p => p.Name));
        for (int i = 0; i < got.Length; i++)
        {
            Assert.Equal(steps[i].GetProperty("observation").EnumerateArray().Select(e => (float)e.GetDouble()), got[i].GetProperty("observation").EnumerateArray().Select(e => (float)e.GetDouble()));
            Assert.Equal(steps[i].GetProperty("reward").GetDouble(), got[i].GetProperty("reward").GetDouble());
            Assert.Equal(steps[i].GetProperty("terminated").GetBoolean(), got[i].GetProperty("terminated").GetBoolean());
            Assert.Equal(steps[i].GetProperty("truncated").GetBoolean(), got[i].GetProperty("truncated").GetBoolean());
        }

        Assert.True(got[^1].GetProperty("terminated").GetBoolean() || got[^1].GetProperty("truncated").GetBoolean());

        // Continuous actions, a seeded reset, and the time limit: Pendulum truncates at 200 steps.
        var (pcode, pout, perr) = CliHarness.Run("env", "rollout", "--env", "Pendulum-v1", "--seed", "3", "--actions", string.Join(';', Enumerable.Repeat("0.5", 250)), "--json");
        Assert.True(pcode == 0, perr);
        using var pendulum = JsonDocument.Parse(pout);
        var ps = pendulum.RootElement.GetProperty("steps").EnumerateArray().ToArray();
        Assert.Equal(200, ps.Length);
        Assert.True(ps[^1].GetProperty("truncated").GetBoolean());
    }

    [Fact]
    public void Rollout_rejects_unknown_envs_bad_states_and_bad_actions()
    {
        var (code, _, error) = CliHarness.Run("env", "rollout", "--env", "CartPole-v0", "--actions", "0");
        Assert.Equal(2, code);
        Assert.Contains("CartPole-v1", error);
        (code, _, error) = CliHarness.Run("env", "rollout", "--env", "CartPole-v1", "--state", "0,0,x,0", "--actions", "0");
        Assert.Equal(2, code);
        Assert.Contains("--state: value 3", error);
        (code, _, error) = CliHarness.Run("env", "rollout", "--env", "CartPole-v1", "--state", "0,0,0", "--actions", "0");
        Assert.Equal(2, code);
        Assert.Contains("--state", error);
        (code, _, error) = CliHarness.Run("env", "rollout", "--env", "CartPole-v1", "--actions", "0;2");
        Assert.Equal(2, code);
        Assert.Contains("step 2", error);
        (code, _, error) = CliHarness.Run("env", "rollout", "--env", "Pendulum-v1", "--actions", "0.1,0.2");
        Assert.Equal(2, code);
        Assert.Contains("step 1", error);
    }

    [Fact]
    public void Bench_prints_single_and_vectorised_steps_per_second()
    {
        var (code, output, error) = CliHarness.Run("env", "bench", "--envs", "4", "--threads", "2", "--seconds", "0.05");
        Assert.True(code == 0, error);
        Assert.Contains("state 301", output);
        Assert.Matches(@"single env:\s+[\d,]+ steps/s", output);
        Assert.Matches(@"vector env, 4 copies, 1 thread:\s+[\d,]+ env-steps/s", output);
        Assert.Matches(@"vector env, 4 copies, 2 threads:\s+[\d,]+ env-steps/s", output);
        Assert.Equal(2, CliHarness.Run("env", "bench", "--envs", "0").Code);
    }
}
