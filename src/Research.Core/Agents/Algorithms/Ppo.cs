using Research.Core.Agents.Buffers;
using Research.Core.Agents.Policies;
using Research.Core.Environments;
using TorchSharp;
using static TorchSharp.torch;

namespace Research.Core.Agents.Algorithms;

/// <summary>
/// Proximal Policy Optimization (Schulman et al. 2017), clipped surrogate objective, as Stable-Baselines3 implements it:
/// collect <c>NSteps</c> steps from each copy with the current stochastic policy, compute GAE-λ advantages (truncated
/// episodes bootstrap from the value of their last observation), then run <c>Epochs</c> passes of shuffled minibatches
/// minimising −min(r A, clip(r, 1 ± ε) A) + c_v (R − V)² − c_e H with gradient-norm clipping. Adam (ε 1e-5).
/// </summary>
public sealed class Ppo : OnPolicyAgent<PpoConfig>
{
    /// <summary>The algorithm's name in <c>config.json</c>.</summary>
    public const string Name = "PPO";

    private readonly AdamOptimizer _optimizer;

    // The rollout as tensors and the minibatch index, filled in place every update.
    private readonly Tensor _allObservations;
    private readonly Tensor _allActions;
    private readonly Tensor _allLogProbs;
    private readonly Tensor _allAdvantages;
    private readonly Tensor _allReturns;
    private readonly Tensor _allValues;
    private readonly Tensor _batchIndex;
    private readonly int[] _order;

    /// <summary>A new agent on <c>config.NumEnvs</c> copies made by <paramref name="makeEnv"/> (copy i from <c>makeEnv(i)</c>).</summary>
    public Ppo(Func<int, IEnv> makeEnv, PpoConfig? config = null) : this(config ?? new PpoConfig(), makeEnv, null, null)
    {
    }

    private Ppo(PpoConfig config, Func<int, IEnv>? makeEnv, Space? observationSpace, Space? actionSpace)
        : base(Name, config, makeEnv, observationSpace, actionSpace)
    {
        _optimizer = new AdamOptimizer(Policy.parameters(), config.LearningRate.Initial, eps: 1e-5);
        int rollout = config.NSteps * config.NumEnvs;
        _allObservations = zeros(rollout, ObservationSize);
        _allActions = zeros(rollout, ActionSize);
        _allLogProbs = zeros(rollout);
        _allAdvantages = zeros(rollout);
        _allReturns = zeros(rollout);
        _allValues = zeros(rollout);
        _batchIndex = zeros(Math.Min(config.BatchSize, rollout), dtype: ScalarType.Int64);
        _order = new int[rollout];
    }

    /// <summary>Loads an agent saved by <see cref="Agent{TConfig}.Save"/>; with <paramref name="makeEnv"/> it can keep learning (the optimiser restarts).</summary>
    public static Ppo Load(string folder, Func<int, IEnv>? makeEnv = null)
    {
        var (manifest, config) = AgentStore.ReadManifest<PpoConfig>(folder, Name);
        var agent = new Ppo(config, makeEnv, manifest.ObservationSpace.ToSpace(), manifest.ActionSpace.ToSpace());
        agent.LoadSaved(folder, manifest);
        return agent;
    }

    /// <summary><c>Epochs</c> passes of shuffled minibatches over the rollout.</summary>
    private protected override void Update(TrainingMonitor monitor)
    {
        Policy.train(true);
        double progress = monitor.ProgressRemaining;
        double lr = Config.LearningRate.Value(progress), clip = Config.ClipRange.Value(progress);
        _optimizer.LearningRate = lr;
        TorchSupport.CopyInto(Buffer.Observations, _allObservations);
        TorchSupport.CopyInto(Buffer.Actions, _allActions);
        TorchSupport.CopyInto(Buffer.LogProbs, _allLogProbs);
        TorchSupport.CopyInto(Buffer.Advantages, _allAdvantages);
        TorchSupport.CopyInto(Buffer.Returns, _allReturns);
        TorchSupport.CopyInto(Buffer.Values, _allValues);

        int n = _order.Length, batchSize = (int)_batchIndex.shape[0];
        double policyLoss = 0, valueLoss = 0, entropyLoss = 0, approxKl = 0, clipFraction = 0;
        int batches = 0;
        bool keepGoing = true;
        for (int epoch = 0; epoch < Config.Epochs && keepGoing; epoch++)
        {
            for (int i = 0; i < n; i++) _order[i] = i;
            Random.Shuffle(_order);
            for (int start = 0; start < n; start += batchSize)
            {
                int size = Math.Min(batchSize, n - start);
                var index = TorchSupport.Longs(_batchIndex);
                for (int k = 0; k < size; k++) index[k] = _order[start + k];
                using (var scope = NewDisposeScope())
                {
                    var idx = size == batchSize ? _batchIndex : _batchIndex.narrow(0, 0, size);
                    var observations = _allObservations.index_select(0, idx);
                    var actions = _allActions.index_select(0, idx);
                    var oldLogProbs = _allLogProbs.index_select(0, idx);
                    var advantages = _allAdvantages.index_select(0, idx);
                    var returns = _allReturns.index_select(0, idx);
                    var (values, logProbs, entropy) = Policy.Evaluate(observations, actions);
                    if (Config.NormalizeAdvantage && size > 1) advantages = (advantages - advantages.mean()) / (advantages.std() + 1e-8);

                    // Clipped surrogate objective.
                    var logRatio = logProbs - oldLogProbs;
                    var ratio = logRatio.exp();
                    var surrogate = torch.min(advantages * ratio, advantages * ratio.clamp(1 - clip, 1 + clip));
                    var pgLoss = -surrogate.mean();

                    // Value loss, optionally clipped around the old values.
                    if (Config.ClipRangeValue is double vclip)
                    {
                        var oldValues = _allValues.index_select(0, idx);
                        values = oldValues + (values - oldValues).clamp(-vclip, vclip);
                    }

                    var vfLoss = nn.functional.mse_loss(values, returns);
                    var entLoss = -entropy.mean();
                    var loss = pgLoss + Config.EntropyCoef * entLoss + Config.ValueCoef * vfLoss;

                    double kl, clipped;
                    using (no_grad())
                    {
                        kl = ((ratio - 1) - logRatio).mean().item<float>();
                        clipped = (ratio - 1).abs().gt(clip).to_type(ScalarType.Float32).mean().item<float>();
                    }

                    if (Config.TargetKl is double target && kl > 1.5 * target)
                    {
                        keepGoing = false;
                        break;
                    }

                    policyLoss += pgLoss.item<float>();
                    valueLoss += vfLoss.item<float>();
                    entropyLoss += entLoss.item<float>();
                    approxKl += kl;
                    clipFraction += clipped;
                    batches++;
                    _optimizer.ZeroGrad();
                    loss.backward();
                    _optimizer.ClipGradNorm(Config.MaxGradNorm);
                    _optimizer.Step();
                    monitor.GradientSteps++;
                }
            }
        }

        var m = monitor.Metrics;
        int b = Math.Max(batches, 1);
        m["policy_loss"] = policyLoss / b;
        m["value_loss"] = valueLoss / b;
        m["entropy_loss"] = entropyLoss / b;
        m["approx_kl"] = approxKl / b;
        m["clip_fraction"] = clipFraction / b;
        m["learning_rate"] = lr;
        m["clip_range"] = clip;
        m["explained_variance"] = ExplainedVariance(Buffer.Values, Buffer.Returns);
    }

    /// <inheritdoc />
    protected override void DisposeNetworks()
    {
        _optimizer.Dispose();
        base.DisposeNetworks();
        foreach (var t in new[] { _allObservations, _allActions, _allLogProbs, _allAdvantages, _allReturns, _allValues, _batchIndex }) t.Dispose();
    }
}
