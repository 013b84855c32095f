using System.Text.Json;

namespace Research.Core.Tests.Agents;

/// <summary><c>research rl validate</c>: the JSON contract, learning within a short budget, and bad arguments.</summary>
[Collection("Torch")]
public class RlCliTests
{
    [Fact]
    public void Validate_prints_the_contracts_keys_and_a_learning_agent_beats_random_play()
    {
        var (code, output, error) = CliHarness.Run("rl", "validate", "--algo", "ppo", "--env", "CartPole-v1", "--steps", "12000", "--seed", "1", "--json");
        Assert.True(code == 0, error);
        using var doc = JsonDocument.Parse(output);
        var root = doc.RootElement;
        Assert.Equal(["algo", "env", "steps", "seed", "mean_return", "std_return", "wall_s", "steps_per_s"], root.EnumerateObject().Select(p => p.Name));
        Assert.Equal("ppo", root.GetProperty("algo").GetString());
        Assert.Equal("CartPole-v1", root.GetProperty("env").GetString());
        Assert.Equal(12000, root.GetProperty("steps").GetInt64());
        Assert.Equal(1, root.GetProperty("seed").GetInt32());
        // Random play on CartPole lasts ~22 steps; 12k steps of PPO with the zoo's settings already balance far longer.
        Assert.True(root.GetProperty("mean_return").GetDouble() > 100, output);
        Assert.True(root.GetProperty("std_return").GetDouble() >= 0);
        Assert.True(root.GetProperty("wall_s").GetDouble() > 0 && root.GetProperty("steps_per_s").GetDouble() > 0);
        Assert.Contains("steps/s", error); // progress lines go to stderr with --json
    }

    [Fact]
    public void Validate_names_bad_arguments()
    {
        var (code, _, error) = CliHarness.Run("rl", "validate", "--algo", "reinforce", "--env", "CartPole-v1", "--steps", "10");
        Assert.Equal(2, code);
        Assert.Contains("--algo", error);
        (code, _, error) = CliHarness.Run("rl", "validate", "--algo", "ppo", "--env", "Breakout-v5", "--steps", "10");
        Assert.Equal(2, code);
        Assert.Contains("--env", error);
        (code, _, error) = CliHarness.Run("rl", "validate", "--algo", "ppo", "--env", "CartPole-v1", "--steps", "0");
        Assert.Equal(2, code);
        Assert.Contains("--steps", error);
    }

    [Fact]
    public void Validate_all_runs_every_case_and_fails_on_missed_targets()
    {
        // 300 steps is far too short to meet any target: every case runs, each is reported as missed, exit code 1.
        var (code, output, error) = CliHarness.Run("rl", "validate", "--all", "--steps", "300", "--seed", "2", "--json");
        Assert.True(code == 1, error);
        using var doc = JsonDocument.Parse(output);
        var root = doc.RootElement;
        Assert.Equal(2, root.GetProperty("seed").GetInt32());
        Assert.False(root.GetProperty("passed").GetBoolean());
        var cases = root.GetProperty("cases").EnumerateArray().ToList();
        Assert.Equal(["ppo", "dqn", "a2c", "sac", "td3", "ddpg"], cases.Select(c => c.GetProperty("algo").GetString()));
        Assert.Equal([475.0, 400, 400, -200, -200, -250], cases.Select(c => c.GetProperty("target").GetDouble()));
        foreach (var c in cases)
        {
            Assert.Equal(["algo", "env", "steps", "seed", "mean_return", "std_return", "wall_s", "steps_per_s", "double_q", "target", "passed"],
                c.EnumerateObject().Select(p => p.Name));
            Assert.Equal(300, c.GetProperty("steps").GetInt64());
            Assert.False(c.GetProperty("passed").GetBoolean());
            Assert.True(c.GetProperty("mean_return").GetDouble() < c.GetProperty("target").GetDouble());
        }

        Assert.Contains("[6/6] ddpg", error);
    }

    [Fact]
    public void Validate_all_and_double_q_reject_conflicting_arguments()
    {
        var (code, _, error) = CliHarness.Run("rl", "validate", "--all", "--algo", "ppo");
        Assert.Equal(2, code);
        Assert.Contains("--all", error);
        (code, _, error) = CliHarness.Run("rl", "validate", "--algo", "ppo", "--env", "CartPole-v1", "--steps", "10", "--double-q");
        Assert.Equal(2, code);
        Assert.Contains("--double-q", error);
        (code, _, error) = CliHarness.Run("rl", "validate", "--env", "CartPole-v1", "--steps", "10");
        Assert.Equal(2, code);
        Assert.Contains("--algo", error);
    }
}
