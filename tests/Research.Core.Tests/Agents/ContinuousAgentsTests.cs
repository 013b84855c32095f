using Research.Core.Agents;
using Research.Core.Agents.Algorithms;
using static Research.Core.Tests.Agents.AgentTestSupport;

namespace Research.Core.Tests.Agents;

/// <summary>SAC, TD3 and DDPG on Pendulum-v1 with small networks, so that a few thousand steps take seconds.</summary>
[Collection("Torch")]
public class ContinuousAgentsTests
{
    private static SacConfig SmallSac(int seed) => new()
    {
        Seed = seed, NetArch = [64, 64], BatchSize = 64, LearningRate = Schedule.Constant(1e-3), EpisodeWindow = 5, ProgressInterval = 1000,
    };

    private static Td3Config SmallTd3(int seed) => new() { Seed = seed, NetArch = [64, 64], BatchSize = 64, EpisodeWindow = 5, ProgressInterval = 1000 };

    private static Td3Config SmallDdpg(int seed) => Td3Config.Ddpg with { Seed = seed, NetArch = [64, 64], BatchSize = 64, EpisodeWindow = 5, ProgressInterval = 1000 };

    private static void AssertImproves(List<AgentProgress> reports, double by)
    {
        double first = reports.First(r => r.Episodes > 0).MeanEpisodeReturn;
        double last = reports[^1].MeanEpisodeReturn;
        Assert.True(last >= first + by, $"mean return of the last 5 episodes went from {first:F1} to {last:F1}");
    }

    [Fact]
    public void Sac_learns_Pendulum_with_a_small_budget()
    {
        using var agent = new Sac(Make("Pendulum-v1"), SmallSac(1));
        var reports = Learn(agent, 4000);
        AssertImproves(reports, 400);
        Assert.Equal(4000 - 100, reports[^1].GradientSteps);
        Assert.True(agent.EntropyCoefficient < 1.0, "α should fall from its initial 1");
    }

    [Fact]
    public void Td3_learns_Pendulum_with_a_small_budget()
    {
        using var agent = new Td3(Make("Pendulum-v1"), SmallTd3(1));
        AssertImproves(Learn(agent, 5000), 300);
    }

    [Fact]
    public void Ddpg_learns_Pendulum_with_a_small_budget()
    {
        using var agent = new Ddpg(Make("Pendulum-v1"), SmallDdpg(1));
        AssertImproves(Learn(agent, 4000), 400);
    }

    [Fact]
    public void Same_seed_gives_the_same_learning_curve()
    {
        static List<string> Run(Func<IAgent> make)
        {
            using var agent = make();
            return Fingerprint(Learn(agent, 600), 6);
        }

        Assert.Equal(Run(() => new Sac(Make("Pendulum-v1"), SmallSac(3) with { ProgressInterval = 100 })),
                     Run(() => new Sac(Make("Pendulum-v1"), SmallSac(3) with { ProgressInterval = 100 })));
        Assert.Equal(Run(() => new Td3(Make("Pendulum-v1"), SmallTd3(3) with { ProgressInterval = 100 })),
                     Run(() => new Td3(Make("Pendulum-v1"), SmallTd3(3) with { ProgressInterval = 100 })));
    }

    [Fact]
    public void Sac_update_threads_do_not_change_the_learning_curve()
    {
        static (List<string> Curve, float[] Predictions) Run(int threads)
        {
            using var agent = new Sac(Make("Pendulum-v1"), SmallSac(5) with { ProgressInterval = 100, UpdateThreads = threads });
            return (Fingerprint(Learn(agent, 500), 5), Predictions(agent, 16));
        }

        var one = Run(1);
        var two = Run(2);
        var three = Run(3);
        Assert.Equal(one.Curve, two.Curve);
        Assert.Equal(one.Predictions, two.Predictions);
        Assert.Equal(one.Curve, three.Curve);
        Assert.Equal(one.Predictions, three.Predictions);
    }

    [Fact]
    public void Save_and_load_give_identical_predictions()
    {
        var agents = new IAgent[]
        {
            new Sac(Make("Pendulum-v1"), SmallSac(4) with { Normalize = new NormalizationConfig() }),
            new Td3(Make("Pendulum-v1"), SmallTd3(4)),
            new Ddpg(Make("Pendulum-v1"), SmallDdpg(4)),
        };
        foreach (var agent in agents)
        {
            using (agent)
            {
                agent.Learn(300);
                string dir = TempDir();
                agent.Save(dir);
                using var loaded = AgentStore.Load(dir, Make("Pendulum-v1"));
                Assert.Equal(agent.GetType(), loaded.GetType());
                Assert.Equal(agent.Algorithm, loaded.Algorithm);
                var predictions = Predictions(agent, 32);
                Assert.All(predictions, a => Assert.InRange(a, -2f, 2f));
                Assert.Equal(predictions, Predictions(loaded, 32));
                loaded.Learn(200); // keeps learning with its environments
                Assert.NotEqual(predictions, Predictions(loaded, 32));
            }
        }
    }
}
