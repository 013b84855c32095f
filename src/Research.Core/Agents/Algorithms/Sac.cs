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
    private readonly TorchSharp.Modules.Parameter[] _criticParameters;
    private readonly FlatParameters _criticTargetFlat;
    private readonly EntCoefModule _entCoef;
    private readonly AdamOptimizer _actorOptimizer;
    private readonly AdamOptimizer _criticOptimizer;
    private readonly AdamOptimizer? _entCoefOptimizer;
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
        _criticParameters = [.. _critic.parameters()];
        _criticTargetFlat = new FlatParameters(_criticTarget.parameters(), gradients: false);
        _entCoef = new EntCoefModule(Math.Log(config.EntCoef ?? config.EntCoefInit));
        _targetEntropy = config.TargetEntropy ?? -ActionSize;
        double lr = config.LearningRate.Initial;
        _actorOptimizer = new AdamOptimizer(_actor.parameters(), lr);
        _criticOptimizer = new AdamOptimizer(_criticParameters, lr);
        if (config.EntCoef is null) _entCoefOptimizer = new AdamOptimizer(_entCoef.parameters(), lr);
        _replay = new ReplayBuffer(config.BufferSize, ObservationSize, ActionSize);
        _batch = new ReplayBatch(config.BatchSize, ObservationSize, ActionSize);
        int n = config.NumEnvs;
        _lastObservations = new float[n * ObservationSize];
        _normalized = new float[n * ObservationSize];
        _actions = new float[n * ActionSize];
        _envActions = new float[n * ActionSize];
        _rewards = new float[n];
        _observationTensor = zeros(n, ObservationSize);
        _singleObservation = zeros(1, ObservationSize);
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
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        NormalizeObservations(_lastObservations, _normalized);
        TorchSupport.CopyInto(_normalized, _observationTensor);
        var (actions, _) = _actor.Sample(_observationTensor);
        TorchSupport.Floats(actions.contiguous()).CopyTo(_actions);
    }

    /// <summary><paramref name="gradientSteps"/> updates of α, the critics and the actor (internal for the benchmarks).</summary>
    internal void Update(int gradientSteps, TrainingMonitor monitor)
    {
        double lr = Config.LearningRate.Value(monitor.ProgressRemaining);
        _actorOptimizer.LearningRate = _criticOptimizer.LearningRate = lr;
        if (_entCoefOptimizer is not null) _entCoefOptimizer.LearningRate = lr;
        double actorLossSum = 0, criticLossSum = 0, alphaSum = 0;
        for (int g = 0; g < gradientSteps; g++)
        {
            _batch.Fill(_replay, Random, Normalizer);
            using var scope = NewDisposeScope();

            // The policy's actions for the batch, kept for α's loss and the actor's loss.
            var (piActions, logProbs) = _actor.Sample(_batch.Observations);

            // Entropy coefficient.
            Tensor alpha;
            if (_entCoefOptimizer is not null)
            {
                alpha = _entCoef.LogValue.detach().exp();
                var alphaLoss = -(_entCoef.LogValue * (logProbs + _targetEntropy).detach()).mean();
                _entCoefOptimizer.ZeroGrad();
                alphaLoss.backward();
                _entCoefOptimizer.Step();
            }
            else
            {
                alpha = _entCoef.LogValue.detach().exp();
            }

            // Critics: soft TD target from the target critics and a fresh next action.
            Tensor target;
            using (no_grad())
            {
                var (nextActions, nextLogProbs) = _actor.Sample(_batch.NextObservations);
                var nextQ = _criticTarget.call(_batch.NextObservations, nextActions).min(0).values - alpha * nextLogProbs;
                target = _batch.Rewards + (1 - _batch.Dones) * Config.Gamma * nextQ;
            }

            var currentQ = _critic.call(_batch.Observations, _batch.Actions);
            var criticLoss = 0.5 * (currentQ - target).square().mean([1]).sum();
            _criticOptimizer.ZeroGrad();
            criticLoss.backward();
            _criticOptimizer.Step();

            // Actor: the critics are held fixed (no gradients into them).
            SetCriticGrad(false);
            var minQ = _critic.call(_batch.Observations, piActions).min(0).values;
            var actorLoss = (alpha * logProbs - minQ).mean();
            _actorOptimizer.ZeroGrad();
            actorLoss.backward();
            _actorOptimizer.Step();
            SetCriticGrad(true);

            if (++_updates % Config.TargetUpdateInterval == 0) _criticTargetFlat.SoftUpdateFrom(_criticOptimizer.Flat, Config.Tau);
            monitor.GradientSteps++;
            if (g == gradientSteps - 1)
            {
                actorLossSum = actorLoss.item<float>();
                criticLossSum = criticLoss.item<float>();
                alphaSum = alpha.item<float>();
            }
        }

        monitor.Metrics["actor_loss"] = actorLossSum;
        monitor.Metrics["critic_loss"] = criticLossSum;
        monitor.Metrics["ent_coef"] = alphaSum;
        monitor.Metrics["learning_rate"] = lr;
    }

    private void SetCriticGrad(bool on)
    {
        foreach (var p in _criticParameters) p.requires_grad = on;
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
