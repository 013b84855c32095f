namespace Research.Core.Agents;

/// <summary>What PPO and A2C share: rollouts of <see cref="NSteps"/> per copy, GAE-λ, the loss weights and the actor-critic policy.</summary>
public abstract record OnPolicyConfig : AgentConfig
{
    /// <summary>Steps collected per copy before each update (the rollout is <c>NSteps × NumEnvs</c>).</summary>
    public int NSteps { get; init; } = 2048;

    /// <summary>GAE's λ (1: Monte-Carlo advantages, as A2C's default).</summary>
    public double GaeLambda { get; init; } = 0.95;

    /// <summary>Entropy bonus coefficient.</summary>
    public double EntropyCoef { get; init; }

    /// <summary>Value loss coefficient.</summary>
    public double ValueCoef { get; init; } = 0.5;

    /// <summary>Gradients are clipped to this global norm.</summary>
    public double MaxGradNorm { get; init; } = 0.5;

    /// <summary>Normalise advantages (per minibatch).</summary>
    public bool NormalizeAdvantage { get; init; }

    /// <summary>Orthogonal initialisation (hidden √2, policy head 0.01, value head 1).</summary>
    public bool OrthoInit { get; init; } = true;

    /// <summary>Initial log standard deviation of a Gaussian policy (Box actions).</summary>
    public double LogStdInit { get; init; }

    /// <inheritdoc />
    public override void Validate()
    {
        base.Validate();
        Require(NSteps >= 1, nameof(NSteps), "must be ≥ 1");
        Require(GaeLambda is >= 0 and <= 1, nameof(GaeLambda), "must be in [0, 1]");
        Require(MaxGradNorm > 0, nameof(MaxGradNorm), "must be > 0");
    }
}

/// <summary>Advantage Actor-Critic's hyperparameters (synchronous A3C); the defaults are Stable-Baselines3's.</summary>
public sealed record A2cConfig : OnPolicyConfig
{
    /// <summary>Stable-Baselines3's defaults: lr 7e-4, 5 steps per copy, γ 0.99, λ 1, entropy 0, value 0.5, gradient norm 0.5, RMSprop (α 0.99, ε 1e-5), 64×64 tanh.</summary>
    public A2cConfig()
    {
        LearningRate = Schedule.Constant(7e-4);
        NetArch = [64, 64];
        Activation = Activation.Tanh;
        NSteps = 5;
        GaeLambda = 1.0;
        NormalizeAdvantage = false;
    }

    /// <summary>RL-Zoo's CartPole-v1 hyperparameters: 8 copies, entropy 0 (the rest default).</summary>
    public static A2cConfig CartPoleZoo => new() { NumEnvs = 8, EntropyCoef = 0.0 };

    /// <summary>RMSprop (true, the default) or Adam.</summary>
    public bool UseRmsProp { get; init; } = true;

    /// <summary>RMSprop's smoothing constant α.</summary>
    public double RmsPropAlpha { get; init; } = 0.99;

    /// <summary>RMSprop's ε (added outside the square root).</summary>
    public double RmsPropEps { get; init; } = 1e-5;

    /// <inheritdoc />
    public override void Validate()
    {
        base.Validate();
        Require(RmsPropAlpha is > 0 and < 1, nameof(RmsPropAlpha), "must be in (0, 1)");
        Require(RmsPropEps > 0, nameof(RmsPropEps), "must be > 0");
    }
}
