using System.Diagnostics;
using Research.Core.Agents.Algorithms;
using Research.Core.Environments;
using Research.Core.Environments.ClassicControl;

namespace Research.Core.Agents;

/// <summary>Returns of deterministic episodes.</summary>
/// <param name="MeanReturn">Mean undiscounted return.</param>
/// <param name="StdReturn">Population standard deviation of the returns.</param>
/// <param name="MeanLength">Mean episode length.</param>
/// <param name="Returns">Each episode's return.</param>
/// <param name="Lengths">Each episode's length.</param>
public sealed record EvaluationResult(double MeanReturn, double StdReturn, double MeanLength, double[] Returns, int[] Lengths);

/// <summary>One validation run of <see cref="AgentEvaluation.RunValidation"/>.</summary>
/// <param name="Case">The case's name (see <see cref="AgentEvaluation.ValidationCases"/>).</param>
/// <param name="Algorithm">The algorithm.</param>
/// <param name="EnvId">The environment.</param>
/// <param name="Steps">Environment steps trained.</param>
/// <param name="GradientSteps">Optimiser steps (for SAC, TD3 and DDPG: critic updates).</param>
/// <param name="WallSeconds">Training wall time.</param>
/// <param name="StepsPerSecond">Environment steps per second of training wall time.</param>
/// <param name="UpdatesPerSecond">Gradient steps per second of training wall time.</param>
/// <param name="FinalTrainingReturn">Mean return of the last training episodes.</param>
/// <param name="Evaluation">Deterministic evaluation after training.</param>
public sealed record ValidationResult(string Case, string Algorithm, string EnvId, long Steps, long GradientSteps, double WallSeconds,
    double StepsPerSecond, double UpdatesPerSecond, double FinalTrainingReturn, EvaluationResult Evaluation);

/// <summary>Deterministic evaluation of agents, and the long validation runs (reference hyperparameters on classic control).</summary>
public static class AgentEvaluation
{
    /// <summary>
    /// Runs <paramref name="episodes"/> episodes of <paramref name="env"/> with the agent's deterministic
    /// <see cref="IAgent.Predict"/> (episode e reset with seed <paramref name="seed"/> + e).
    /// </summary>
    public static EvaluationResult Evaluate(IAgent agent, IEnv env, int episodes = 10, int seed = 10_000)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(episodes, 1);
        var obs = new float[env.ObservationSpace.FlatSize];
        var action = new float[env.ActionSpace.FlatSize];
        var returns = new double[episodes];
        var lengths = new int[episodes];
        for (int e = 0; e < episodes; e++)
        {
            env.Reset(seed + e, obs);
            while (true)
            {
                agent.Predict(obs, action);
                var r = env.Step(action, obs);
                returns[e] += r.Reward;
                lengths[e]++;
                if (r.Done) break;
            }
        }

        double mean = returns.Average();
        double std = Math.Sqrt(returns.Select(x => (x - mean) * (x - mean)).Average());
        return new EvaluationResult(mean, std, lengths.Average(), returns, lengths);
    }

    /// <summary>
    /// The validation cases and their default budgets: RL-Zoo's CartPole-v1 settings for PPO (100k), A2C (300k) and DQN
    /// (150k); Stable-Baselines3's defaults on Pendulum-v1 for SAC (20k), TD3 (20k) and DDPG (30k).
    /// </summary>
    public static IReadOnlyDictionary<string, (string EnvId, long Steps, Func<int, int, Func<int, IEnv>, IAgent> Make)> ValidationCases { get; } =
        new Dictionary<string, (string, long, Func<int, int, Func<int, IEnv>, IAgent>)>
        {
            ["ppo-cartpole"] = ("CartPole-v1", 100_000, (seed, threads, env) => new Ppo(env, PpoConfig.CartPoleZoo with { Seed = seed, Threads = threads, ProgressInterval = 10_000 })),
            ["a2c-cartpole"] = ("CartPole-v1", 300_000, (seed, threads, env) => new A2c(env, A2cConfig.CartPoleZoo with { Seed = seed, Threads = threads, ProgressInterval = 20_000 })),
            ["dqn-cartpole"] = ("CartPole-v1", 150_000, (seed, threads, env) => new Dqn(env, DqnConfig.CartPoleZoo with { Seed = seed, Threads = threads, ProgressInterval = 10_000 })),
            ["sac-pendulum"] = ("Pendulum-v1", 20_000, (seed, threads, env) => new Sac(env, new SacConfig { Seed = seed, Threads = threads, ProgressInterval = 2_000 })),
            ["td3-pendulum"] = ("Pendulum-v1", 20_000, (seed, threads, env) => new Td3(env, new Td3Config { Seed = seed, Threads = threads, ProgressInterval = 2_000 })),
            ["ddpg-pendulum"] = ("Pendulum-v1", 30_000, (seed, threads, env) => new Ddpg(env, Td3Config.Ddpg with { Seed = seed, Threads = threads, ProgressInterval = 2_000 })),
        };

    /// <summary>
    /// Trains one validation case (minutes, not for tests), logging each progress report to <paramref name="log"/>, then
    /// evaluates 10 deterministic episodes. <paramref name="steps"/> overrides the case's budget.
    /// </summary>
    public static ValidationResult RunValidation(string name, long? steps = null, int seed = 0, int threads = 1, TextWriter? log = null)
    {
        if (!ValidationCases.TryGetValue(name, out var c)) throw new ArgumentException($"Unknown validation case '{name}'; valid: {string.Join(", ", ValidationCases.Keys)}.", nameof(name));
        long budget = steps ?? c.Steps;
        using var agent = c.Make(seed, threads, _ => ClassicControlRegistry.Make(c.EnvId));
        AgentProgress? last = null;
        var clock = Stopwatch.StartNew();
        agent.Learn(budget, p =>
        {
            last = p;
            log?.WriteLine(p);
        });
        double seconds = clock.Elapsed.TotalSeconds;
        var evaluation = Evaluate(agent, ClassicControlRegistry.Make(c.EnvId));
        long done = last?.Steps ?? budget, updates = last?.GradientSteps ?? 0;
        return new ValidationResult(name, agent.Algorithm, c.EnvId, done, updates, seconds, done / seconds, updates / seconds, last?.MeanEpisodeReturn ?? double.NaN, evaluation);
    }
}
