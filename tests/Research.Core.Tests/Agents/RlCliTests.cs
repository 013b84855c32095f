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
        Assert.Equal(["algo", "env", "steps", "seed", "mean_return", "std_return", "wall_s", "steps_per_s", "selected_at_step", "selection_evaluations", "last_policy_mean_return"],
            root.EnumerateObject().Select(p => p.Name));
        Assert.Equal("ppo", root.GetProperty("algo").GetString());
        Assert.Equal("CartPole-v1", root.GetProperty("env").GetString());
        Assert.Equal(12000, root.GetProperty("steps").GetInt64());
        Assert.Equal(1, root.GetProperty("seed").GetInt32());
        // Random play on CartPole lasts ~22 steps; 12k steps of PPO with the zoo's settings already balance far longer.
        Assert.True(root.GetProperty("mean_return").GetDouble() > 100, output);
        Assert.True(root.GetProperty("std_return").GetDouble() >= 0);
        Assert.True(root.GetProperty("wall_s").GetDouble() > 0 && root.GetProperty("steps_per_s").GetDouble() > 0);
        Assert.Contains("steps/s", error); // progress lines go to stderr with --json
        // Selection by default: checked at every progress report (1,000 steps here) and at the end, on seeds 2000..2004.
        Assert.True(root.GetProperty("selection_evaluations").GetInt32() >= 12, output);
        long kept = root.GetProperty("selected_at_step").GetInt64();
        Assert.True(kept is > 0 and <= 12_100, output);
        Assert.Contains("selection at 1,000: mean return", error);
    }

    [Fact]
    public void Selection_scores_a_kept_policy_without_changing_training()
    {
        var (code, withSelection, error) = CliHarness.Run("rl", "validate", "--algo", "dqn", "--env", "CartPole-v1", "--steps", "6000", "--seed", "3", "--json");
        Assert.True(code == 0, error);
        (code, var without, error) = CliHarness.Run("rl", "validate", "--algo", "dqn", "--env", "CartPole-v1", "--steps", "6000", "--seed", "3", "--json", "--select-every", "0");
        Assert.True(code == 0, error);
        Assert.DoesNotContain("selection at", error);
        using var a = JsonDocument.Parse(withSelection);
        using var b = JsonDocument.Parse(without);
        // Selection plays its own episodes on its own environment: the last policy is the same either way.
        Assert.Equal(b.RootElement.GetProperty("last_policy_mean_return").GetDouble(), a.RootElement.GetProperty("last_policy_mean_return").GetDouble());
        Assert.Equal(0, b.RootElement.GetProperty("selection_evaluations").GetInt32());
        Assert.True(b.RootElement.GetProperty("selected_at_step").GetInt64() >= 6000, without);
        Assert.Equal(b.RootElement.GetProperty("mean_return").GetDouble(), b.RootElement.GetProperty("last_policy_mean_return").GetDouble());
        Assert.True(a.RootElement.GetProperty("selection_evaluations").GetInt32() >= 6, withSelection);

        (code, _, error) = CliHarness.Run("rl", "validate", "--algo", "dqn", "--env", "CartPole-v1", "--steps", "100", "--select-every", "-5");
        Assert.Equal(2, code);
        Assert.Contains("--select-every", error);
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
            Assert.Equal(["algo", "env", "steps", "seed", "mean_return", "std_return", "wall_s", "steps_per_s", "selected_at_step", "selection_evaluations",
                    "last_policy_mean_return", "double_q", "target", "passed"],
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
