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
}
