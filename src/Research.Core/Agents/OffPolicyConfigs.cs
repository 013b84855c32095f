namespace Research.Core.Agents;

/// <summary>What the replay-buffer algorithms for continuous actions (SAC, TD3, DDPG) share.</summary>
public abstract record OffPolicyConfig : AgentConfig
{
    /// <summary>ReLU networks by default.</summary>
    protected OffPolicyConfig()
    {
        Activation = Activation.ReLU;
    }

    /// <summary>Replay buffer capacity (transitions).</summary>
    public int BufferSize { get; init; } = 1_000_000;

    /// <summary>Environment steps of uniformly random actions before learning starts.</summary>
    public int LearningStarts { get; init; } = 100;

    /// <summary>Minibatch size.</summary>
    public int BatchSize { get; init; } = 256;

    /// <summary>Polyak coefficient of the target networks.</summary>
    public double Tau { get; init; } = 0.005;

    /// <summary>Vector steps between two training phases.</summary>
    public int TrainFreq { get; init; } = 1;

    /// <summary>Gradient steps per training phase (−1: as many as environment steps collected).</summary>
    public int GradientSteps { get; init; } = 1;

    /// <summary>Number of Q-networks in the critic.</summary>
    public int Critics { get; init; } = 2;

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
        Require(Critics >= 1, nameof(Critics), "must be ≥ 1");
    }
}

/// <summary>Soft Actor-Critic's hyperparameters; the defaults are Stable-Baselines3's.</summary>
public sealed record SacConfig : OffPolicyConfig
{
    /// <summary>Stable-Baselines3's defaults: lr 3e-4, buffer 1e6, learning starts 100, batch 256, τ 0.005, γ 0.99, automatic entropy (target −dim A), 256×256 ReLU.</summary>
    public SacConfig()
    {
        LearningRate = Schedule.Constant(3e-4);
        NetArch = [256, 256];
    }

    /// <summary>A fixed entropy coefficient α; null (the default) learns it ("auto").</summary>
    public double? EntCoef { get; init; }

    /// <summary>Initial α when it is learned.</summary>
    public double EntCoefInit { get; init; } = 1.0;

    /// <summary>Target entropy when α is learned; null: −dim(A).</summary>
    public double? TargetEntropy { get; init; }

    /// <summary>Gradient steps between two target network updates.</summary>
    public int TargetUpdateInterval { get; init; } = 1;

    /// <summary>
    /// Threads that run a gradient step's independent passes side by side (each critic's, the actor's two, the halves of
    /// an optimiser step), torch single-threaded inside each (see <see cref="AgentConfig.Threads"/>). The results do not
    /// depend on it (the same operations on the same data), so runs stay reproducible; 1 runs everything on the caller.
    /// </summary>
    public int UpdateThreads { get; init; } = 2;

    /// <inheritdoc />
    public override void Validate()
    {
        base.Validate();
        Require(EntCoef is null or >= 0, nameof(EntCoef), "must be ≥ 0 when set");
        Require(EntCoefInit > 0, nameof(EntCoefInit), "must be > 0");
        Require(TargetUpdateInterval >= 1, nameof(TargetUpdateInterval), "must be ≥ 1");
        Require(UpdateThreads >= 1, nameof(UpdateThreads), "must be ≥ 1");
    }
}

/// <summary>TD3's (and, with <see cref="Ddpg"/>'s preset, DDPG's) hyperparameters; the defaults are Stable-Baselines3's TD3.</summary>
public sealed record Td3Config : OffPolicyConfig
{
    /// <summary>Stable-Baselines3's TD3 defaults: lr 1e-3, buffer 1e6, learning starts 100, batch 256, τ 0.005, γ 0.99, policy delay 2, target noise 0.2 clipped at 0.5, 400×300 ReLU; Gaussian exploration noise 0.1.</summary>
    public Td3Config()
    {
        LearningRate = Schedule.Constant(1e-3);
        NetArch = [400, 300];
    }

    /// <summary>DDPG as Stable-Baselines3 defines it: TD3 with one critic, no policy delay and no target smoothing.</summary>
    public static Td3Config Ddpg => new() { PolicyDelay = 1, TargetPolicyNoise = 0, TargetNoiseClip = 0, Critics = 1 };

    /// <summary>Critic updates per actor (and target) update.</summary>
    public int PolicyDelay { get; init; } = 2;

    /// <summary>Standard deviation of the noise added to the target action (target policy smoothing), in [−1, 1] action units.</summary>
    public double TargetPolicyNoise { get; init; } = 0.2;

    /// <summary>The target noise is clipped to ± this.</summary>
    public double TargetNoiseClip { get; init; } = 0.5;

    /// <summary>Standard deviation of the Gaussian exploration noise, in [−1, 1] action units (0: none).</summary>
    public double ActionNoise { get; init; } = 0.1;

    /// <inheritdoc />
    public override void Validate()
    {
        base.Validate();
        Require(PolicyDelay >= 1, nameof(PolicyDelay), "must be ≥ 1");
        Require(TargetPolicyNoise >= 0, nameof(TargetPolicyNoise), "must be ≥ 0");
        Require(TargetNoiseClip >= 0, nameof(TargetNoiseClip), "must be ≥ 0");
        Require(ActionNoise >= 0, nameof(ActionNoise), "must be ≥ 0");
    }
}
