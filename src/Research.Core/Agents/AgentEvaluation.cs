using System.Diagnostics;
using System.Globalization;
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
/// <param name="Evaluation">Deterministic evaluation of the policy kept: the selected one, or the last one without selection.</param>
/// <param name="LastPolicyEvaluation">The same evaluation of the policy at the end of training (equal to <paramref name="Evaluation"/> without selection).</param>
/// <param name="SelectedAtStep">Training step of the policy kept (the budget without selection).</param>
/// <param name="SelectionEvaluations">Selection evaluations made (0 without selection).</param>
public sealed record ValidationResult(string Case, string Algorithm, string EnvId, long Steps, long GradientSteps, double WallSeconds,
    double StepsPerSecond, double UpdatesPerSecond, double FinalTrainingReturn, EvaluationResult Evaluation,
    EvaluationResult LastPolicyEvaluation, long SelectedAtStep, int SelectionEvaluations);

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

    /// <summary>Environment seed of the first evaluation episode of a validation run (episode e: this + e).</summary>
    public const int ValidationEvaluationSeed = 1000;

    /// <summary>Environment seed of the first model-selection episode during a validation run (never a test seed).</summary>
    public const int SelectionEvaluationSeed = 2000;

    /// <summary>Deterministic episodes per model-selection evaluation.</summary>
    public const int SelectionEpisodes = 10;

    /// <summary>The algorithms <see cref="CreateAgent"/> builds.</summary>
    public static IReadOnlyList<string> Algorithms { get; } = ["ppo", "a2c", "sac", "td3", "ddpg", "dqn"];

    /// <summary>
    /// The agent for <paramref name="algo"/> on a classic-control task: RL-Zoo's tuned hyperparameters where the zoo has
    /// them for that pair (PPO, A2C and DQN on CartPole-v1), Stable-Baselines3's defaults otherwise; seeded.
    /// <paramref name="doubleQ"/> turns DQN into Double DQN.
    /// </summary>
    public static IAgent CreateAgent(string algo, string envId, int seed, int threads = 1, bool doubleQ = false, long? progressInterval = null)
    {
        if (doubleQ && algo != "dqn") throw new ArgumentException($"--double-q: applies to dqn only, not {algo}.", nameof(doubleQ));
        Func<int, IEnv> make = _ => ClassicControlRegistry.Make(envId);
        bool cartPole = envId == "CartPole-v1";
        long every = progressInterval ?? 1000;
        return algo switch
        {
            "ppo" => new Ppo(make, (cartPole ? PpoConfig.CartPoleZoo : new PpoConfig()) with { Seed = seed, Threads = threads, ProgressInterval = every }),
            "a2c" => new A2c(make, (cartPole ? A2cConfig.CartPoleZoo : new A2cConfig()) with { Seed = seed, Threads = threads, ProgressInterval = every }),
            "sac" => new Sac(make, new SacConfig { Seed = seed, Threads = threads, ProgressInterval = every }),
            "td3" => new Td3(make, new Td3Config { Seed = seed, Threads = threads, ProgressInterval = every }),
            "ddpg" => new Ddpg(make, Td3Config.Ddpg with { Seed = seed, Threads = threads, ProgressInterval = every }),
            "dqn" => new Dqn(make, (cartPole ? DqnConfig.CartPoleZoo : new DqnConfig()) with { Seed = seed, Threads = threads, ProgressInterval = every, DoubleQ = doubleQ }),
            _ => throw new ArgumentException($"--algo: '{algo}' is not one of {string.Join(", ", Algorithms)}.", nameof(algo)),
        };
    }

    /// <summary>
    /// The validation cases, their budgets and targets (the agents' acceptance criteria): RL-Zoo's CartPole-v1 settings
    /// for PPO (≥ 475 in 100k), DQN (≥ 400 in 150k) and A2C (≥ 400 in 300k); Stable-Baselines3's defaults on Pendulum-v1
    /// for SAC and TD3 (≥ −200 in 20k) and DDPG (≥ −250 in 30k).
    /// </summary>
    public static IReadOnlyDictionary<string, ValidationCase> ValidationCases { get; } = new[]
    {
        new ValidationCase("ppo-cartpole", "ppo", "CartPole-v1", 100_000, 475),
        new ValidationCase("dqn-cartpole", "dqn", "CartPole-v1", 150_000, 400),
        new ValidationCase("a2c-cartpole", "a2c", "CartPole-v1", 300_000, 400),
        new ValidationCase("sac-pendulum", "sac", "Pendulum-v1", 20_000, -200),
        new ValidationCase("td3-pendulum", "td3", "Pendulum-v1", 20_000, -200),
        new ValidationCase("ddpg-pendulum", "ddpg", "Pendulum-v1", 30_000, -250),
    }.ToDictionary(c => c.Name);

    /// <summary>
    /// Trains one validation case from scratch (minutes, not for tests), logging each progress report to
    /// <paramref name="log"/>, then evaluates 10 deterministic episodes (see <see cref="Validate"/>).
    /// <paramref name="steps"/> overrides the case's budget.
    /// </summary>
    public static ValidationResult RunValidation(string name, long? steps = null, int seed = 0, int threads = 1, TextWriter? log = null, bool doubleQ = false, long? selectEvery = null)
    {
        if (!ValidationCases.TryGetValue(name, out var c)) throw new ArgumentException($"Unknown validation case '{name}'; valid: {string.Join(", ", ValidationCases.Keys)}.", nameof(name));
        return Validate(c.Algo, c.EnvId, steps ?? c.Steps, seed, threads, log, doubleQ, c.Name, selectEvery);
    }

    /// <summary>
    /// Trains <paramref name="algo"/> on <paramref name="envId"/> from scratch for <paramref name="steps"/> environment
    /// steps (see <see cref="CreateAgent"/>), then evaluates 10 deterministic episodes from resets seeded
    /// <see cref="ValidationEvaluationSeed"/> + e. With selection (<paramref name="selectEvery"/> &gt; 0; null: every
    /// progress report, about 15 times a run; 0: off) the policy evaluated is the one of best mean return over
    /// <see cref="SelectionEpisodes"/> episodes seeded <see cref="SelectionEvaluationSeed"/> + e, checked every
    /// <paramref name="selectEvery"/> steps and at the end (<see cref="BestCheckpoint"/>); the last policy is scored too.
    /// </summary>
    public static ValidationResult Validate(string algo, string envId, long steps, int seed = 0, int threads = 1, TextWriter? log = null, bool doubleQ = false, string? name = null,
        long? selectEvery = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(steps, 1);
        if (selectEvery is < 0) throw new ArgumentOutOfRangeException(nameof(selectEvery), selectEvery, "--select-every must be ≥ 0 (0: no selection).");
        long interval = Math.Max(1000, steps / 15 / 1000 * 1000);
        long every = selectEvery ?? interval;
        using var agent = CreateAgent(algo, envId, seed, threads, doubleQ, progressInterval: every > 0 ? Math.Min(interval, every) : interval);
        if (agent.ActionSpace is DiscreteSpace != ClassicControlRegistry.Make(envId).ActionSpace is DiscreteSpace)
        {
            throw new ArgumentException($"--algo: {algo} does not act in {envId}'s {(agent.ActionSpace is DiscreteSpace ? "continuous" : "discrete")} action space.", nameof(algo));
        }

        using var best = every > 0 ? new BestCheckpoint(ClassicControlRegistry.Make(envId), SelectionEpisodes, SelectionEvaluationSeed) : null;
        AgentProgress? last = null;
        long nextCheck = every;
        var clock = Stopwatch.StartNew();
        var selectionTime = new Stopwatch();
        agent.Learn(steps, p =>
        {
            last = p;
            log?.WriteLine(p);
            if (best is null || (p.Steps < nextCheck && p.Steps < p.TotalSteps)) return;
            selectionTime.Start();
            bool saved = best.Consider(agent, p.Steps);
            selectionTime.Stop();
            while (nextCheck <= p.Steps) nextCheck += every;
            log?.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  selection at {p.Steps:N0}: mean return {best.History[^1].MeanReturn:F2} over {SelectionEpisodes} episodes{(saved ? " (best so far, kept)" : $" (best {best.BestReturn:F2} at {best.BestStep:N0})")}"));
        });
        // Wall time and rates are training's own: the selection episodes are not training steps.
        double seconds = (clock.Elapsed - selectionTime.Elapsed).TotalSeconds;
        var testEnv = ClassicControlRegistry.Make(envId);
        var lastPolicy = Evaluate(agent, testEnv, episodes: 10, seed: ValidationEvaluationSeed);
        long done = last?.Steps ?? steps, updates = last?.GradientSteps ?? 0;
        var evaluation = lastPolicy;
        long selectedAt = done;
        if (best is not null && best.BestStep != done)
        {
            using var chosen = best.LoadBest();
            evaluation = Evaluate(chosen, testEnv, episodes: 10, seed: ValidationEvaluationSeed);
            selectedAt = best.BestStep;
        }

        return new ValidationResult(name ?? $"{algo}-{envId}", agent.Algorithm, envId, done, updates, seconds, done / seconds, updates / seconds,
            last?.MeanEpisodeReturn ?? double.NaN, evaluation, lastPolicy, selectedAt, best?.History.Count ?? 0);
    }
}

/// <summary>One acceptance case of the agents: an algorithm trained from scratch on a classic-control task.</summary>
/// <param name="Name">Case name (<c>ppo-cartpole</c>, …).</param>
/// <param name="Algo">Algorithm (<c>ppo</c>, …).</param>
/// <param name="EnvId">Environment id.</param>
/// <param name="Steps">Training budget in environment steps.</param>
/// <param name="Target">Mean deterministic evaluation return the agent must reach.</param>
public sealed record ValidationCase(string Name, string Algo, string EnvId, long Steps, double Target);
