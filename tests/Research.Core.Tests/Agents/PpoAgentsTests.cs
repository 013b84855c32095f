using Research.Core.Agents;
using Research.Core.Agents.Algorithms;
using static Research.Core.Tests.Agents.AgentTestSupport;

namespace Research.Core.Tests.Agents;

[Collection("Torch")]
public class PpoAgentsTests
{
    [Fact]
    public void Ppo_learns_CartPole_with_a_small_budget()
    {
        using var agent = new Ppo(Make("CartPole-v1"), PpoConfig.CartPoleZoo with { Seed = 1, ProgressInterval = 1024 });
        var reports = Learn(agent, 20_000);
        double first = reports.First(r => r.Episodes > 0).MeanEpisodeReturn;
        double last = reports[^1].MeanEpisodeReturn;
        Assert.True(last >= 100 && last >= 3 * first, $"mean return went from {first:F1} to {last:F1}");
        Assert.True(reports[^1].Steps >= 20_000);
        Assert.True(reports[^1].StepsPerSecond > 0 && reports[^1].GradientSteps > 0);
        Assert.Equal(79 * 256, agent.StepsDone); // whole rollouts of 8 × 32 = 256 steps
    }

    [Fact]
    public void Same_seed_gives_the_same_learning_curve()
    {
        static List<string> Run(int seed)
        {
            using var agent = new Ppo(Make("CartPole-v1"), PpoConfig.CartPoleZoo with { Seed = seed, ProgressInterval = 512 });
            return Fingerprint(Learn(agent, 4096), 8);
        }

        var a = Run(5);
        var b = Run(5);
        var c = Run(6);
        Assert.Equal(8, a.Count);
        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
    }

    [Fact]
    public void Save_and_load_give_identical_predictions_discrete()
    {
        string dir = TempDir();
        var config = PpoConfig.CartPoleZoo with { Seed = 2, Normalize = new NormalizationConfig() };
        using var agent = new Ppo(Make("CartPole-v1"), config);
        agent.Learn(1024);
        agent.Save(dir);
        using var loaded = AgentStore.Load(dir);
        Assert.IsType<Ppo>(loaded);
        Assert.Equal(agent.StepsDone, loaded.StepsDone);
        Assert.Equal(config.NumEnvs, loaded.Config.NumEnvs);
        Assert.Equal(Predictions(agent, 64), Predictions(loaded, 64));
        Assert.Throws<InvalidOperationException>(() => loaded.Learn(10));

        var evaluation = AgentEvaluation.Evaluate(loaded, Research.Core.Environments.ClassicControl.ClassicControlRegistry.Make("CartPole-v1"), 3, seed: 5);
        Assert.Equal(3, evaluation.Returns.Length);
        Assert.Equal(evaluation.Returns.Average(), evaluation.MeanReturn, 9);
        Assert.Equal(evaluation.Lengths.Select(l => (double)l), evaluation.Returns); // CartPole pays 1 per step
        Assert.Equal(evaluation, AgentEvaluation.Evaluate(agent, Research.Core.Environments.ClassicControl.ClassicControlRegistry.Make("CartPole-v1"), 3, seed: 5) with { Returns = evaluation.Returns, Lengths = evaluation.Lengths });
    }

    [Fact]
    public void Validation_cases_cover_every_algorithm()
    {
        Assert.Equal(["A2C", "DDPG", "DQN", "PPO", "SAC", "TD3"],
            AgentEvaluation.ValidationCases.Keys.Select(k => k.Split('-')[0].ToUpperInvariant()).Order());
        Assert.Throws<ArgumentException>(() => AgentEvaluation.RunValidation("nope"));
    }

    [Fact]
    public void Gaussian_policy_trains_and_round_trips_on_Pendulum()
    {
        string dir = TempDir();
        using var agent = new Ppo(Make("Pendulum-v1"), new PpoConfig { Seed = 3, NumEnvs = 2, NSteps = 256, BatchSize = 64, Epochs = 2 });
        var reports = Learn(agent, 1024);
        Assert.All(reports[^1].Metrics.Values, v => Assert.False(double.IsNaN(v)));
        var predictions = Predictions(agent, 32);
        Assert.All(predictions, a => Assert.InRange(a, -2f, 2f));
        agent.Save(dir);
        using var loaded = Ppo.Load(dir, Make("Pendulum-v1"));
        Assert.Equal(predictions, Predictions(loaded, 32));
        loaded.Learn(512); // a loaded agent with environments keeps learning
        Assert.Equal(1024 + 512, loaded.StepsDone);
    }
}
