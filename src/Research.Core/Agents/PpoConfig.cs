namespace Research.Core.Agents;

/// <summary>Proximal Policy Optimization's hyperparameters; the defaults are Stable-Baselines3's.</summary>
public sealed record PpoConfig : AgentConfig
{
    /// <summary>Stable-Baselines3's defaults: lr 3e-4, 2048 steps per copy, batch 64, 10 epochs, γ 0.99, λ 0.95, clip 0.2, 64×64 tanh.</summary>
    public PpoConfig()
    {
        LearningRate = Schedule.Constant(3e-4);
        NetArch = [64, 64];
        Activation = Activation.Tanh;
        ProgressInterval = 2048;
    }

    /// <summary>RL-Zoo's CartPole-v1 hyperparameters: 8 copies, 32 steps, batch 256, 20 epochs, γ 0.98, λ 0.8, lr and clip linear from 1e-3 and 0.2.</summary>
    public static PpoConfig CartPoleZoo => new()
    {
        NumEnvs = 8,
        NSteps = 32,
        BatchSize = 256,
        Epochs = 20,
        Gamma = 0.98,
        GaeLambda = 0.8,
        LearningRate = Schedule.Linear(1e-3),
        ClipRange = Schedule.Linear(0.2),
        EntropyCoef = 0.0,
    };

    /// <summary>Steps collected per copy before each update (the rollout is <c>NSteps × NumEnvs</c>).</summary>
    public int NSteps { get; init; } = 2048;

    /// <summary>Minibatch size.</summary>
    public int BatchSize { get; init; } = 64;

    /// <summary>Passes over each rollout.</summary>
    public int Epochs { get; init; } = 10;

    /// <summary>GAE's λ.</summary>
    public double GaeLambda { get; init; } = 0.95;

    /// <summary>The policy ratio's clip range ε.</summary>
    public Schedule ClipRange { get; init; } = Schedule.Constant(0.2);

    /// <summary>When set, the new value is clipped to the old value ± this (Stable-Baselines3's <c>clip_range_vf</c>); null: no value clipping.</summary>
    public double? ClipRangeValue { get; init; }

    /// <summary>Entropy bonus coefficient.</summary>
    public double EntropyCoef { get; init; }

    /// <summary>Value loss coefficient.</summary>
    public double ValueCoef { get; init; } = 0.5;

    /// <summary>Gradients are clipped to this global norm.</summary>
    public double MaxGradNorm { get; init; } = 0.5;

    /// <summary>Normalise advantages per minibatch.</summary>
    public bool NormalizeAdvantage { get; init; } = true;

    /// <summary>When set, an epoch's remaining minibatches are skipped once the approximate KL exceeds 1.5 × this.</summary>
    public double? TargetKl { get; init; }

    /// <summary>Orthogonal initialisation (hidden √2, policy head 0.01, value head 1).</summary>
    public bool OrthoInit { get; init; } = true;

    /// <summary>Initial log standard deviation of a Gaussian policy (Box actions).</summary>
    public double LogStdInit { get; init; }

    /// <inheritdoc />
    public override void Validate()
    {
        base.Validate();
        Require(NSteps >= 1, nameof(NSteps), "must be ≥ 1");
        Require(BatchSize >= 1, nameof(BatchSize), "must be ≥ 1");
        Require(Epochs >= 1, nameof(Epochs), "must be ≥ 1");
        Require(GaeLambda is >= 0 and <= 1, nameof(GaeLambda), "must be in [0, 1]");
        Require(ClipRange.Initial > 0 && ClipRange.Final >= 0, nameof(ClipRange), "must be > 0");
        Require(ClipRangeValue is null or > 0, nameof(ClipRangeValue), "must be > 0 when set");
        Require(MaxGradNorm > 0, nameof(MaxGradNorm), "must be > 0");
        Require(TargetKl is null or > 0, nameof(TargetKl), "must be > 0 when set");
    }
}
