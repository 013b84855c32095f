using Research.Core.Agents.Buffers;
using Research.Core.Agents.Policies;
using Research.Core.Environments;
using TorchSharp;
using static TorchSharp.torch;

namespace Research.Core.Agents.Algorithms;

/// <summary>
/// What PPO and A2C share (Stable-Baselines3's <c>OnPolicyAlgorithm</c>): the actor-critic policy, the rollout buffer,
/// and the collection of <c>NSteps</c> steps per copy with the stochastic policy, where a truncated episode's reward gets
/// γ V(last observation) added, followed by GAE-λ. Subclasses implement the update.
/// </summary>
/// <typeparam name="TConfig">The algorithm's hyperparameters.</typeparam>
public abstract class OnPolicyAgent<TConfig> : Agent<TConfig> where TConfig : OnPolicyConfig
{
    private const string PolicyFile = "policy.bin";

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
    private bool _started;

    /// <summary>Builds the policy and the buffers (see <see cref="Agent{TConfig}"/>).</summary>
    private protected OnPolicyAgent(string algorithm, TConfig config, Func<int, IEnv>? makeEnv, Space? observationSpace, Space? actionSpace)
        : base(algorithm, config, makeEnv, observationSpace, actionSpace)
    {
        Policy = new ActorCriticPolicy(ObservationSize, ActionSpace, config.NetArch, config.Activation, config.OrthoInit, config.LogStdInit);
        Buffer = new RolloutBuffer(config.NSteps, config.NumEnvs, ObservationSize, ActionSize);
        int envs = config.NumEnvs;
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
    }

    /// <summary>The policy network.</summary>
    public ActorCriticPolicy Policy { get; }

    /// <summary>The rollout storage.</summary>
    public RolloutBuffer Buffer { get; }

    private protected override void Train(VectorEnv envs, TrainingMonitor monitor)
    {
        if (!_started) Array.Fill(_episodeStarts, true);
        _started = true;
        while (monitor.Steps < monitor.TotalSteps)
        {
            CollectRollout(envs, monitor);
            Update(monitor);
        }
    }

    /// <summary>One update from the full <see cref="Buffer"/>.</summary>
    private protected abstract void Update(TrainingMonitor monitor);

    /// <summary>Fills the rollout buffer with <c>NSteps</c> steps of every copy, then computes advantages and returns.</summary>
    private void CollectRollout(VectorEnv envs, TrainingMonitor monitor)
    {
        Policy.train(false);
        Buffer.Reset();
        using var noGrad = no_grad();
        for (int step = 0; step < Config.NSteps; step++)
        {
            using (var scope = NewDisposeScope())
            {
                NormalizeObservations(envs.Observations, _observations);
                TorchSupport.CopyInto(_observations, _observationTensor);
                var (actions, values, logProbs) = Policy.Act(_observationTensor);
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

            Buffer.Add(_observations, _actions, _rewards, _episodeStarts, _values, _logProbs);
            for (int i = 0; i < envs.Count; i++) _episodeStarts[i] = envs.Terminated[i] || envs.Truncated[i];
            monitor.AddSteps(envs.Count);
        }

        using (var scope = NewDisposeScope())
        {
            NormalizeObservations(envs.Observations, _observations);
            TorchSupport.CopyInto(_observations, _observationTensor);
            TorchSupport.Floats(Policy.Value(_observationTensor).contiguous()).CopyTo(_values);
        }

        Buffer.ComputeReturnsAndAdvantage(_values, _episodeStarts, Config.Gamma, Config.GaeLambda);
    }

    private float FinalValue(VectorEnv envs, int i)
    {
        using var scope = NewDisposeScope();
        NormalizeObservations(envs.FinalObservations.AsSpan(i * ObservationSize, ObservationSize), _finalObservation);
        TorchSupport.CopyInto(_finalObservation, _singleObservation);
        return Policy.Value(_singleObservation).item<float>();
    }

    /// <summary>1 − Var(R − V)/Var(R): how much of the returns' variance the rollout's values explain.</summary>
    protected static double ExplainedVariance(float[] predicted, float[] targets)
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
        ToEnvAction(TorchSupport.Floats(Policy.call(_singleObservation).contiguous()), action);
    }

    /// <inheritdoc />
    protected override void SaveNetworks(string folder) => Policy.save(Path.Combine(folder, PolicyFile));

    /// <inheritdoc />
    protected override void LoadNetworks(string folder) => Policy.load(Path.Combine(folder, PolicyFile));

    /// <inheritdoc />
    protected override void DisposeNetworks()
    {
        Policy.Dispose();
        _observationTensor.Dispose();
        _singleObservation.Dispose();
    }
}
