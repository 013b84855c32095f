using Research.Core.Agents;
using Research.Core.Agents.Algorithms;
using static Research.Core.Tests.Agents.AgentTestSupport;

namespace Research.Core.Tests.Agents;

[Collection("Torch")]
public class DqnAgentsTests
{
    // The zoo's CartPole settings with a small net and shorter training phases, so that 15k steps take seconds.
    private static DqnConfig Smoke(int seed) => DqnConfig.CartPoleZoo with
    {
        Seed = seed,
        NetArch = [64, 64],
        TrainFreq = 64,
        GradientSteps = 32,
        LearningRate = Schedule.Constant(1e-3),
        ProgressInterval = 1000,
    };

    [Fact]
    public void Dqn_learns_CartPole_with_a_small_budget()
    {
        using var agent = new Dqn(Make("CartPole-v1"), Smoke(1));
        var reports = Learn(agent, 15_000);
        double first = reports.First(r => r.Episodes > 0).MeanEpisodeReturn;
        double last = reports[^1].MeanEpisodeReturn;
        Assert.True(last >= 80 && last >= 3 * first, $"mean return went from {first:F1} to {last:F1}");
        Assert.Equal(0.04, reports[^1].Metrics["exploration_rate"], 12);
        Assert.True(reports[^1].GradientSteps > 0);
    }

    [Fact]
    public void Exploration_falls_linearly_then_stays()
    {
        using var agent = new Dqn(Make("CartPole-v1"), new DqnConfig { ExplorationFraction = 0.5, ExplorationFinalEps = 0.1 });
        Assert.Equal(1.0, agent.ExplorationRate(1.0));
        Assert.Equal(0.55, agent.ExplorationRate(0.75), 12);
        Assert.Equal(0.1, agent.ExplorationRate(0.4), 12);
    }

    [Fact]
    public void Same_seed_gives_the_same_learning_curve_and_saved_agents_predict_the_same()
    {
        static (List<string> Curve, Dqn Agent) Run(int seed)
        {
            var agent = new Dqn(Make("CartPole-v1"), Smoke(seed) with { ProgressInterval = 250, LearningStarts = 500, DoubleQ = true });
            return (Fingerprint(Learn(agent, 2000), 8), agent);
        }

        var (a, agentA) = Run(4);
        var (b, agentB) = Run(4);
        using (agentB) Assert.Equal(a, b);
        Assert.Contains("loss", a[^1]);
        string dir = TempDir();
        using (agentA)
        {
            agentA.Save(dir);
            using var loaded = AgentStore.Load(dir);
            Assert.IsType<Dqn>(loaded);
            Assert.Equal(Predictions(agentA, 64), Predictions(loaded, 64));
        }
    }
}
