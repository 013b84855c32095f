using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Research.Core.Agents.Policies;

/// <summary>DQN's action-value network: an MLP from the observation to one Q-value per discrete action.</summary>
public sealed class QNetwork : nn.Module<Tensor, Tensor>
{
    private readonly Sequential q_net;

    /// <summary>An MLP of <paramref name="netArch"/> hidden widths (PyTorch's default initialisation).</summary>
    public QNetwork(int observationSize, int actions, IReadOnlyList<int> netArch, Activation activation) : base("QNetwork")
    {
        q_net = Mlp.Create(observationSize, netArch, activation, actions);
        RegisterComponents();
    }

    /// <summary>Q(s, ·): [batch, actions].</summary>
    public override Tensor forward(Tensor observations) => q_net.call(observations);
}

/// <summary>
/// A continuous-action critic (SAC, TD3, DDPG): <see cref="Count"/> independent MLPs Q_k(s, a) on the concatenated
/// observation and action (two for clipped double-Q learning).
/// </summary>
public sealed class ContinuousCritic : nn.Module<Tensor, Tensor, Tensor>
{
    private readonly ModuleList<Sequential> q_networks = new();

    /// <summary><paramref name="count"/> critics of <paramref name="netArch"/> hidden widths.</summary>
    public ContinuousCritic(int observationSize, int actionSize, IReadOnlyList<int> netArch, Activation activation, int count) : base("ContinuousCritic")
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        for (int k = 0; k < count; k++) q_networks.Add(Mlp.Create(observationSize + actionSize, netArch, activation, 1));
        RegisterComponents();
    }

    /// <summary>Number of critics.</summary>
    public int Count => q_networks.Count;

    /// <summary>Critic <paramref name="k"/>'s linear layers, first to last.</summary>
    internal IReadOnlyList<Linear> Layers(int k) => [.. q_networks[k].children().OfType<Linear>()];

    /// <summary>Every critic's Q(s, a) stacked: [critics, batch].</summary>
    public override Tensor forward(Tensor observations, Tensor actions)
    {
        var input = cat([observations, actions], 1);
        return stack(q_networks.Select(q => q.call(input).squeeze(-1)), 0);
    }

    /// <summary>The first critic's Q(s, a): [batch] (TD3's and DDPG's actor loss).</summary>
    public Tensor First(Tensor observations, Tensor actions) => q_networks[0].call(cat([observations, actions], 1)).squeeze(-1);
}
