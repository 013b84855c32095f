using Research.Core.Agents.Buffers;
using Research.Core.Agents.Policies;
using Research.Core.Environments;
using TorchSharp;
using static TorchSharp.torch;

namespace Research.Core.Agents.Algorithms;

/// <summary>
/// Deep Q-Network (Mnih et al. 2015) as Stable-Baselines3 implements it: ε-greedy collection (ε falling linearly over
/// <c>ExplorationFraction</c> of training, uniformly random actions for the first <c>LearningStarts</c> steps) into a
/// replay buffer; every <c>TrainFreq</c> vector steps, <c>GradientSteps</c> minibatch updates of the Huber loss between
/// Q(s, a) and r + γ (1 − done) max_a′ Q_target(s′, a′) (Double DQN: the online network picks a′); the target network
/// follows the online one every <c>TargetUpdateInterval</c> environment steps (τ = 1 copies). Adam, gradient clipping.
/// </summary>
public sealed class Dqn : Agent<DqnConfig>
{
    /// <summary>The algorithm's name in <c>config.json</c>.</summary>
    public const string Name = "DQN";

    private const string QFile = "q_net.bin";
    private const string TargetFile = "q_net_target.bin";
    private readonly QNetwork _q;
    private readonly QNetwork _qTarget;
    private readonly FlatParameters _qTargetFlat;
    private readonly AdamOptimizer _optimizer;
    private readonly ReplayBuffer _replay;
    private readonly ReplayBatch _batch;
    private readonly int _actions;

    private readonly float[] _lastObservations;
    private readonly float[] _normalized;
    private readonly float[] _chosen;
    private readonly float[] _envActions;
    private readonly float[] _rewards;
    private readonly Tensor _observationTensor;
    private readonly Tensor _singleObservation;
    private long _calls;

    /// <summary>A new agent on <c>config.NumEnvs</c> copies made by <paramref name="makeEnv"/> (Discrete actions only).</summary>
    public Dqn(Func<int, IEnv> makeEnv, DqnConfig? config = null) : this(config ?? new DqnConfig(), makeEnv, null, null)
    {
    }

    private Dqn(DqnConfig config, Func<int, IEnv>? makeEnv, Space? observationSpace, Space? actionSpace)
        : base(Name, config, makeEnv, observationSpace, actionSpace)
    {
        if (ActionSpace is not DiscreteSpace discrete) throw new ArgumentException($"DQN needs a Discrete action space, not {ActionSpace.GetType().Name}.", nameof(makeEnv));
        _actions = discrete.N;
        _q = new QNetwork(ObservationSize, _actions, config.NetArch, config.Activation);
        _qTarget = new QNetwork(ObservationSize, _actions, config.NetArch, config.Activation);
        TorchSupport.SoftUpdate(_qTarget, _q, 1.0);
        foreach (var p in _qTarget.parameters()) p.requires_grad = false;
        _qTarget.train(false);
        _qTargetFlat = new FlatParameters(_qTarget.parameters(), gradients: false);
        _optimizer = new AdamOptimizer(_q.parameters(), config.LearningRate.Initial);
        _replay = new ReplayBuffer(config.BufferSize, ObservationSize, 1);
        _batch = new ReplayBatch(config.BatchSize, ObservationSize, 1);
        int n = config.NumEnvs;
        _lastObservations = new float[n * ObservationSize];
        _normalized = new float[n * ObservationSize];
        _chosen = new float[n];
        _envActions = new float[n];
        _rewards = new float[n];
        _observationTensor = zeros(n, ObservationSize);
        _singleObservation = zeros(1, ObservationSize);
    }

    /// <summary>The online Q-network.</summary>
    public QNetwork QNet => _q;

    /// <summary>Loads an agent saved by <see cref="Agent{TConfig}.Save"/>; with <paramref name="makeEnv"/> it can keep learning (empty buffer, new optimiser).</summary>
    public static Dqn Load(string folder, Func<int, IEnv>? makeEnv = null)
    {
        var (manifest, config) = AgentStore.ReadManifest<DqnConfig>(folder, Name);
        var agent = new Dqn(config, makeEnv, manifest.ObservationSpace.ToSpace(), manifest.ActionSpace.ToSpace());
        agent.LoadSaved(folder, manifest);
        return agent;
    }

    /// <summary>ε for the remaining progress: linear from the initial to the final value over the first <c>ExplorationFraction</c>.</summary>
    public double ExplorationRate(double progressRemaining)
    {
        double done = 1 - progressRemaining;
        if (done > Config.ExplorationFraction) return Config.ExplorationFinalEps;
        return Config.ExplorationInitialEps + done * (Config.ExplorationFinalEps - Config.ExplorationInitialEps) / Config.ExplorationFraction;
    }

    private protected override void Train(VectorEnv envs, TrainingMonitor monitor)
    {
        int n = envs.Count;
        long targetEvery = Math.Max(Config.TargetUpdateInterval / n, 1);
        while (monitor.Steps < monitor.TotalSteps)
        {
            // Collect TrainFreq vector steps.
            for (int s = 0; s < Config.TrainFreq; s++)
            {
                double epsilon = ExplorationRate(monitor.ProgressRemaining);
                envs.Observations.CopyTo(_lastObservations, 0);
                ChooseActions(epsilon, StepsDone + monitor.Steps < Config.LearningStarts);
                ToEnvAction(_chosen, _envActions);
                envs.Step(_envActions);
                AfterStep(envs, monitor, _rewards);
                for (int i = 0; i < n; i++)
                {
                    bool ended = envs.Terminated[i] || envs.Truncated[i];
                    var next = (ended ? envs.FinalObservations : envs.Observations).AsSpan(i * ObservationSize, ObservationSize);
                    _replay.Add(_lastObservations.AsSpan(i * ObservationSize, ObservationSize), _chosen.AsSpan(i, 1), envs.Rewards[i], next, envs.Terminated[i]);
                }

                monitor.AddSteps(n);
                if (++_calls % targetEvery == 0) _qTargetFlat.SoftUpdateFrom(_optimizer.Flat, Config.Tau);
                monitor.Metrics["exploration_rate"] = epsilon;
            }

            if (StepsDone + monitor.Steps > Config.LearningStarts)
            {
                Update(Config.GradientSteps == -1 ? Config.TrainFreq * n : Config.GradientSteps, monitor);
            }
        }
    }

    /// <summary>ε-greedy actions for every copy (uniformly random while <paramref name="warmup"/>).</summary>
    private void ChooseActions(double epsilon, bool warmup)
    {
        if (!warmup)
        {
            using var noGrad = no_grad();
            using var scope = NewDisposeScope();
            NormalizeObservations(_lastObservations, _normalized);
            TorchSupport.CopyInto(_normalized, _observationTensor);
            var greedy = _q.call(_observationTensor).argmax(1).to_type(ScalarType.Float32);
            TorchSupport.Floats(greedy).CopyTo(_chosen);
        }

        for (int i = 0; i < _chosen.Length; i++)
        {
            if (warmup || Random.NextDouble() < epsilon) _chosen[i] = Random.Next(_actions);
        }
    }

    /// <summary><paramref name="gradientSteps"/> minibatch updates of the TD loss.</summary>
    private void Update(int gradientSteps, TrainingMonitor monitor)
    {
        _q.train(true);
        double lr = Config.LearningRate.Value(monitor.ProgressRemaining);
        _optimizer.LearningRate = lr;
        double lossSum = 0;
        for (int g = 0; g < gradientSteps; g++)
        {
            _batch.Fill(_replay, Random, Normalizer);
            using (var scope = NewDisposeScope())
            {
                Tensor target;
                using (no_grad())
                {
                    var nextQ = _qTarget.call(_batch.NextObservations);
                    var nextValue = Config.DoubleQ
                        ? nextQ.gather(1, _q.call(_batch.NextObservations).argmax(1, keepdim: true)).squeeze(1)
                        : nextQ.max(1).values;
                    target = _batch.Rewards + (1 - _batch.Dones) * Config.Gamma * nextValue;
                }

                var current = _q.call(_batch.Observations).gather(1, _batch.Actions.to_type(ScalarType.Int64)).squeeze(1);
                var loss = nn.functional.smooth_l1_loss(current, target);
                lossSum += loss.item<float>();
                _optimizer.ZeroGrad();
                loss.backward();
                _optimizer.ClipGradNorm(Config.MaxGradNorm);
                _optimizer.Step();
                monitor.GradientSteps++;
            }
        }

        monitor.Metrics["loss"] = lossSum / gradientSteps;
        monitor.Metrics["learning_rate"] = lr;
    }

    /// <inheritdoc />
    protected override void PredictNormalized(ReadOnlySpan<float> observation, Span<float> action)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        TorchSupport.CopyInto(observation, _singleObservation);
        long best = _q.call(_singleObservation).argmax(1).item<long>();
        ToEnvAction([best], action);
    }

    /// <inheritdoc />
    protected override void SaveNetworks(string folder)
    {
        _q.save(Path.Combine(folder, QFile));
        _qTarget.save(Path.Combine(folder, TargetFile));
    }

    /// <inheritdoc />
    protected override void LoadNetworks(string folder)
    {
        _q.load(Path.Combine(folder, QFile));
        _qTarget.load(Path.Combine(folder, TargetFile));
    }

    /// <inheritdoc />
    protected override void DisposeNetworks()
    {
        _optimizer.Dispose();
        _qTargetFlat.Dispose();
        _q.Dispose();
        _qTarget.Dispose();
        _batch.Dispose();
        _observationTensor.Dispose();
        _singleObservation.Dispose();
    }
}
