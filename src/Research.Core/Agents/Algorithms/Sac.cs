using Research.Core.Agents.Buffers;
using Research.Core.Agents.Policies;
using Research.Core.Environments;
using TorchSharp;
using static TorchSharp.torch;

namespace Research.Core.Agents.Algorithms;

/// <summary>
/// Soft Actor-Critic (Haarnoja et al. 2018) as Stable-Baselines3 implements it, for Box actions: a squashed-Gaussian
/// actor, twin critics with Polyak-averaged targets, and an entropy coefficient α learned towards a target entropy
/// (−dim A). Each gradient step: α's loss −log α (log π + H̄); the critics regress on
/// r + γ (1 − done)(min_k Q̄_k(s′, a′) − α log π(a′|s′)) with a′ ~ π(s′); the actor minimises α log π(a|s) − min_k Q_k(s, a).
/// Actions live in [−1, 1] and are mapped onto the box when stepping.
/// <para>
/// The modules hold the parameters (save, load, <see cref="Agent{TConfig}.Predict"/>); training evaluates and
/// differentiates them by hand (<see cref="DenseMlp"/> over the optimisers' flat buffers, the actor's two heads as one
/// layer), so a gradient step builds no autograd graph and allocates nothing: the losses and their gradients are the
/// ones above, with the critics held fixed in the actor's loss.
/// </para>
/// </summary>
public sealed class Sac : Agent<SacConfig>
{
    /// <summary>The algorithm's name in <c>config.json</c>.</summary>
    public const string Name = "SAC";

    private const string ActorFile = "actor.bin";
    private const string CriticFile = "critic.bin";
    private const string CriticTargetFile = "critic_target.bin";
    private const string EntCoefFile = "log_ent_coef.bin";
    private readonly SquashedGaussianActor _actor;
    private readonly ContinuousCritic _critic;
    private readonly ContinuousCritic _criticTarget;
    private readonly FlatParameters _criticTargetFlat;
    private readonly EntCoefModule _entCoef;
    private readonly FusedAdamOptimizer _actorOptimizer;
    private readonly FusedAdamOptimizer _criticOptimizer;
    private readonly FusedAdamOptimizer? _entCoefOptimizer;
    private readonly double _targetEntropy;
    private readonly ReplayBuffer _replay;
    private readonly ReplayBatch _batch;

    private readonly float[] _lastObservations;
    private readonly float[] _normalized;
    private readonly float[] _actions;
    private readonly float[] _envActions;
    private readonly float[] _rewards;
    private readonly Tensor _observationTensor;
    private readonly Tensor _singleObservation;

    // The hand-differentiated networks (views of the optimisers' flat buffers) and their preallocated batch buffers.
    private readonly DenseLayer[] _layers;
    private readonly DenseMlp _actorNet;
    private readonly DenseMlp _actorNextNet;
    private readonly DenseMlp _actorEnvNet;
    private readonly DenseMlp[] _criticNets;
    private readonly DenseMlp[] _targetNets;
    private readonly Tensor _criticInput;
    private readonly Tensor _targetInput;
    private readonly Tensor _noise;
    private readonly Tensor _nextNoise;
    private readonly Tensor _envNoise;
    private readonly float[] _piActions;
    private readonly float[] _logProbs;
    private readonly float[] _std;
    private readonly float[] _nextActions;
    private readonly float[] _nextLogProbs;
    private readonly float[] _nextStd;
    private readonly float[] _targets;
    private readonly float[] _actionGrads;
    private readonly float[] _envLogProbs;
    private readonly float[] _envStd;
    private readonly Tensor _policyCriticInput;
    private readonly float[] _criticLosses;
    private readonly int[][] _minRows;
    private readonly int[] _minRowCounts;
    private readonly int[] _criticStart;
    private readonly int[] _criticCount;

    // A gradient step's phases, run across the update team (created once: running them allocates nothing).
    private readonly ParallelParts _team;
    private readonly Action<int> _samplePolicy;
    private readonly Action<int> _evaluateCritics;
    private readonly Action<int> _updateCritic;
    private readonly Action<int> _criticInputGrads;
    private readonly Action<int> _updateActor;
    private float _alpha;
    private bool _softUpdateDue;
    private long _updates;

    /// <summary>A new agent on <c>config.NumEnvs</c> copies made by <paramref name="makeEnv"/> (bounded Box actions).</summary>
    public Sac(Func<int, IEnv> makeEnv, SacConfig? config = null) : this(config ?? new SacConfig(), makeEnv, null, null)
    {
    }

    private Sac(SacConfig config, Func<int, IEnv>? makeEnv, Space? observationSpace, Space? actionSpace)
        : base(Name, config, makeEnv, observationSpace, actionSpace)
    {
        if (ActionSpace is not BoxSpace { IsBounded: true }) throw new ArgumentException($"SAC needs a bounded Box action space, not {ActionSpace}.", nameof(makeEnv));
        _actor = new SquashedGaussianActor(ObservationSize, ActionSize, config.NetArch, config.Activation);
        _critic = new ContinuousCritic(ObservationSize, ActionSize, config.NetArch, config.Activation, config.Critics);
        _criticTarget = new ContinuousCritic(ObservationSize, ActionSize, config.NetArch, config.Activation, config.Critics);
        TorchSupport.SoftUpdate(_criticTarget, _critic, 1.0);
        foreach (var p in _criticTarget.parameters()) p.requires_grad = false;
        _criticTargetFlat = new FlatParameters(_criticTarget.parameters(), gradients: false);
        _entCoef = new EntCoefModule(Math.Log(config.EntCoef ?? config.EntCoefInit));
        _targetEntropy = config.TargetEntropy ?? -ActionSize;
        double lr = config.LearningRate.Initial;
        _actorOptimizer = new FusedAdamOptimizer(_actor.FusedHeadOrder, lr);
        _criticOptimizer = new FusedAdamOptimizer(_critic.parameters(), lr);
        if (config.EntCoef is null) _entCoefOptimizer = new FusedAdamOptimizer(_entCoef.parameters(), lr);
        _replay = new ReplayBuffer(config.BufferSize, ObservationSize, ActionSize);
        _batch = new ReplayBatch(config.BatchSize, ObservationSize, ActionSize);
        int n = config.NumEnvs, b = config.BatchSize;
        _lastObservations = new float[n * ObservationSize];
        _normalized = new float[n * ObservationSize];
        _actions = new float[n * ActionSize];
        _envActions = new float[n * ActionSize];
        _rewards = new float[n];
        _observationTensor = zeros(n, ObservationSize);
        _singleObservation = zeros(1, ObservationSize);

        var actorFlat = _actorOptimizer.Flat;
        DenseLayer[] actorLayers = [.. _actor.BodyLayers.Select(l => DenseLayer.Of(actorFlat, l)), DenseLayer.Of(actorFlat, [_actor.MeanHead, _actor.LogStdHead])];
        var criticLayers = Enumerable.Range(0, _critic.Count).Select(k => _critic.Layers(k).Select(l => DenseLayer.Of(_criticOptimizer.Flat, l)).ToArray()).ToArray();
        var targetLayers = Enumerable.Range(0, _criticTarget.Count).Select(k => _criticTarget.Layers(k).Select(l => DenseLayer.Of(_criticTargetFlat, l)).ToArray()).ToArray();
        _layers = [.. actorLayers, .. criticLayers.SelectMany(l => l), .. targetLayers.SelectMany(l => l)];
        _actorNet = new DenseMlp(actorLayers, config.Activation, b);
        _actorNextNet = new DenseMlp(actorLayers, config.Activation, b);
        _actorEnvNet = new DenseMlp(actorLayers, config.Activation, n);
        _criticNets = [.. criticLayers.Select(l => new DenseMlp(l, config.Activation, b, inputGradients: true))];
        _targetNets = [.. targetLayers.Select(l => new DenseMlp(l, config.Activation, b))];
        _criticInput = zeros(b, ObservationSize + ActionSize);
        _targetInput = zeros(b, ObservationSize + ActionSize);
        _noise = zeros(b, ActionSize);
        _nextNoise = zeros(b, ActionSize);
        _envNoise = zeros(n, ActionSize);
        _piActions = new float[b * ActionSize];
        _logProbs = new float[b];
        _std = new float[b * ActionSize];
        _nextActions = new float[b * ActionSize];
        _nextLogProbs = new float[b];
        _nextStd = new float[b * ActionSize];
        _targets = new float[b];
        _actionGrads = new float[b * ActionSize];
        _envLogProbs = new float[n];
        _envStd = new float[n * ActionSize];
        _policyCriticInput = zeros(b, ObservationSize + ActionSize);
        _criticLosses = new float[_critic.Count];
        _minRows = [.. Enumerable.Range(0, _critic.Count).Select(_ => new int[b])];
        _minRowCounts = new int[_critic.Count];
        // Each critic's parameters are one block of the flat buffers (its optimiser range and its target's).
        _criticStart = new int[_critic.Count];
        _criticCount = new int[_critic.Count];
        for (int k = 0; k < _critic.Count; k++)
        {
            var first = _critic.Layers(k)[0].weight;
            _criticStart[k] = (int)_criticOptimizer.Flat.OffsetOf(first);
            _criticCount[k] = (int)_critic.Layers(k).Sum(l => l.weight.numel() + l.bias!.numel());
            if (k > 0 && _criticStart[k] != _criticStart[k - 1] + _criticCount[k - 1]) throw new InvalidOperationException("The critics' parameters are not laid out one critic after another.");
        }

        _team = new ParallelParts(config.UpdateThreads);
        _samplePolicy = SamplePolicy;
        _evaluateCritics = k =>
        {
            _targetNets[k].Forward(_targetInput);
            _criticNets[k].Forward(_criticInput);
        };
        _updateCritic = UpdateCritic;
        _criticInputGrads = k => _criticNets[k].BackwardInputRows(_minRows[k].AsSpan(0, _minRowCounts[k]));
        _updateActor = part =>
        {
            int half = _actorOptimizer.Count / 2 / 16 * 16;
            if (part == 0) _actorOptimizer.UpdateRange(0, half);
            else _actorOptimizer.UpdateRange(half, _actorOptimizer.Count - half);
        };
    }

    /// <summary>The actor.</summary>
    public SquashedGaussianActor Actor => _actor;

    /// <summary>The current entropy coefficient α.</summary>
    public double EntropyCoefficient => Math.Exp(_entCoef.LogValue.item<float>());

    /// <summary>Loads an agent saved by <see cref="Agent{TConfig}.Save"/>; with <paramref name="makeEnv"/> it can keep learning (empty buffer, new optimisers).</summary>
    public static Sac Load(string folder, Func<int, IEnv>? makeEnv = null)
    {
        var (manifest, config) = AgentStore.ReadManifest<SacConfig>(folder, Name);
        var agent = new Sac(config, makeEnv, manifest.ObservationSpace.ToSpace(), manifest.ActionSpace.ToSpace());
        agent.LoadSaved(folder, manifest);
        return agent;
    }

    private protected override void Train(VectorEnv envs, TrainingMonitor monitor)
    {
        _team.SetTorchThreads(get_num_threads());
        int n = envs.Count;
        while (monitor.Steps < monitor.TotalSteps)
        {
            for (int s = 0; s < Config.TrainFreq; s++)
            {
                envs.Observations.CopyTo(_lastObservations, 0);
                if (StepsDone + monitor.Steps < Config.LearningStarts)
                {
                    for (int i = 0; i < _actions.Length; i++) _actions[i] = (float)(Random.NextDouble() * 2 - 1);
                }
                else
                {
                    SampleActions();
                }

                ToEnvAction(_actions, _envActions, squashed: true);
                envs.Step(_envActions);
                AfterStep(envs, monitor, _rewards);
                StoreTransitions(envs, _replay, _lastObservations, _actions);
                monitor.AddSteps(n);
            }

            if (StepsDone + monitor.Steps > Config.LearningStarts)
            {
                Update(Config.GradientSteps == -1 ? Config.TrainFreq * n : Config.GradientSteps, monitor);
            }
        }
    }

    /// <summary>Stochastic actions of the current policy for every copy.</summary>
    private void SampleActions()
    {
        NormalizeObservations(_lastObservations, _normalized);
        TorchSupport.CopyInto(_normalized, _observationTensor);
        var heads = _actorEnvNet.Forward(_observationTensor);
        _envNoise.normal_();
        SquashedGaussianActor.SampleFromHeads(heads, TorchSupport.Floats(_envNoise), _actions, _envLogProbs, _envStd);
    }

    /// <summary><paramref name="gradientSteps"/> updates of α, the critics and the actor (internal for the benchmarks).</summary>
    internal void Update(int gradientSteps, TrainingMonitor monitor)
    {
        double lr = Config.LearningRate.Value(monitor.ProgressRemaining);
        _actorOptimizer.LearningRate = _criticOptimizer.LearningRate = lr;
        if (_entCoefOptimizer is not null) _entCoefOptimizer.LearningRate = lr;
        float actorLoss = 0, criticLoss = 0;
        for (int g = 0; g < gradientSteps; g++)
        {
            _softUpdateDue = ++_updates % Config.TargetUpdateInterval == 0;
            GradientStep(out actorLoss, out criticLoss);
            monitor.GradientSteps++;
        }

        monitor.Metrics["actor_loss"] = actorLoss;
        monitor.Metrics["critic_loss"] = criticLoss;
        monitor.Metrics["ent_coef"] = _alpha;
        monitor.Metrics["learning_rate"] = lr;
    }

    /// <summary>
    /// One minibatch, in Stable-Baselines3's order: α's step, the critics' step, the actor's step, the targets' Polyak
    /// update. Independent passes run side by side on the update team (each critic's chain, the two policy passes, the
    /// halves of the actor's Adam step); torch's generator is only drawn from here, so the noise is the same whatever the team.
    /// </summary>
    private void GradientStep(out float actorLoss, out float criticLoss)
    {
        _batch.Fill(_replay, Random, Normalizer);
        int batch = Config.BatchSize, obs = ObservationSize, act = ActionSize, critics = _criticNets.Length;

        // The policy's actions for the batch (kept for α's loss and the actor's loss) and for the next observations.
        _noise.normal_();
        _nextNoise.normal_();
        _team.Run(2, _samplePolicy);

        // Entropy coefficient: α = exp(log α) before its step; the loss −mean(log α · (log π + H̄)) has gradient −mean(log π + H̄).
        _alpha = MathF.Exp(TorchSupport.Floats(_entCoef.LogValue)[0]);
        if (_entCoefOptimizer is not null)
        {
            float sum = 0, targetEntropy = (float)_targetEntropy;
            for (int b = 0; b < batch; b++) sum += _logProbs[b] + targetEntropy;
            TorchSupport.Floats(_entCoefOptimizer.Flat.Gradients)[0] = -sum / batch;
            _entCoefOptimizer.Prepare();
            _entCoefOptimizer.UpdateRange(0, _entCoefOptimizer.Count);
        }

        // Critics' target: r + γ (1 − done)(min_k Q̄_k(s′, a′) − α log π(a′|s′)), a′ ~ π(s′); Q_k(s, a) alongside.
        _team.Run(critics, _evaluateCritics);
        var rewards = TorchSupport.Floats(_batch.Rewards);
        var dones = TorchSupport.Floats(_batch.Dones);
        float gamma = (float)Config.Gamma;
        for (int b = 0; b < batch; b++)
        {
            float minQ = _targetNets[0].Output[b];
            for (int k = 1; k < critics; k++) minQ = Math.Min(minQ, _targetNets[k].Output[b]);
            _targets[b] = rewards[b] + (1 - dones[b]) * gamma * (minQ - _alpha * _nextLogProbs[b]);
        }

        // Critics' step (each critic's chain on its own: see UpdateCritic).
        _criticOptimizer.Prepare();
        _team.Run(critics, _updateCritic);
        criticLoss = _criticLosses.Sum();

        // Actor: mean(α log π(a|s) − min_k Q_k(s, a)), a ~ π(s), through the updated critics held fixed.
        // −min_k Q_k sends each row's gradient (−1 / batch) to its smallest critic (the first on ties, as torch.min):
        // each critic backpropagates its own rows only.
        float actorSum = 0;
        Array.Clear(_minRowCounts);
        for (int b = 0; b < batch; b++)
        {
            int argMin = 0;
            float minQ = _criticNets[0].Output[b];
            for (int k = 1; k < critics; k++)
            {
                float q = _criticNets[k].Output[b];
                if (q < minQ) (minQ, argMin) = (q, k);
            }

            int i = _minRowCounts[argMin]++;
            _minRows[argMin][i] = b;
            _criticNets[argMin].OutputGrad[i] = -1f / batch;
            actorSum += _alpha * _logProbs[b] - minQ;
        }

        actorLoss = actorSum / batch;
        _team.Run(critics, _criticInputGrads);
        for (int k = 0; k < critics; k++)
        {
            var inputGrad = _criticNets[k].InputGrad;
            var rows = _minRows[k];
            for (int i = 0; i < _minRowCounts[k]; i++)
            {
                for (int j = 0; j < act; j++) _actionGrads[rows[i] * act + j] = inputGrad[i * (obs + act) + obs + j];
            }
        }

        SquashedGaussianActor.SampleBackward(act, _actorNet.Output, TorchSupport.Floats(_noise), _piActions, _std, _actionGrads, _alpha / batch, _actorNet.OutputGrad);
        _actorNet.Backward(parameters: true, _team);
        _actorOptimizer.Prepare();
        _team.Run(2, _updateActor);
    }

    /// <summary>Part 0: π(s), and the critics' inputs (s, a) and (s, a ~ π(s)); part 1: π(s′) and the target critics' input (s′, a′).</summary>
    private void SamplePolicy(int part)
    {
        if (part == 0)
        {
            var observations = TorchSupport.Floats(_batch.Observations);
            var heads = _actorNet.Forward(_batch.Observations);
            SquashedGaussianActor.SampleFromHeads(heads, TorchSupport.Floats(_noise), _piActions, _logProbs, _std);
            FillCriticInput(_criticInput, observations, TorchSupport.Floats(_batch.Actions));
            FillCriticInput(_policyCriticInput, observations, _piActions);
        }
        else
        {
            var heads = _actorNextNet.Forward(_batch.NextObservations);
            SquashedGaussianActor.SampleFromHeads(heads, TorchSupport.Floats(_nextNoise), _nextActions, _nextLogProbs, _nextStd);
            FillCriticInput(_targetInput, TorchSupport.Floats(_batch.NextObservations), _nextActions);
        }
    }

    /// <summary>
    /// Critic <paramref name="k"/>'s share of the critics' step, which touches only its own parameters and buffers: the
    /// gradient of ½ mean_b (Q_k(s, a) − target)² ((Q_k − target) / batch), backpropagated; Adam on its block of the
    /// flat buffer; its target's Polyak update when due (it only reads the critic, now final for this step); then
    /// Q_k(s, a ~ π(s)) with the new weights for the actor's loss.
    /// </summary>
    private void UpdateCritic(int k)
    {
        var net = _criticNets[k];
        var q = net.Output;
        var grad = net.OutputGrad;
        int batch = Config.BatchSize;
        float squares = 0;
        for (int b = 0; b < batch; b++)
        {
            float diff = q[b] - _targets[b];
            squares += diff * diff;
            grad[b] = diff / batch;
        }

        _criticLosses[k] = 0.5f * squares / batch;
        net.Backward();
        _criticOptimizer.UpdateRange(_criticStart[k], _criticCount[k]);
        if (_softUpdateDue) _criticTargetFlat.SoftUpdateRangeFrom(_criticOptimizer.Flat, Config.Tau, _criticStart[k], _criticCount[k]);
        net.Forward(_policyCriticInput);
    }

    /// <summary>Writes the critics' input rows [observation, action] into <paramref name="input"/>.</summary>
    private void FillCriticInput(Tensor input, ReadOnlySpan<float> observations, ReadOnlySpan<float> actions)
    {
        int obs = ObservationSize, act = ActionSize, width = obs + act;
        var rows = TorchSupport.Floats(input);
        for (int b = 0; b < rows.Length / width; b++)
        {
            observations.Slice(b * obs, obs).CopyTo(rows.Slice(b * width, obs));
            actions.Slice(b * act, act).CopyTo(rows.Slice(b * width + obs, act));
        }
    }

    /// <inheritdoc />
    protected override void PredictNormalized(ReadOnlySpan<float> observation, Span<float> action)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        TorchSupport.CopyInto(observation, _singleObservation);
        ToEnvAction(TorchSupport.Floats(_actor.call(_singleObservation).contiguous()), action, squashed: true);
    }

    /// <inheritdoc />
    protected override void SaveNetworks(string folder)
    {
        _actor.save(Path.Combine(folder, ActorFile));
        _critic.save(Path.Combine(folder, CriticFile));
        _criticTarget.save(Path.Combine(folder, CriticTargetFile));
        _entCoef.save(Path.Combine(folder, EntCoefFile));
    }

    /// <inheritdoc />
    protected override void LoadNetworks(string folder)
    {
        _actor.load(Path.Combine(folder, ActorFile));
        _critic.load(Path.Combine(folder, CriticFile));
        _criticTarget.load(Path.Combine(folder, CriticTargetFile));
        _entCoef.load(Path.Combine(folder, EntCoefFile));
    }

    /// <inheritdoc />
    protected override void DisposeNetworks()
    {
        _actorOptimizer.Dispose();
        _criticOptimizer.Dispose();
        _entCoefOptimizer?.Dispose();
        _actor.Dispose();
        _critic.Dispose();
        _criticTarget.Dispose();
        _criticTargetFlat.Dispose();
        _entCoef.Dispose();
        _batch.Dispose();
        _observationTensor.Dispose();
        _singleObservation.Dispose();
        foreach (var net in new[] { _actorNet, _actorNextNet, _actorEnvNet }.Concat(_criticNets).Concat(_targetNets)) net.Dispose();
        foreach (var layer in _layers) layer.Dispose();
        foreach (var t in new[] { _criticInput, _targetInput, _policyCriticInput, _noise, _nextNoise, _envNoise }) t.Dispose();
        _team.Dispose();
    }

    /// <summary>log α as a module, so it saves and loads like the networks.</summary>
    private sealed class EntCoefModule : nn.Module
    {
        private readonly TorchSharp.Modules.Parameter log_ent_coef;

        public EntCoefModule(double logValue) : base("EntCoef")
        {
            log_ent_coef = nn.Parameter(full(1, logValue, ScalarType.Float32));
            RegisterComponents();
        }

        public TorchSharp.Modules.Parameter LogValue => log_ent_coef;
    }
}
