using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Research.Core.Agents.Policies;

/// <summary>
/// SAC's actor (Stable-Baselines3's <c>Actor</c> of <c>SACPolicy</c>): an MLP body, then a mean and a log standard
/// deviation head (clamped to [−20, 2]); actions are tanh(μ + σ ε) in [−1, 1], with the log-probability corrected for
/// the squashing: log π(a|s) = Σ log N(u; μ, σ) − Σ log(1 − tanh(u)² + 1e-6).
/// </summary>
public sealed class SquashedGaussianActor : nn.Module<Tensor, Tensor>
{
    private const double LogStdMin = -20, LogStdMax = 2;
    private static readonly double HalfLogTwoPi = 0.5 * Math.Log(2 * Math.PI);
    private readonly Sequential latent_pi;
    private readonly Linear mu;
    private readonly Linear log_std;

    /// <summary>An actor for <paramref name="actionSize"/>-dimensional actions.</summary>
    public SquashedGaussianActor(int observationSize, int actionSize, IReadOnlyList<int> netArch, Activation activation) : base("SquashedGaussianActor")
    {
        int width = Mlp.OutputWidth(observationSize, netArch);
        latent_pi = Mlp.Create(observationSize, netArch, activation);
        mu = nn.Linear(width, actionSize);
        log_std = nn.Linear(width, actionSize);
        RegisterComponents();
    }

    /// <summary>Samples squashed actions with the reparameterisation trick; returns them and log π(a|s) ([batch, action], [batch]).</summary>
    public (Tensor Actions, Tensor LogProbs) Sample(Tensor observations)
    {
        var latent = latent_pi.call(observations);
        var mean = mu.call(latent);
        var logStd = log_std.call(latent).clamp(LogStdMin, LogStdMax);
        var noise = randn_like(mean);
        var u = mean + logStd.exp() * noise;
        var action = u.tanh();
        var logp = (-0.5 * noise.square() - logStd - HalfLogTwoPi).sum(-1) - (1 - action.square() + 1e-6).log().sum(-1);
        return (action, logp);
    }

    /// <summary>The deterministic action tanh(μ(s)): [batch, action].</summary>
    public override Tensor forward(Tensor observations) => mu.call(latent_pi.call(observations)).tanh();
}

/// <summary>TD3's and DDPG's actor: an MLP whose tanh output is the action in [−1, 1].</summary>
public sealed class DeterministicActor : nn.Module<Tensor, Tensor>
{
    private readonly Sequential mu;

    /// <summary>An actor for <paramref name="actionSize"/>-dimensional actions.</summary>
    public DeterministicActor(int observationSize, int actionSize, IReadOnlyList<int> netArch, Activation activation) : base("DeterministicActor")
    {
        mu = Mlp.Create(observationSize, netArch, activation, actionSize);
        RegisterComponents();
    }

    /// <summary>μ(s) in [−1, 1]: [batch, action].</summary>
    public override Tensor forward(Tensor observations) => mu.call(observations).tanh();
}
