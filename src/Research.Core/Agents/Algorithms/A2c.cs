using Research.Core.Environments;
using TorchSharp;
using static TorchSharp.torch;

namespace Research.Core.Agents.Algorithms;

/// <summary>
/// Advantage Actor-Critic (Mnih et al. 2016, synchronous) as Stable-Baselines3 implements it: collect <c>NSteps</c>
/// steps from each copy, compute advantages (GAE with λ = 1 by default: n-step returns), then one gradient step on
/// −A log π(a|s) + c_v (R − V)² − c_e H over the whole rollout, with gradient-norm clipping. RMSprop (α 0.99, ε 1e-5).
/// </summary>
public sealed class A2c : OnPolicyAgent<A2cConfig>
{
    /// <summary>The algorithm's name in <c>config.json</c>.</summary>
    public const string Name = "A2C";

    private readonly AgentOptimizer _optimizer;
    private readonly Tensor _observations;
    private readonly Tensor _actions;
    private readonly Tensor _advantages;
    private readonly Tensor _returns;

    /// <summary>A new agent on <c>config.NumEnvs</c> copies made by <paramref name="makeEnv"/> (copy i from <c>makeEnv(i)</c>).</summary>
    public A2c(Func<int, IEnv> makeEnv, A2cConfig? config = null) : this(config ?? new A2cConfig(), makeEnv, null, null)
    {
    }

    private A2c(A2cConfig config, Func<int, IEnv>? makeEnv, Space? observationSpace, Space? actionSpace)
        : base(Name, config, makeEnv, observationSpace, actionSpace)
    {
        double lr = config.LearningRate.Initial;
        _optimizer = config.UseRmsProp
            ? new RmsPropOptimizer(Policy.parameters(), lr, config.RmsPropAlpha, config.RmsPropEps)
            : new AdamOptimizer(Policy.parameters(), lr, eps: 1e-5);
        int rollout = config.NSteps * config.NumEnvs;
        _observations = zeros(rollout, ObservationSize);
        _actions = zeros(rollout, ActionSize);
        _advantages = zeros(rollout);
        _returns = zeros(rollout);
    }

    /// <summary>Loads an agent saved by <see cref="Agent{TConfig}.Save"/>; with <paramref name="makeEnv"/> it can keep learning (the optimiser restarts).</summary>
    public static A2c Load(string folder, Func<int, IEnv>? makeEnv = null)
    {
        var (manifest, config) = AgentStore.ReadManifest<A2cConfig>(folder, Name);
        var agent = new A2c(config, makeEnv, manifest.ObservationSpace.ToSpace(), manifest.ActionSpace.ToSpace());
        agent.LoadSaved(folder, manifest);
        return agent;
    }

    /// <summary>One gradient step over the whole rollout.</summary>
    private protected override void Update(TrainingMonitor monitor)
    {
        Policy.train(true);
        double lr = Config.LearningRate.Value(monitor.ProgressRemaining);
        _optimizer.LearningRate = lr;
        TorchSupport.CopyInto(Buffer.Observations, _observations);
        TorchSupport.CopyInto(Buffer.Actions, _actions);
        TorchSupport.CopyInto(Buffer.Advantages, _advantages);
        TorchSupport.CopyInto(Buffer.Returns, _returns);
        using (var scope = NewDisposeScope())
        {
            var (values, logProbs, entropy) = Policy.Evaluate(_observations, _actions);
            var advantages = _advantages;
            if (Config.NormalizeAdvantage) advantages = (advantages - advantages.mean()) / (advantages.std() + 1e-8);
            var policyLoss = -(advantages * logProbs).mean();
            var valueLoss = nn.functional.mse_loss(values, _returns);
            var entropyLoss = -entropy.mean();
            var loss = policyLoss + Config.EntropyCoef * entropyLoss + Config.ValueCoef * valueLoss;
            _optimizer.ZeroGrad();
            loss.backward();
            _optimizer.ClipGradNorm(Config.MaxGradNorm);
            _optimizer.Step();
            monitor.GradientSteps++;
            if (monitor.GradientSteps % 100 == 1 || monitor.Steps >= monitor.TotalSteps)
            {
                var m = monitor.Metrics;
                m["policy_loss"] = policyLoss.item<float>();
                m["value_loss"] = valueLoss.item<float>();
                m["entropy_loss"] = entropyLoss.item<float>();
                m["learning_rate"] = lr;
            }
        }

        if (monitor.GradientSteps % 100 == 1) monitor.Metrics["explained_variance"] = ExplainedVariance(Buffer.Values, Buffer.Returns);
    }

    /// <inheritdoc />
    protected override void DisposeNetworks()
    {
        _optimizer.Dispose();
        base.DisposeNetworks();
        _observations.Dispose();
        _actions.Dispose();
        _advantages.Dispose();
        _returns.Dispose();
    }
}
