namespace Research.Core.Agents;

/// <summary>Deep Q-Network's hyperparameters; the defaults are Stable-Baselines3's.</summary>
public sealed record DqnConfig : AgentConfig
{
    /// <summary>Stable-Baselines3's defaults: lr 1e-4, buffer 1e6, learning starts 100, batch 32, τ 1, train every 4 steps, target every 10 000, ε 1 → 0.05 over 10 %, 64×64 ReLU.</summary>
    public DqnConfig()
    {
        LearningRate = Schedule.Constant(1e-4);
        NetArch = [64, 64];
        Activation = Activation.ReLU;
    }

    /// <summary>RL-Zoo's CartPole-v1 hyperparameters: lr 2.3e-3, batch 64, buffer 100k, learning starts 1000, target every 10 steps, train every 256 steps with 128 gradient steps, ε → 0.04 over 16 %, 256×256.</summary>
    public static DqnConfig CartPoleZoo => new()
    {
        LearningRate = Schedule.Constant(2.3e-3),
        BatchSize = 64,
        BufferSize = 100_000,
        LearningStarts = 1000,
        Gamma = 0.99,
        TargetUpdateInterval = 10,
        TrainFreq = 256,
        GradientSteps = 128,
        ExplorationFraction = 0.16,
        ExplorationFinalEps = 0.04,
        NetArch = [256, 256],
    };

    /// <summary>Replay buffer capacity (transitions).</summary>
    public int BufferSize { get; init; } = 1_000_000;

    /// <summary>Environment steps of uniformly random actions before learning starts.</summary>
    public int LearningStarts { get; init; } = 100;

    /// <summary>Minibatch size.</summary>
    public int BatchSize { get; init; } = 32;

    /// <summary>Target network update coefficient (1 = hard copy).</summary>
    public double Tau { get; init; } = 1.0;

    /// <summary>Vector steps between two training phases.</summary>
    public int TrainFreq { get; init; } = 4;

    /// <summary>Gradient steps per training phase (−1: as many as environment steps collected).</summary>
    public int GradientSteps { get; init; } = 1;

    /// <summary>Environment steps between target network updates.</summary>
    public int TargetUpdateInterval { get; init; } = 10_000;

    /// <summary>Fraction of training over which ε falls from its initial to its final value.</summary>
    public double ExplorationFraction { get; init; } = 0.1;

    /// <summary>Initial ε.</summary>
    public double ExplorationInitialEps { get; init; } = 1.0;

    /// <summary>Final ε.</summary>
    public double ExplorationFinalEps { get; init; } = 0.05;

    /// <summary>Gradients are clipped to this global norm.</summary>
    public double MaxGradNorm { get; init; } = 10;

    /// <summary>Double DQN (van Hasselt et al.): the online network picks the next action, the target network values it.</summary>
    public bool DoubleQ { get; init; }

    /// <inheritdoc />
    public override void Validate()
    {
        base.Validate();
        Require(BufferSize >= 1, nameof(BufferSize), "must be ≥ 1");
        Require(LearningStarts >= 0, nameof(LearningStarts), "must be ≥ 0");
        Require(BatchSize >= 1, nameof(BatchSize), "must be ≥ 1");
        Require(Tau is > 0 and <= 1, nameof(Tau), "must be in (0, 1]");
        Require(TrainFreq >= 1, nameof(TrainFreq), "must be ≥ 1");
        Require(GradientSteps >= 1 || GradientSteps == -1, nameof(GradientSteps), "must be ≥ 1 or −1");
        Require(TargetUpdateInterval >= 1, nameof(TargetUpdateInterval), "must be ≥ 1");
        Require(ExplorationFraction is > 0 and <= 1, nameof(ExplorationFraction), "must be in (0, 1]");
        Require(MaxGradNorm > 0, nameof(MaxGradNorm), "must be > 0");
    }
}
