using Research.Core.Agents;
using Research.Core.Agents.Algorithms;
using Research.Core.Environments.ClassicControl;
using static Research.Core.Tests.Agents.AgentTestSupport;

namespace Research.Core.Tests.Agents;

/// <summary><see cref="BestCheckpoint"/>: keeps the policy of best selection return and gives back exactly that policy.</summary>
[Collection("Torch")]
public class BestCheckpointTests
{
    [Fact]
    public void Keeps_the_best_policy_and_reloads_it_exactly()
    {
        using var agent = new Ppo(Make("CartPole-v1"), PpoConfig.CartPoleZoo with { Seed = 4, ProgressInterval = 1024 });
        string folder;
        using (var best = new BestCheckpoint(ClassicControlRegistry.Make("CartPole-v1"), episodes: 3, seed: 2000))
        {
            Assert.Throws<InvalidOperationException>(() => best.LoadBest());
            var saved = new List<bool>();
            agent.Learn(8192, p => saved.Add(best.Consider(agent, p.Steps)));

            Assert.Equal(saved.Count, best.History.Count);
            Assert.True(best.History.Count >= 8);
            double max = best.History.Max(h => h.MeanReturn);
            Assert.Equal(max, best.BestReturn);
            // Ties keep the later policy: the kept step is the last one reaching the maximum.
            Assert.Equal(best.History.Last(h => h.MeanReturn == max).Step, best.BestStep);
            Assert.True(saved[0]);
            Assert.Equal(saved.Count(s => s), best.History.Select((h, i) => best.History.Take(i).All(e => e.MeanReturn <= h.MeanReturn)).Count(b => b));
            // Random play lasts ~22 steps; a few thousand PPO steps do much better on the selection episodes.
            Assert.True(best.BestReturn > 50, $"best selection return {best.BestReturn}");

            using var kept = best.LoadBest();
            var replay = AgentEvaluation.Evaluate(kept, ClassicControlRegistry.Make("CartPole-v1"), episodes: 3, seed: 2000);
            Assert.Equal(best.BestReturn, replay.MeanReturn);
            Assert.Equal(0, kept.StepsDone % 256); // saved between vector steps of 8 copies × 32
            folder = best.Folder;
            Assert.True(File.Exists(Path.Combine(folder, "config.json")) && File.Exists(Path.Combine(folder, "MLmodel")));
        }

        Assert.False(Directory.Exists(folder), "disposing deletes the saved policy");
    }
}
