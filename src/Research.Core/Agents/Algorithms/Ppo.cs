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
public sealed class Ppo : Agent<PpoConfig>
{
    /// <summary>The algorithm's name in <c>config.json</c>.</summary>
    public const string Name = "PPO";

    private const string PolicyFile = "policy.bin";
    private readonly ActorCriticPolicy _policy;
    private readonly TorchSharp.Modules.Parameter[] _parameters;
    private readonly optim.Optimizer _optimizer;
    private readonly RolloutBuffer _buffer;

    // Per-step scratch (one row per copy), reused for the whole run.
    private readonly float[] _observations;
    private readonly float[] _actions;
    private readonly float[] _envActions;
    private readonly float[] _values;
    private readonly float[] _logProbs;
    private readonly float[] _rewards;
    private readonly bool[] _episodeStarts;
    private readonly float[] _finalObservation;
    private readonly Tensor _observationTensor;
    private readonly Tensor _singleObservation;

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
        _policy = new ActorCriticPolicy(ObservationSize, ActionSpace, config.NetArch, config.Activation, config.OrthoInit, config.LogStdInit);
        _parameters = [.. _policy.parameters()];
        _optimizer = optim.Adam(_parameters, lr: config.LearningRate.Initial, eps: 1e-5);
        int envs = config.NumEnvs, rollout = config.NSteps * envs;
        _buffer = new RolloutBuffer(config.NSteps, envs, ObservationSize, ActionSize);
        _observations = new float[envs * ObservationSize];
        _actions = new float[envs * ActionSize];
        _envActions = new float[envs * ActionSize];
        _values = new float[envs];
        _logProbs = new float[envs];
        _rewards = new float[envs];
        _episodeStarts = new bool[envs];
        _finalObservation = new float[ObservationSize];
        _observationTensor = zeros(envs, ObservationSize);
        _singleObservation = zeros(1, ObservationSize);
        _allObservations = zeros(rollout, ObservationSize);
        _allActions = zeros(rollout, ActionSize);
        _allLogProbs = zeros(rollout);
        _allAdvantages = zeros(rollout);
        _allReturns = zeros(rollout);
        _allValues = zeros(rollout);
        _batchIndex = zeros(Math.Min(config.BatchSize, rollout), dtype: ScalarType.Int64);
        _order = new int[rollout];
    }

    /// <summary>The policy network.</summary>
    public ActorCriticPolicy Policy => _policy;

    /// <summary>Loads an agent saved by <see cref="Agent{TConfig}.Save"/>; with <paramref name="makeEnv"/> it can keep learning (the optimiser restarts).</summary>
    public static Ppo Load(string folder, Func<int, IEnv>? makeEnv = null)
    {
        var (manifest, config) = AgentStore.ReadManifest<PpoConfig>(folder, Name);
        var agent = new Ppo(config, makeEnv, manifest.ObservationSpace.ToSpace(), manifest.ActionSpace.ToSpace());
        agent.LoadSaved(folder, manifest);
        return agent;
    }

    private protected override void Train(VectorEnv envs, TrainingMonitor monitor)
    {
        Array.Fill(_episodeStarts, true);
        while (monitor.Steps < monitor.TotalSteps)
        {
            CollectRollout(envs, monitor);
            Update(monitor);
        }
    }

    /// <summary>Fills the rollout buffer with <c>NSteps</c> steps of every copy, then computes advantages and returns.</summary>
    private void CollectRollout(VectorEnv envs, TrainingMonitor monitor)
    {
        _policy.train(false);
        _buffer.Reset();
        using var noGrad = no_grad();
        for (int step = 0; step < Config.NSteps; step++)
        {
            using (var scope = NewDisposeScope())
            {
                NormalizeObservations(envs.Observations, _observations);
                TorchSupport.CopyInto(_observations, _observationTensor);
                var (actions, values, logProbs) = _policy.Act(_observationTensor);
                TorchSupport.Floats(actions.contiguous()).CopyTo(_actions);
                TorchSupport.Floats(values.contiguous()).CopyTo(_values);
                TorchSupport.Floats(logProbs.contiguous()).CopyTo(_logProbs);
            }

            ToEnvAction(_actions, _envActions);
            envs.Step(_envActions);
            AfterStep(envs, monitor, _rewards);

            // A time limit is not a terminal state: add γ V(last observation) to the reward, as Stable-Baselines3 does.
            for (int i = 0; i < envs.Count; i++)
            {
                if (envs.Truncated[i] && !envs.Terminated[i]) _rewards[i] += (float)(Config.Gamma * FinalValue(envs, i));
            }

            _buffer.Add(_observations, _actions, _rewards, _episodeStarts, _values, _logProbs);
            for (int i = 0; i < envs.Count; i++) _episodeStarts[i] = envs.Terminated[i] || envs.Truncated[i];
            monitor.AddSteps(envs.Count);
        }

        using (var scope = NewDisposeScope())
        {
            NormalizeObservations(envs.Observations, _observations);
            TorchSupport.CopyInto(_observations, _observationTensor);
            TorchSupport.Floats(_policy.Value(_observationTensor).contiguous()).CopyTo(_values);
        }

        _buffer.ComputeReturnsAndAdvantage(_values, _episodeStarts, Config.Gamma, Config.GaeLambda);
    }

    private float FinalValue(VectorEnv envs, int i)
    {
        using var scope = NewDisposeScope();
        NormalizeObservations(envs.FinalObservations.AsSpan(i * ObservationSize, ObservationSize), _finalObservation);
        TorchSupport.CopyInto(_finalObservation, _singleObservation);
        return _policy.Value(_singleObservation).item<float>();
    }

    /// <summary><c>Epochs</c> passes of shuffled minibatches over the rollout.</summary>
    private void Update(TrainingMonitor monitor)
    {
        _policy.train(true);
        double progress = monitor.ProgressRemaining;
        double lr = Config.LearningRate.Value(progress), clip = Config.ClipRange.Value(progress);
        TorchSupport.SetLearningRate(_optimizer, lr);
        TorchSupport.CopyInto(_buffer.Observations, _allObservations);
        TorchSupport.CopyInto(_buffer.Actions, _allActions);
        TorchSupport.CopyInto(_buffer.LogProbs, _allLogProbs);
        TorchSupport.CopyInto(_buffer.Advantages, _allAdvantages);
        TorchSupport.CopyInto(_buffer.Returns, _allReturns);
        TorchSupport.CopyInto(_buffer.Values, _allValues);

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
                _optimizer.zero_grad();
                using (var scope = NewDisposeScope())
                {
                    var idx = size == batchSize ? _batchIndex : _batchIndex.narrow(0, 0, size);
                    var observations = _allObservations.index_select(0, idx);
                    var actions = _allActions.index_select(0, idx);
                    var oldLogProbs = _allLogProbs.index_select(0, idx);
                    var advantages = _allAdvantages.index_select(0, idx);
                    var returns = _allReturns.index_select(0, idx);
                    var (values, logProbs, entropy) = _policy.Evaluate(observations, actions);
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
                    loss.backward();
                }

                using (var scope = NewDisposeScope()) nn.utils.clip_grad_norm_(_parameters, Config.MaxGradNorm);
                _optimizer.step();
                monitor.GradientSteps++;
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
        m["explained_variance"] = ExplainedVariance(_buffer.Values, _buffer.Returns);
    }

    /// <summary>1 − Var(R − V)/Var(R): how much of the returns' variance the values explain.</summary>
    private static double ExplainedVariance(float[] predicted, float[] targets)
    {
        double mt = 0, md = 0;
        for (int i = 0; i < targets.Length; i++)
        {
            mt += targets[i];
            md += targets[i] - predicted[i];
        }

        mt /= targets.Length;
        md /= targets.Length;
        double vt = 0, vd = 0;
        for (int i = 0; i < targets.Length; i++)
        {
            vt += (targets[i] - mt) * (targets[i] - mt);
            double d = targets[i] - predicted[i] - md;
            vd += d * d;
        }

        return vt == 0 ? double.NaN : 1 - vd / vt;
    }

    /// <inheritdoc />
    protected override void PredictNormalized(ReadOnlySpan<float> observation, Span<float> action)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        TorchSupport.CopyInto(observation, _singleObservation);
        var a = _policy.call(_singleObservation).contiguous();
        ToEnvAction(TorchSupport.Floats(a), action);
    }

    /// <inheritdoc />
    protected override void SaveNetworks(string folder) => _policy.save(Path.Combine(folder, PolicyFile));

    /// <inheritdoc />
    protected override void LoadNetworks(string folder) => _policy.load(Path.Combine(folder, PolicyFile));

    /// <inheritdoc />
    protected override void DisposeNetworks()
    {
        _optimizer.Dispose();
        _policy.Dispose();
        foreach (var t in new[] { _observationTensor, _singleObservation, _allObservations, _allActions, _allLogProbs, _allAdvantages, _allReturns, _allValues, _batchIndex }) t.Dispose();
    }
}
