using Research.Core.Agents.Normalization;
using Research.Core.Environments;
using TorchSharp;

namespace Research.Core.Agents;

/// <summary>
/// What the algorithms share around their own training loop: the seeded generators, the vectorised environments
/// (<see cref="AutoresetMode.SameStep"/>, as Stable-Baselines3 steps them), observation/reward normalisation, the
/// progress monitor, action mapping and the saved folder's manifest. Each algorithm's file holds the rest, top to bottom.
/// </summary>
/// <typeparam name="TConfig">The algorithm's hyperparameters.</typeparam>
public abstract class Agent<TConfig> : IAgent where TConfig : AgentConfig
{
    private readonly float[] _predictObservation;
    private bool _envsStarted;
    private bool _disposed;

    /// <summary>Validates the config, seeds torch, makes the environments (when <paramref name="makeEnv"/> is given) and the normaliser.</summary>
    /// <param name="algorithm">The algorithm's name.</param>
    /// <param name="config">Hyperparameters.</param>
    /// <param name="makeEnv">Makes environment copy i; null for an agent that only predicts (a loaded one).</param>
    /// <param name="observationSpace">Observation space (read from the environments when they are given).</param>
    /// <param name="actionSpace">Action space (read from the environments when they are given).</param>
    private protected Agent(string algorithm, TConfig config, Func<int, IEnv>? makeEnv, Space? observationSpace, Space? actionSpace)
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        Algorithm = algorithm;
        Config = config;
        if (makeEnv is not null)
        {
            Envs = VectorEnv.Create(makeEnv, config.NumEnvs, AutoresetMode.SameStep, config.EnvThreads);
            observationSpace = Envs.SingleObservationSpace;
            actionSpace = Envs.SingleActionSpace;
        }

        ObservationSpace = observationSpace ?? throw new ArgumentException("Give either environments or the spaces.", nameof(observationSpace));
        ActionSpace = actionSpace ?? throw new ArgumentException("Give either environments or the spaces.", nameof(actionSpace));
        ObservationSize = ObservationSpace.FlatSize;
        ActionSize = ActionSpace.FlatSize;
        if (config.Normalize is { } n) Normalizer = new VecNormalizer(n, ObservationSize, config.NumEnvs, config.Gamma);
        Random = new Random(config.Seed);
        torch.manual_seed(config.Seed);
        _predictObservation = new float[ObservationSize];
    }

    /// <inheritdoc />
    public string Algorithm { get; }

    /// <summary>The hyperparameters.</summary>
    public TConfig Config { get; }

    AgentConfig IAgent.Config => Config;

    /// <inheritdoc />
    public Space ObservationSpace { get; }

    /// <inheritdoc />
    public Space ActionSpace { get; }

    /// <inheritdoc />
    public long StepsDone { get; private protected set; }

    /// <summary>The training environments (null for an agent loaded without them).</summary>
    public VectorEnv? Envs { get; }

    /// <summary>The normaliser (null when the config normalises nothing).</summary>
    public VecNormalizer? Normalizer { get; }

    /// <summary>Flat observation length.</summary>
    protected int ObservationSize { get; }

    /// <summary>Floats per action (1 for a discrete action).</summary>
    protected int ActionSize { get; }

    /// <summary>The agent's generator (minibatch order, replay sampling, exploration), seeded with the config's seed.</summary>
    protected Random Random { get; }

    /// <inheritdoc />
    public void Learn(long totalSteps, Action<AgentProgress>? callback = null)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentOutOfRangeException.ThrowIfLessThan(totalSteps, 1);
        var envs = Envs ?? throw new InvalidOperationException($"This {Algorithm} agent has no environments (it was loaded without them); load it with an environment factory to train.");
        using var threads = TorchSupport.Threads(Config.Threads);
        if (!_envsStarted)
        {
            envs.Reset(Config.Seed);
            Normalizer?.Observe(envs.Observations, envs.Count);
            _envsStarted = true;
        }

        if (Normalizer is not null) Normalizer.Training = true;
        var monitor = new TrainingMonitor(totalSteps, Config.ProgressInterval, Config.EpisodeWindow, callback);
        Train(envs, monitor);
        StepsDone += monitor.Steps;
        monitor.Finish();
    }

    /// <inheritdoc />
    public void Predict(ReadOnlySpan<float> observation, Span<float> action)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (observation.Length != ObservationSize) throw new ArgumentException($"observation has {observation.Length} values; the observation space has {ObservationSize}.", nameof(observation));
        if (action.Length != ActionSize) throw new ArgumentException($"action has room for {action.Length} values; the action space has {ActionSize}.", nameof(action));
        NormalizeObservations(observation, _predictObservation);
        PredictNormalized(_predictObservation, action);
    }

    /// <inheritdoc />
    public void Save(string folder, string? runId = null)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        AgentStore.CheckRunId(runId);
        AgentStore.WriteManifest(folder, new AgentManifest(Algorithm, 1, Config, SpaceSpec.From(ObservationSpace), SpaceSpec.From(ActionSpace), StepsDone));
        SaveNetworks(folder);
        Normalizer?.Save(Path.Combine(folder, AgentStore.NormalizationFile));
        AgentStore.WriteModelFile(folder, this, runId);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        Envs?.Dispose();
        DisposeNetworks();
        GC.SuppressFinalize(this);
    }

    /// <summary>The algorithm's training loop for <paramref name="monitor"/>'s steps on started environments.</summary>
    private protected abstract void Train(VectorEnv envs, TrainingMonitor monitor);

    /// <summary>The deterministic action for one normalised observation, in the environment's units.</summary>
    protected abstract void PredictNormalized(ReadOnlySpan<float> observation, Span<float> action);

    /// <summary>Writes the networks' weights into <paramref name="folder"/>.</summary>
    protected abstract void SaveNetworks(string folder);

    /// <summary>Reads the networks' weights from <paramref name="folder"/>.</summary>
    protected abstract void LoadNetworks(string folder);

    /// <summary>Frees the networks and optimisers.</summary>
    protected abstract void DisposeNetworks();

    /// <summary>Restores a saved folder's weights, statistics and step count into this freshly built agent.</summary>
    private protected void LoadSaved(string folder, AgentManifest manifest)
    {
        LoadNetworks(folder);
        string stats = Path.Combine(folder, AgentStore.NormalizationFile);
        if (Normalizer is not null) Normalizer.Load(stats);
        StepsDone = manifest.StepsDone;
    }

    /// <summary>Normalises raw observations (any number of rows) with the current statistics (a copy when not normalising).</summary>
    protected void NormalizeObservations(ReadOnlySpan<float> raw, Span<float> normalized)
    {
        if (Normalizer is null) raw.CopyTo(normalized);
        else Normalizer.NormalizeObservations(raw, normalized);
    }

    /// <summary>
    /// After a vector step: records finished episodes, updates the observation statistics with the new observations,
    /// copies the rewards into <paramref name="rewards"/> and scales them when normalising rewards.
    /// </summary>
    private protected void AfterStep(VectorEnv envs, TrainingMonitor monitor, Span<float> rewards)
    {
        monitor.RecordEpisodes(envs);
        envs.Rewards.CopyTo(rewards);
        if (Normalizer is null) return;
        Normalizer.Observe(envs.Observations, envs.Count);
        Normalizer.NormalizeRewards(rewards, envs.Terminated, envs.Truncated);
    }

    /// <summary>
    /// Stores every copy's transition of the last step in <paramref name="replay"/>: the raw observation the action was
    /// chosen on, the action as the policy gave it, the raw reward, the next raw observation (the episode's last one
    /// when it ended; the copy has already been reset) and whether the episode terminated (truncation still bootstraps).
    /// </summary>
    private protected void StoreTransitions(VectorEnv envs, Buffers.ReplayBuffer replay, float[] lastObservations, float[] actions)
    {
        for (int i = 0; i < envs.Count; i++)
        {
            bool ended = envs.Terminated[i] || envs.Truncated[i];
            var next = (ended ? envs.FinalObservations : envs.Observations).AsSpan(i * ObservationSize, ObservationSize);
            replay.Add(lastObservations.AsSpan(i * ObservationSize, ObservationSize), actions.AsSpan(i * ActionSize, ActionSize), envs.Rewards[i], next, envs.Terminated[i]);
        }
    }

    /// <summary>
    /// Writes the environment's action for the policy's raw action: a discrete index shifted by the space's start; a
    /// Box action clipped to the bounds, or, when <paramref name="squashed"/>, mapped from [−1, 1] onto the bounds first.
    /// </summary>
    protected void ToEnvAction(ReadOnlySpan<float> policyAction, Span<float> envAction, bool squashed = false)
    {
        switch (ActionSpace)
        {
            case DiscreteSpace d:
                for (int i = 0; i < policyAction.Length; i++) envAction[i] = policyAction[i] + d.Start;
                break;
            case BoxSpace b:
                int size = b.FlatSize;
                for (int i = 0; i < policyAction.Length; i++)
                {
                    int j = i % size;
                    float a = policyAction[i];
                    if (squashed) a = b.Low[j] + 0.5f * (Math.Clamp(a, -1f, 1f) + 1f) * (b.High[j] - b.Low[j]);
                    envAction[i] = Math.Clamp(a, b.Low[j], b.High[j]);
                }

                break;
        }
    }
}
