using System.Text.Json.Serialization;

namespace Research.Core.Agents;

/// <summary>Hidden-layer activation of the networks.</summary>
public enum Activation
{
    /// <summary>Hyperbolic tangent (Stable-Baselines3's default for PPO and A2C).</summary>
    Tanh,

    /// <summary>Rectified linear unit (the default for DQN, SAC, TD3 and DDPG).</summary>
    ReLU,
}

/// <summary>
/// A value that moves linearly from <paramref name="Initial"/> to <paramref name="Final"/> over one
/// <see cref="IAgent.Learn"/> call (Stable-Baselines3's schedules of the remaining progress, 1 → 0); equal ends are a constant.
/// </summary>
/// <param name="Initial">Value at the start of training.</param>
/// <param name="Final">Value at the end of training.</param>
public sealed record Schedule(double Initial, double Final)
{
    /// <summary>The same value throughout.</summary>
    public static Schedule Constant(double value) => new(value, value);

    /// <summary>From <paramref name="initial"/> down to <paramref name="final"/> (RL-Zoo's <c>lin_x</c> is <c>Linear(x)</c>, ending at 0).</summary>
    public static Schedule Linear(double initial, double final = 0) => new(initial, final);

    /// <summary>The value when <paramref name="progressRemaining"/> of training is left (1 at the start, 0 at the end).</summary>
    public double Value(double progressRemaining) => Final + (Initial - Final) * Math.Clamp(progressRemaining, 0, 1);

    /// <inheritdoc />
    public override string ToString() => Initial == Final ? $"{Initial}" : $"lin({Initial} → {Final})";
}

/// <summary>Running normalisation of observations and rewards (Stable-Baselines3's <c>VecNormalize</c>).</summary>
/// <param name="Observations">Normalise observations with their running mean and variance.</param>
/// <param name="Rewards">Scale rewards by the running standard deviation of the discounted return.</param>
/// <param name="ClipObservations">Normalised observations are clipped to ± this.</param>
/// <param name="ClipRewards">Scaled rewards are clipped to ± this.</param>
/// <param name="Epsilon">Added to the variance before the square root.</param>
public sealed record NormalizationConfig(bool Observations = true, bool Rewards = true, double ClipObservations = 10, double ClipRewards = 10, double Epsilon = 1e-8);

/// <summary>
/// What every algorithm's hyperparameters share. Each algorithm's record sets Stable-Baselines3's defaults in its
/// constructor; change them with <c>with</c> or an object initializer.
/// </summary>
[JsonDerivedType(typeof(PpoConfig), "PPO")]
[JsonDerivedType(typeof(A2cConfig), "A2C")]
[JsonDerivedType(typeof(DqnConfig), "DQN")]
[JsonDerivedType(typeof(SacConfig), "SAC")]
[JsonDerivedType(typeof(Td3Config), "TD3")]
public abstract record AgentConfig
{
    /// <summary>Seeds torch (weights, sampling), the agent's <see cref="Random"/> (minibatches, replay sampling) and the environments' resets (copy i gets seed + i).</summary>
    public int Seed { get; init; }

    /// <summary>Number of environment copies stepped together.</summary>
    public int NumEnvs { get; init; } = 1;

    /// <summary>Discount factor γ.</summary>
    public double Gamma { get; init; } = 0.99;

    /// <summary>Learning rate (a schedule over each <see cref="IAgent.Learn"/> call).</summary>
    public Schedule LearningRate { get; init; } = Schedule.Constant(3e-4);

    /// <summary>Hidden layer widths of every network.</summary>
    public int[] NetArch { get; init; } = [64, 64];

    /// <summary>Hidden-layer activation.</summary>
    public Activation Activation { get; init; } = Activation.Tanh;

    /// <summary>torch's intra-op threads while learning (1, the default, makes runs reproducible); 0 leaves torch's setting.</summary>
    public int Threads { get; init; } = 1;

    /// <summary>Threads stepping the environment copies (see <see cref="Environments.VectorEnv"/>).</summary>
    public int EnvThreads { get; init; } = 1;

    /// <summary>Environment steps between two <see cref="AgentProgress"/> reports.</summary>
    public long ProgressInterval { get; init; } = 1000;

    /// <summary>Number of recent episodes <see cref="AgentProgress.MeanEpisodeReturn"/> averages (Stable-Baselines3 keeps 100).</summary>
    public int EpisodeWindow { get; init; } = 100;

    /// <summary>Observation and reward normalisation; null (the default) normalises nothing.</summary>
    public NormalizationConfig? Normalize { get; init; }

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid hyperparameter.</summary>
    public virtual void Validate()
    {
        Require(NumEnvs >= 1, nameof(NumEnvs), "must be ≥ 1");
        Require(Gamma is >= 0 and <= 1, nameof(Gamma), "must be in [0, 1]");
        Require(LearningRate.Initial >= 0 && LearningRate.Final >= 0, nameof(LearningRate), "must be ≥ 0");
        Require(NetArch.Length > 0 && NetArch.All(w => w >= 1), nameof(NetArch), "needs at least one layer, each ≥ 1 wide");
        Require(Threads >= 0, nameof(Threads), "must be ≥ 0");
        Require(EnvThreads >= 1, nameof(EnvThreads), "must be ≥ 1");
        Require(ProgressInterval >= 1, nameof(ProgressInterval), "must be ≥ 1");
        Require(EpisodeWindow >= 1, nameof(EpisodeWindow), "must be ≥ 1");
    }

    /// <summary>Throws <see cref="ArgumentException"/> for <paramref name="name"/> unless <paramref name="ok"/>.</summary>
    protected void Require(bool ok, string name, string rule)
    {
        if (!ok) throw new ArgumentException($"{GetType().Name}.{name} {rule}.", name);
    }
}
