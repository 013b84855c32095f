using Research.Core.Agents;
using Research.Core.Agents.Algorithms;
using static Research.Core.Tests.Agents.AgentTestSupport;

namespace Research.Core.Tests.Agents;

[Collection("Torch")]
public class A2cAgentsTests
{
    [Fact]
    public void A2c_learns_CartPole_with_a_small_budget()
    {
        using var agent = new A2c(Make("CartPole-v1"), A2cConfig.CartPoleZoo with { Seed = 1, ProgressInterval = 1000 });
        var reports = Learn(agent, 25_000);
        double first = reports.First(r => r.Episodes > 0).MeanEpisodeReturn;
        double last = reports[^1].MeanEpisodeReturn;
        Assert.True(last >= 100 && last >= 3 * first, $"mean return went from {first:F1} to {last:F1}");
        Assert.Equal(25_000 / 40, reports[^1].GradientSteps); // one update per 8 × 5 steps
    }

    [Fact]
    public void Same_seed_gives_the_same_curve_and_saved_agents_predict_the_same()
    {
        static (List<string>, A2c) Run()
        {
            var agent = new A2c(Make("CartPole-v1"), A2cConfig.CartPoleZoo with { Seed = 9, ProgressInterval = 400 });
            return (Fingerprint(Learn(agent, 4000), 10), agent);
        }

        var (a, agentA) = Run();
        var (b, agentB) = Run();
        agentB.Dispose();
        Assert.Equal(a, b);
        using (agentA)
        {
            string dir = TempDir();
            agentA.Save(dir);
            using var loaded = AgentStore.Load(dir);
            Assert.IsType<A2c>(loaded);
            Assert.Equal(Predictions(agentA, 64), Predictions(loaded, 64));
        }
    }
}
