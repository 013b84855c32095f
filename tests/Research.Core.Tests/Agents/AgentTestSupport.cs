using Research.Core.Agents;
using Research.Core.Environments;
using Research.Core.Environments.ClassicControl;

namespace Research.Core.Tests.Agents;

/// <summary>Helpers the agent tests share.</summary>
internal static class AgentTestSupport
{
    public static Func<int, IEnv> Make(string id) => _ => ClassicControlRegistry.Make(id);

    /// <summary>Trains and returns every progress report.</summary>
    public static List<AgentProgress> Learn(IAgent agent, long steps)
    {
        var reports = new List<AgentProgress>();
        agent.Learn(steps, reports.Add);
        return reports;
    }

    /// <summary>Mean undiscounted return of <paramref name="episodes"/> deterministic episodes (seeds 1000, 1001, …).</summary>
    public static double Evaluate(IAgent agent, string envId, int episodes)
    {
        var env = ClassicControlRegistry.Make(envId);
        var obs = new float[env.ObservationSpace.FlatSize];
        var action = new float[env.ActionSpace.FlatSize];
        double total = 0;
        for (int e = 0; e < episodes; e++)
        {
            env.Reset(1000 + e, obs);
            while (true)
            {
                agent.Predict(obs, action);
                var r = env.Step(action, obs);
                total += r.Reward;
                if (r.Done) break;
            }
        }

        return total / episodes;
    }

    /// <summary>Predictions for <paramref name="count"/> random observations (seeded), flattened.</summary>
    public static float[] Predictions(IAgent agent, int count, int seed = 3)
    {
        var random = new Random(seed);
        int obsSize = agent.ObservationSpace.FlatSize, actSize = agent.ActionSpace.FlatSize;
        var obs = new float[obsSize];
        var all = new float[count * actSize];
        for (int i = 0; i < count; i++)
        {
            for (int j = 0; j < obsSize; j++) obs[j] = (float)(random.NextDouble() * 2 - 1);
            agent.Predict(obs, all.AsSpan(i * actSize, actSize));
        }

        return all;
    }

    /// <summary>The reports as comparable tuples (steps, episodes, mean return, metrics).</summary>
    public static List<string> Fingerprint(IEnumerable<AgentProgress> reports, int count) =>
        reports.Take(count).Select(p => $"{p.Steps}|{p.Episodes}|{p.MeanEpisodeReturn:R}|{p.GradientSteps}|" +
            string.Join(",", p.Metrics.OrderBy(kv => kv.Key).Select(kv => $"{kv.Key}={kv.Value:R}"))).ToList();

    public static string TempDir() => TestPaths.NewTempDir("agents");
}
