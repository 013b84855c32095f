using Research.Core.Environments;

namespace Research.Core.Agents;

/// <summary>
/// A reinforcement-learning agent: it learns from the environments it was made with and then acts deterministically.
/// Every algorithm (PPO, A2C, DQN, SAC, TD3, DDPG) implements it; <see cref="AgentStore.Load"/> reloads any of them.
/// </summary>
public interface IAgent : IDisposable
{
    /// <summary>The algorithm's name as written in <c>config.json</c> ("PPO", "A2C", "DQN", "SAC", "TD3", "DDPG").</summary>
    string Algorithm { get; }

    /// <summary>The hyperparameters the agent was built with.</summary>
    AgentConfig Config { get; }

    /// <summary>One environment's observation space.</summary>
    Space ObservationSpace { get; }

    /// <summary>One environment's action space.</summary>
    Space ActionSpace { get; }

    /// <summary>Environment steps taken so far over every <see cref="Learn"/> call (all copies counted).</summary>
    long StepsDone { get; }

    /// <summary>
    /// Trains for <paramref name="totalSteps"/> more environment steps (summed over the vectorised copies, as Stable-Baselines3
    /// counts <c>total_timesteps</c>); schedules run from their initial to their final value over this call.
    /// <paramref name="callback"/> gets an <see cref="AgentProgress"/> every <see cref="AgentConfig.ProgressInterval"/>
    /// steps and once at the end.
    /// </summary>
    /// <exception cref="InvalidOperationException">The agent was loaded without environments.</exception>
    void Learn(long totalSteps, Action<AgentProgress>? callback = null);

    /// <summary>
    /// The deterministic action for one raw observation (normalised with the agent's statistics when it normalises):
    /// a discrete action is written as its index in <c>action[0]</c>; a continuous one in the environment's units,
    /// clipped to the box.
    /// </summary>
    void Predict(ReadOnlySpan<float> observation, Span<float> action);

    /// <summary>
    /// Writes the agent to <paramref name="folder"/> (created if missing) as an MLflow model: <c>config.json</c>
    /// (algorithm, hyperparameters, spaces, steps done), the networks' weights (TorchSharp's module format), the
    /// normalisation statistics and, last, <c>MLmodel</c> (<c>research_workbench</c> flavor, <c>model_type: rl_agent</c>,
    /// <paramref name="runId"/> when given).
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="runId"/> is not an MLflow run id.</exception>
    void Save(string folder, string? runId = null);
}

/// <summary>Where training stands, reported every <see cref="AgentConfig.ProgressInterval"/> environment steps.</summary>
/// <param name="Steps">Environment steps done in this <see cref="IAgent.Learn"/> call.</param>
/// <param name="TotalSteps">Environment steps this call will do.</param>
/// <param name="Episodes">Episodes finished in this call.</param>
/// <param name="MeanEpisodeReturn">Mean undiscounted return of the most recent finished episodes (at most <see cref="AgentConfig.EpisodeWindow"/>); NaN before the first.</param>
/// <param name="MeanEpisodeLength">Mean length of those episodes; NaN before the first.</param>
/// <param name="GradientSteps">Optimiser steps done in this call.</param>
/// <param name="StepsPerSecond">Environment steps per second of wall time in this call (training included).</param>
/// <param name="Elapsed">Wall time since the call started.</param>
/// <param name="Eta">Estimated wall time left at the current rate.</param>
/// <param name="Metrics">The last update's losses and diagnostics (e.g. "policy_loss", "value_loss", "entropy"); empty before the first update.</param>
public sealed record AgentProgress(
    long Steps,
    long TotalSteps,
    int Episodes,
    double MeanEpisodeReturn,
    double MeanEpisodeLength,
    long GradientSteps,
    double StepsPerSecond,
    TimeSpan Elapsed,
    TimeSpan Eta,
    IReadOnlyDictionary<string, double> Metrics)
{
    /// <summary>One line for logs: steps, episodes, mean return, steps/s and ETA.</summary>
    public override string ToString() => string.Create(System.Globalization.CultureInfo.InvariantCulture,
        $"{Steps,9:N0}/{TotalSteps:N0} steps  {Episodes,6} episodes  mean return {MeanEpisodeReturn,9:F2}  {StepsPerSecond,8:N0} steps/s  ETA {Eta.TotalSeconds:F0} s");
}
