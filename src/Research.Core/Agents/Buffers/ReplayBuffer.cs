namespace Research.Core.Agents.Buffers;

/// <summary>
/// Off-policy storage for DQN, SAC, TD3 and DDPG: a ring of <see cref="Capacity"/> transitions (s, a, r, s′, done) in
/// preallocated flat arrays, overwritten oldest first, sampled uniformly with replacement into caller-owned spans (no
/// allocation). <c>done</c> is true only for terminal states: a time-limit truncation still bootstraps from s′, as
/// Stable-Baselines3's <c>handle_timeout_termination</c> does.
/// </summary>
public sealed class ReplayBuffer
{
    private readonly float[] _observations;
    private readonly float[] _nextObservations;
    private readonly float[] _actions;
    private readonly float[] _rewards;
    private readonly float[] _dones;
    private int _position;

    /// <summary>Room for <paramref name="capacity"/> transitions.</summary>
    public ReplayBuffer(int capacity, int observationSize, int actionSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        Capacity = capacity;
        ObservationSize = observationSize;
        ActionSize = actionSize;
        _observations = new float[(long)capacity * observationSize];
        _nextObservations = new float[(long)capacity * observationSize];
        _actions = new float[(long)capacity * actionSize];
        _rewards = new float[capacity];
        _dones = new float[capacity];
    }

    /// <summary>Maximum transitions held.</summary>
    public int Capacity { get; }

    /// <summary>Floats per observation.</summary>
    public int ObservationSize { get; }

    /// <summary>Floats per action.</summary>
    public int ActionSize { get; }

    /// <summary>Transitions held (≤ <see cref="Capacity"/>).</summary>
    public int Count { get; private set; }

    /// <summary>Stores one transition.</summary>
    public void Add(ReadOnlySpan<float> observation, ReadOnlySpan<float> action, float reward, ReadOnlySpan<float> nextObservation, bool terminated)
    {
        int i = _position;
        observation[..ObservationSize].CopyTo(_observations.AsSpan(i * ObservationSize, ObservationSize));
        nextObservation[..ObservationSize].CopyTo(_nextObservations.AsSpan(i * ObservationSize, ObservationSize));
        action[..ActionSize].CopyTo(_actions.AsSpan(i * ActionSize, ActionSize));
        _rewards[i] = reward;
        _dones[i] = terminated ? 1f : 0f;
        _position = (_position + 1) % Capacity;
        Count = Math.Min(Count + 1, Capacity);
    }

    /// <summary>Writes <paramref name="batchSize"/> transitions drawn uniformly (with replacement) into the spans, row after row.</summary>
    public void Sample(int batchSize, Random random, Span<float> observations, Span<float> actions, Span<float> rewards, Span<float> nextObservations, Span<float> dones)
    {
        if (Count == 0) throw new InvalidOperationException("The replay buffer is empty.");
        int o = ObservationSize, a = ActionSize;
        for (int k = 0; k < batchSize; k++)
        {
            int i = random.Next(Count);
            _observations.AsSpan(i * o, o).CopyTo(observations.Slice(k * o, o));
            _nextObservations.AsSpan(i * o, o).CopyTo(nextObservations.Slice(k * o, o));
            _actions.AsSpan(i * a, a).CopyTo(actions.Slice(k * a, a));
            rewards[k] = _rewards[i];
            dones[k] = _dones[i];
        }
    }
}
