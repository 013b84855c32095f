using Research.Core.Environments;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Research.Core.Agents.Policies;

/// <summary>
/// PPO's and A2C's policy (Stable-Baselines3's <c>ActorCriticPolicy</c>): separate policy and value MLPs over the flat
/// observation, a categorical head (logits) for a <see cref="DiscreteSpace"/> or a diagonal Gaussian head (state-
/// independent log standard deviation) for a <see cref="BoxSpace"/>, and a scalar value head. Actions are float
/// tensors [batch, action size]; a discrete action is its index (0-based) in one column.
/// </summary>
public sealed class ActorCriticPolicy : nn.Module<Tensor, Tensor>
{
    private readonly Sequential policy_net;
    private readonly Sequential value_net;
    private readonly Linear action_net;
    private readonly Linear value_head;
    private readonly Parameter? log_std;

    /// <summary>Builds the networks for <paramref name="observationSize"/> inputs and <paramref name="actionSpace"/>.</summary>
    /// <param name="observationSize">Flat observation length.</param>
    /// <param name="actionSpace">A <see cref="DiscreteSpace"/> or a <see cref="BoxSpace"/>.</param>
    /// <param name="netArch">Hidden widths of both MLPs.</param>
    /// <param name="activation">Hidden activation.</param>
    /// <param name="orthoInit">Orthogonal initialisation: hidden layers √2, action head 0.01, value head 1.</param>
    /// <param name="logStdInit">Initial log standard deviation (Box actions).</param>
    public ActorCriticPolicy(int observationSize, Space actionSpace, IReadOnlyList<int> netArch, Activation activation, bool orthoInit = true, double logStdInit = 0)
        : base("ActorCriticPolicy")
    {
        (IsDiscrete, ActionSize, int heads) = actionSpace switch
        {
            DiscreteSpace d => (true, 1, d.N),
            BoxSpace b => (false, b.FlatSize, b.FlatSize),
            _ => throw new ArgumentException($"Actor-critic policies support Discrete and Box actions, not {actionSpace.GetType().Name}.", nameof(actionSpace)),
        };
        int width = Mlp.OutputWidth(observationSize, netArch);
        policy_net = Mlp.Create(observationSize, netArch, activation);
        value_net = Mlp.Create(observationSize, netArch, activation);
        action_net = nn.Linear(width, heads);
        value_head = nn.Linear(width, 1);
        if (!IsDiscrete) log_std = nn.Parameter(full(ActionSize, logStdInit, ScalarType.Float32));
        if (orthoInit)
        {
            Mlp.InitOrthogonal(policy_net, Math.Sqrt(2));
            Mlp.InitOrthogonal(value_net, Math.Sqrt(2));
            Mlp.InitOrthogonal(action_net, 0.01);
            Mlp.InitOrthogonal(value_head, 1);
        }

        RegisterComponents();
    }

    /// <summary>True for a categorical policy.</summary>
    public bool IsDiscrete { get; }

    /// <summary>Floats per action (1 for a discrete action).</summary>
    public int ActionSize { get; }

    /// <summary>State values V(s), [batch].</summary>
    public Tensor Value(Tensor observations) => value_head.call(value_net.call(observations)).squeeze(-1);

    /// <summary>Samples actions; returns them with V(s) and their log-probabilities ([batch, action], [batch], [batch]).</summary>
    public (Tensor Actions, Tensor Values, Tensor LogProbs) Act(Tensor observations)
    {
        var head = action_net.call(policy_net.call(observations));
        var values = Value(observations);
        if (IsDiscrete)
        {
            var logp = nn.functional.log_softmax(head, -1);
            var index = logp.exp().multinomial(1);
            return (index.to_type(ScalarType.Float32), values, logp.gather(-1, index).squeeze(-1));
        }

        var std = log_std!.exp();
        var actions = head.add(std * randn_like(head), PinnedScalars.One);
        return (actions, values, GaussianLogProb(actions, head));
    }

    /// <summary>V(s), log π(a|s) and the policy's entropy for stored actions ([batch] each).</summary>
    public (Tensor Values, Tensor LogProbs, Tensor Entropy) Evaluate(Tensor observations, Tensor actions)
    {
        var head = action_net.call(policy_net.call(observations));
        var values = Value(observations);
        if (IsDiscrete)
        {
            var logp = nn.functional.log_softmax(head, -1);
            var index = actions.to_type(ScalarType.Int64);
            var entropy = -(logp.exp() * logp).sum(-1);
            return (values, logp.gather(-1, index).squeeze(-1), entropy);
        }

        var ent = log_std!.add(PinnedScalars.GaussianEntropy, PinnedScalars.One).sum().expand(head.shape[0]);
        return (values, GaussianLogProb(actions, head), ent);
    }

    /// <summary>The deterministic action: the most likely index, or the Gaussian's mean ([batch, action]).</summary>
    public override Tensor forward(Tensor observations)
    {
        var head = action_net.call(policy_net.call(observations));
        return IsDiscrete ? head.argmax(-1, keepdim: true).to_type(ScalarType.Float32) : head;
    }

    private Tensor GaussianLogProb(Tensor actions, Tensor mean)
    {
        var z = (actions - mean) / log_std!.exp();
        return z.square().mul(PinnedScalars.MinusHalf).sub(log_std!).sub(PinnedScalars.HalfLogTwoPi).sum(-1);
    }
}
