using Research.Core.Agents.Buffers;
using Research.Core.Agents.Policies;
using Research.Core.Environments;
using TorchSharp;
using static TorchSharp.torch;

namespace Research.Core.Agents.Algorithms;

/// <summary>
/// Twin Delayed DDPG (Fujimoto et al. 2018) as Stable-Baselines3 implements it, for Box actions: a deterministic tanh
/// actor explored with Gaussian noise, twin critics regressing on r + γ (1 − done) min_k Q̄_k(s′, clip(μ̄(s′) + clip(ε, ±c), ±1))
/// (target policy smoothing), and, every <c>PolicyDelay</c> critic updates, an actor step on −Q_1(s, μ(s)) followed by
/// Polyak updates of both target networks. With <see cref="Td3Config.Ddpg"/> it is DDPG (see <see cref="Ddpg"/>).
/// </summary>
public class Td3 : Agent<Td3Config>
{
    /// <summary>The algorithm's name in <c>config.json</c>.</summary>
    public const string Name = "TD3";

    private const string ActorFile = "actor.bin";
    private const string ActorTargetFile = "actor_target.bin";
    private const string CriticFile = "critic.bin";
    private const string CriticTargetFile = "critic_target.bin";
    private readonly DeterministicActor _actor;
    private readonly DeterministicActor _actorTarget;
    private readonly ContinuousCritic _critic;
    private readonly ContinuousCritic _criticTarget;
    private readonly TorchSharp.Modules.Parameter[] _criticParameters;
    private readonly FlatParameters _actorTargetFlat;
    private readonly FlatParameters _criticTargetFlat;
    private readonly AdamOptimizer _actorOptimizer;
    private readonly AdamOptimizer _criticOptimizer;
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
    public Td3(Func<int, IEnv> makeEnv, Td3Config? config = null) : this(Name, config ?? new Td3Config(), makeEnv, null, null)
    {
    }

    /// <summary>Builds the networks (for TD3 and DDPG).</summary>
    private protected Td3(string algorithm, Td3Config config, Func<int, IEnv>? makeEnv, Space? observationSpace, Space? actionSpace)
        : base(algorithm, config, makeEnv, observationSpace, actionSpace)
    {
        if (ActionSpace is not BoxSpace { IsBounded: true }) throw new ArgumentException($"{algorithm} needs a bounded Box action space, not {ActionSpace}.", nameof(makeEnv));
        _actor = new DeterministicActor(ObservationSize, ActionSize, config.NetArch, config.Activation);
        _actorTarget = new DeterministicActor(ObservationSize, ActionSize, config.NetArch, config.Activation);
        _critic = new ContinuousCritic(ObservationSize, ActionSize, config.NetArch, config.Activation, config.Critics);
        _criticTarget = new ContinuousCritic(ObservationSize, ActionSize, config.NetArch, config.Activation, config.Critics);
        TorchSupport.SoftUpdate(_actorTarget, _actor, 1.0);
        TorchSupport.SoftUpdate(_criticTarget, _critic, 1.0);
        foreach (var p in _actorTarget.parameters().Concat(_criticTarget.parameters())) p.requires_grad = false;
        _criticParameters = [.. _critic.parameters()];
        _actorTargetFlat = new FlatParameters(_actorTarget.parameters(), gradients: false);
        _criticTargetFlat = new FlatParameters(_criticTarget.parameters(), gradients: false);
        double lr = config.LearningRate.Initial;
        _actorOptimizer = new AdamOptimizer(_actor.parameters(), lr);
        _criticOptimizer = new AdamOptimizer(_criticParameters, lr);
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
    public DeterministicActor Actor => _actor;

    /// <summary>Loads an agent saved by <see cref="Agent{TConfig}.Save"/>; with <paramref name="makeEnv"/> it can keep learning (empty buffer, new optimisers).</summary>
    public static Td3 Load(string folder, Func<int, IEnv>? makeEnv = null)
    {
        var (manifest, config) = AgentStore.ReadManifest<Td3Config>(folder, Name);
        var agent = new Td3(Name, config, makeEnv, manifest.ObservationSpace.ToSpace(), manifest.ActionSpace.ToSpace());
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
                    NoisyActions();
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

    /// <summary>μ(s) plus Gaussian exploration noise, clipped to [−1, 1], for every copy.</summary>
    private void NoisyActions()
    {
        using (var noGrad = no_grad())
        using (var scope = NewDisposeScope())
        {
            NormalizeObservations(_lastObservations, _normalized);
            TorchSupport.CopyInto(_normalized, _observationTensor);
            TorchSupport.Floats(_actor.call(_observationTensor).contiguous()).CopyTo(_actions);
        }

        if (Config.ActionNoise <= 0) return;
        for (int i = 0; i < _actions.Length; i++) _actions[i] = Math.Clamp(_actions[i] + (float)(Config.ActionNoise * Gaussian()), -1f, 1f);
    }

    private double Gaussian()
    {
        double u1 = 1.0 - Random.NextDouble(), u2 = Random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }

    /// <summary><paramref name="gradientSteps"/> critic updates, with delayed actor and target updates.</summary>
    private void Update(int gradientSteps, TrainingMonitor monitor)
    {
        double lr = Config.LearningRate.Value(monitor.ProgressRemaining);
        _actorOptimizer.LearningRate = _criticOptimizer.LearningRate = lr;
        for (int g = 0; g < gradientSteps; g++)
        {
            _updates++;
            _batch.Fill(_replay, Random, Normalizer);
            using var scope = NewDisposeScope();

            // Critics: TD target with target policy smoothing.
            Tensor target;
            using (no_grad())
            {
                var nextActions = _actorTarget.call(_batch.NextObservations);
                if (Config.TargetPolicyNoise > 0)
                {
                    var noise = (randn_like(nextActions) * Config.TargetPolicyNoise).clamp(-Config.TargetNoiseClip, Config.TargetNoiseClip);
                    nextActions = (nextActions + noise).clamp(-1, 1);
                }

                var nextQ = _criticTarget.call(_batch.NextObservations, nextActions).min(0).values;
                target = _batch.Rewards + (1 - _batch.Dones) * Config.Gamma * nextQ;
            }

            var currentQ = _critic.call(_batch.Observations, _batch.Actions);
            var criticLoss = (currentQ - target).square().mean([1]).sum();
            _criticOptimizer.ZeroGrad();
            criticLoss.backward();
            _criticOptimizer.Step();
            monitor.GradientSteps++;
            if (g == gradientSteps - 1) monitor.Metrics["critic_loss"] = criticLoss.item<float>();

            // Delayed actor update on the first critic, then the targets.
            if (_updates % Config.PolicyDelay != 0) continue;
            SetCriticGrad(false);
            var actorLoss = -_critic.First(_batch.Observations, _actor.call(_batch.Observations)).mean();
            _actorOptimizer.ZeroGrad();
            actorLoss.backward();
            _actorOptimizer.Step();
            SetCriticGrad(true);
            _criticTargetFlat.SoftUpdateFrom(_criticOptimizer.Flat, Config.Tau);
            _actorTargetFlat.SoftUpdateFrom(_actorOptimizer.Flat, Config.Tau);
            if (g >= gradientSteps - Config.PolicyDelay) monitor.Metrics["actor_loss"] = actorLoss.item<float>();
        }

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
        _actorTarget.save(Path.Combine(folder, ActorTargetFile));
        _critic.save(Path.Combine(folder, CriticFile));
        _criticTarget.save(Path.Combine(folder, CriticTargetFile));
    }

    /// <inheritdoc />
    protected override void LoadNetworks(string folder)
    {
        _actor.load(Path.Combine(folder, ActorFile));
        _actorTarget.load(Path.Combine(folder, ActorTargetFile));
        _critic.load(Path.Combine(folder, CriticFile));
        _criticTarget.load(Path.Combine(folder, CriticTargetFile));
    }

    /// <inheritdoc />
    protected override void DisposeNetworks()
    {
        _actorOptimizer.Dispose();
        _criticOptimizer.Dispose();
        _actor.Dispose();
        _actorTarget.Dispose();
        _critic.Dispose();
        _criticTarget.Dispose();
        _actorTargetFlat.Dispose();
        _criticTargetFlat.Dispose();
        _batch.Dispose();
        _observationTensor.Dispose();
        _singleObservation.Dispose();
    }
}
