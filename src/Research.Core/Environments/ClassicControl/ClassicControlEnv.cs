namespace Research.Core.Environments.ClassicControl;

/// <summary>
/// What the four classic-control environments share: the state kept in float64 as Gymnasium keeps it, the episode's
/// bookkeeping of <c>gymnasium.make</c>'s wrappers (a step before the first reset or after the end is an error, as
/// <c>OrderEnforcing</c> makes it for the first; the step that reaches <see cref="MaxEpisodeSteps"/> is truncated, as
/// <c>TimeLimit</c> does), and the random generator of <see cref="IEnv.Reset"/>.
/// </summary>
/// <remarks>
/// Reset draws the initial state from Gymnasium's distribution with a <see cref="Random"/> seeded by the reset seed, not
/// with NumPy's PCG64: the same seed gives the same episode here, but not the episode Gymnasium gives for that seed. To
/// start from Gymnasium's state, pass it to <see cref="SetState"/>. <see cref="Step"/> allocates nothing.
/// </remarks>
public abstract class ClassicControlEnv : IStatefulEnv
{
    private readonly double[] _state;
    private Random _random = new();
    private int _elapsedSteps;
    private bool _running;

    /// <summary>Sets the id, spaces, state length and time limit.</summary>
    /// <param name="id">Gymnasium id.</param>
    /// <param name="observationSpace">Observations' space.</param>
    /// <param name="actionSpace">Actions' space.</param>
    /// <param name="stateSize">Number of values in Gymnasium's <c>env.unwrapped.state</c>.</param>
    /// <param name="maxEpisodeSteps">The time limit (Gymnasium's <c>max_episode_steps</c>); ≥ 1.</param>
    private protected ClassicControlEnv(string id, Space observationSpace, Space actionSpace, int stateSize, int maxEpisodeSteps)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxEpisodeSteps, 1);
        Id = id;
        ObservationSpace = observationSpace;
        ActionSpace = actionSpace;
        MaxEpisodeSteps = maxEpisodeSteps;
        _state = new double[stateSize];
    }

    /// <inheritdoc />
    public string Id { get; }

    /// <inheritdoc />
    public Space ObservationSpace { get; }

    /// <inheritdoc />
    public Space ActionSpace { get; }

    /// <summary>The time limit: the step that reaches it returns truncated (Gymnasium's <c>max_episode_steps</c>).</summary>
    public int MaxEpisodeSteps { get; }

    /// <summary>Steps taken since the last <see cref="Reset"/> or <see cref="SetState"/>.</summary>
    public int ElapsedSteps => _elapsedSteps;

    /// <summary>True between a reset (or <see cref="SetState"/>) and the step that ends the episode.</summary>
    public bool IsRunning => _running;

    /// <inheritdoc />
    public ReadOnlySpan<double> State => _state;

    /// <inheritdoc />
    /// <remarks>The initial state comes from <see cref="Random"/> (seeded with <paramref name="seed"/>), not NumPy's PCG64.</remarks>
    public void Reset(int? seed, Span<float> observation)
    {
        CheckObservationBuffer(observation);
        if (seed is int s) _random = new Random(s);
        SampleInitialState(_random, _state);
        _elapsedSteps = 0;
        _running = true;
        WriteObservation(_state, observation);
    }

    /// <inheritdoc />
    public void SetState(ReadOnlySpan<double> state, Span<float> observation)
    {
        if (state.Length != _state.Length) throw new ArgumentException($"{Id}'s state has {_state.Length} values; got {state.Length}.", nameof(state));
        for (int i = 0; i < state.Length; i++)
        {
            if (!double.IsFinite(state[i])) throw new ArgumentException($"state[{i}] is {state[i]}; a state must be finite.", nameof(state));
        }

        CheckObservationBuffer(observation);
        state.CopyTo(_state);
        _elapsedSteps = 0;
        _running = true;
        WriteObservation(_state, observation);
    }

    /// <inheritdoc />
    /// <exception cref="InvalidOperationException">No episode is running: Reset was never called or the episode ended.</exception>
    /// <exception cref="ArgumentException">The action or the observation buffer is malformed; the state is unchanged.</exception>
    public StepOutcome Step(ReadOnlySpan<float> action, Span<float> observation)
    {
        if (!_running)
        {
            throw new InvalidOperationException(_elapsedSteps == 0
                ? $"{Id}: call Reset (or SetState) before Step."
                : $"{Id}: the episode ended after {_elapsedSteps} steps; call Reset before stepping again.");
        }

        CheckObservationBuffer(observation);
        double reward = Transition(action, _state, out bool terminated);
        _elapsedSteps++;
        bool truncated = _elapsedSteps >= MaxEpisodeSteps;
        if (terminated || truncated) _running = false;
        WriteObservation(_state, observation);
        return new StepOutcome(reward, terminated, truncated);
    }

    /// <inheritdoc />
    /// <remarks>Gymnasium's classic-control environments (and its <c>TimeLimit</c>) return an empty info.</remarks>
    public IReadOnlyDictionary<string, object> Info() => new Dictionary<string, object>();

    /// <summary>Writes Gymnasium's initial-state draw into <paramref name="state"/>.</summary>
    private protected abstract void SampleInitialState(Random random, Span<double> state);

    /// <summary>
    /// Checks <paramref name="action"/> (throwing before any change), advances <paramref name="state"/> one step as
    /// Gymnasium's <c>step</c> does and returns its reward.
    /// </summary>
    private protected abstract double Transition(ReadOnlySpan<float> action, Span<double> state, out bool terminated);

    /// <summary>Writes the observation of <paramref name="state"/> (float32, as Gymnasium returns it).</summary>
    private protected abstract void WriteObservation(ReadOnlySpan<double> state, Span<float> observation);

    /// <summary>Uniform draw on [low, high) computed as NumPy's <c>uniform</c> computes it: low + (high − low)·u.</summary>
    private protected static double Uniform(Random random, double low, double high) => low + (high - low) * random.NextDouble();

    private void CheckObservationBuffer(Span<float> observation)
    {
        int size = ObservationSpace.FlatSize;
        if (observation.Length != size) throw new ArgumentException($"The observation buffer has {observation.Length} floats; {Id}'s observations have {size}.", nameof(observation));
    }
}
