namespace Research.Core.Agents;

/// <summary>Proximal Policy Optimization's hyperparameters; the defaults are Stable-Baselines3's.</summary>
public sealed record PpoConfig : OnPolicyConfig
{
    /// <summary>Stable-Baselines3's defaults: lr 3e-4, 2048 steps per copy, batch 64, 10 epochs, γ 0.99, λ 0.95, clip 0.2, 64×64 tanh.</summary>
    public PpoConfig()
    {
        LearningRate = Schedule.Constant(3e-4);
        NetArch = [64, 64];
        Activation = Activation.Tanh;
        ProgressInterval = 2048;
        NSteps = 2048;
        GaeLambda = 0.95;
        NormalizeAdvantage = true;
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

    /// <summary>Minibatch size.</summary>
    public int BatchSize { get; init; } = 64;

    /// <summary>Passes over each rollout.</summary>
    public int Epochs { get; init; } = 10;

    /// <summary>The policy ratio's clip range ε.</summary>
    public Schedule ClipRange { get; init; } = Schedule.Constant(0.2);

    /// <summary>When set, the new value is clipped to the old value ± this (Stable-Baselines3's <c>clip_range_vf</c>); null: no value clipping.</summary>
    public double? ClipRangeValue { get; init; }

    /// <summary>When set, an epoch's remaining minibatches are skipped once the approximate KL exceeds 1.5 × this.</summary>
    public double? TargetKl { get; init; }

    /// <inheritdoc />
    public override void Validate()
    {
        base.Validate();
        Require(BatchSize >= 1, nameof(BatchSize), "must be ≥ 1");
        Require(Epochs >= 1, nameof(Epochs), "must be ≥ 1");
        Require(ClipRange.Initial > 0 && ClipRange.Final >= 0, nameof(ClipRange), "must be > 0");
        Require(ClipRangeValue is null or > 0, nameof(ClipRangeValue), "must be > 0 when set");
        Require(TargetKl is null or > 0, nameof(TargetKl), "must be > 0 when set");
    }
}
