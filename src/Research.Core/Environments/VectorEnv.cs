namespace Research.Core.Environments;

/// <summary>When a finished sub-environment of a <see cref="VectorEnv"/> starts its next episode.</summary>
public enum AutoresetMode
{
    /// <summary>
    /// Gymnasium 1.x's default: the step that ends an episode returns its last observation; the next step resets that
    /// copy (ignoring its action) and returns the first observation with reward 0, not terminated, not truncated.
    /// </summary>
    NextStep,

    /// <summary>
    /// Stable-Baselines3's (and Gymnasium's SAME_STEP): the step that ends an episode resets at once and returns the
    /// new episode's first observation; the last observation is kept in <see cref="VectorEnv.FinalObservations"/>.
    /// </summary>
    SameStep,
}

/// <summary>
/// N copies of an environment stepped together into preallocated batched arrays (Gymnasium's vector env), so agents
/// collect rollouts without allocating: <see cref="Observations"/> (N × obs), <see cref="Rewards"/>,
/// <see cref="Terminated"/>, <see cref="Truncated"/>. Episode returns and lengths are tracked per copy (Gymnasium's
/// RecordEpisodeStatistics). With <c>threads</c> &gt; 1 contiguous slices of copies step on that many threads (the
/// caller's included); each copy is only ever touched by one thread per call.
/// </summary>
public sealed class VectorEnv : IDisposable
{
    private readonly IEnv[] _envs;
    private readonly bool[] _needsReset;
    private readonly double[] _runningReturn;
    private readonly int[] _runningLength;
    private readonly int _threads;
    private readonly Thread[] _workers;
    private readonly Barrier? _barrier;
    private float[] _actions = [];
    private volatile bool _stopping;
    private Exception? _failure;

    /// <summary>Vectorises <paramref name="envs"/> (same observation and action spaces).</summary>
    public VectorEnv(IReadOnlyList<IEnv> envs, AutoresetMode mode = AutoresetMode.NextStep, int threads = 1)
    {
        if (envs.Count == 0) throw new ArgumentException("A vector env needs at least one environment.", nameof(envs));
        if (threads < 1) throw new ArgumentOutOfRangeException(nameof(threads), threads, "threads must be ≥ 1.");
        _envs = [.. envs];
        SingleObservationSpace = _envs[0].ObservationSpace;
        SingleActionSpace = _envs[0].ActionSpace;
        for (int i = 1; i < _envs.Length; i++)
        {
            if (_envs[i].ObservationSpace.FlatSize != SingleObservationSpace.FlatSize || _envs[i].ActionSpace.FlatSize != SingleActionSpace.FlatSize)
            {
                throw new ArgumentException($"Environment {i} has other spaces than environment 0.", nameof(envs));
            }
        }

        Mode = mode;
        int n = _envs.Length;
        ObservationSize = SingleObservationSpace.FlatSize;
        ActionSize = SingleActionSpace.FlatSize;
        Observations = new float[n * ObservationSize];
        FinalObservations = mode == AutoresetMode.SameStep ? new float[n * ObservationSize] : [];
        Rewards = new float[n];
        Terminated = new bool[n];
        Truncated = new bool[n];
        EpisodeEnded = new bool[n];
        EpisodeReturns = new double[n];
        EpisodeLengths = new int[n];
        _needsReset = new bool[n];
        _runningReturn = new double[n];
        _runningLength = new int[n];
        _threads = Math.Min(threads, n);
        _workers = new Thread[_threads - 1];
        if (_threads > 1)
        {
            _barrier = new Barrier(_threads);
            for (int w = 1; w < _threads; w++)
            {
                int slice = w;
                _workers[w - 1] = new Thread(() => Work(slice)) { IsBackground = true, Name = $"VectorEnv worker {w}" };
                _workers[w - 1].Start();
            }
        }
    }

    /// <summary><paramref name="count"/> copies made by <paramref name="factory"/> (called with each copy's index).</summary>
    public static VectorEnv Create(Func<int, IEnv> factory, int count, AutoresetMode mode = AutoresetMode.NextStep, int threads = 1) =>
        new(Enumerable.Range(0, count).Select(factory).ToArray(), mode, threads);

    /// <summary>Number of copies.</summary>
    public int Count => _envs.Length;

    /// <summary>The copies.</summary>
    public IReadOnlyList<IEnv> Envs => _envs;

    /// <summary>One copy's observation space.</summary>
    public Space SingleObservationSpace { get; }

    /// <summary>One copy's action space.</summary>
    public Space SingleActionSpace { get; }

    /// <summary>Autoreset rule.</summary>
    public AutoresetMode Mode { get; }

    /// <summary>Flat size of one observation.</summary>
    public int ObservationSize { get; }

    /// <summary>Flat size of one action.</summary>
    public int ActionSize { get; }

    /// <summary>Current observations, N × obs.</summary>
    public float[] Observations { get; }

    /// <summary><see cref="AutoresetMode.SameStep"/>: the last observation of each copy whose episode just ended (row valid where <see cref="EpisodeEnded"/>).</summary>
    public float[] FinalObservations { get; }

    /// <summary>Rewards of the last step.</summary>
    public float[] Rewards { get; }

    /// <summary>Terminated flags of the last step.</summary>
    public bool[] Terminated { get; }

    /// <summary>Truncated flags of the last step.</summary>
    public bool[] Truncated { get; }

    /// <summary>Copies whose episode ended in the last step (their return and length are in <see cref="EpisodeReturns"/> and <see cref="EpisodeLengths"/>).</summary>
    public bool[] EpisodeEnded { get; }

    /// <summary>Undiscounted return of each copy's last finished episode.</summary>
    public double[] EpisodeReturns { get; }

    /// <summary>Length of each copy's last finished episode.</summary>
    public int[] EpisodeLengths { get; }

    /// <summary>Resets every copy (copy i with seed + i when a seed is given) and writes the first observations.</summary>
    public void Reset(int? seed = null)
    {
        for (int i = 0; i < _envs.Length; i++)
        {
            _envs[i].Reset(seed + i, Row(Observations, i));
            _needsReset[i] = false;
            _runningReturn[i] = 0;
            _runningLength[i] = 0;
            Rewards[i] = 0;
            Terminated[i] = Truncated[i] = EpisodeEnded[i] = false;
        }
    }

    /// <summary>Steps every copy with its row of <paramref name="actions"/> (N × action).</summary>
    public void Step(ReadOnlySpan<float> actions)
    {
        if (actions.Length != _envs.Length * ActionSize) throw new ArgumentException($"actions has {actions.Length} values; expected {_envs.Length} × {ActionSize}.", nameof(actions));
        if (_threads == 1)
        {
            for (int i = 0; i < _envs.Length; i++) StepOne(i, actions.Slice(i * ActionSize, ActionSize));
            return;
        }

        if (_actions.Length != actions.Length) _actions = new float[actions.Length];
        actions.CopyTo(_actions);
        _failure = null;
        _barrier!.SignalAndWait();
        StepSlice(0);
        _barrier.SignalAndWait();
        if (_failure is { } e) throw new InvalidOperationException("A vector env copy failed to step.", e);
    }

    /// <summary>Stops the worker threads.</summary>
    public void Dispose()
    {
        if (_barrier is null || _stopping) return;
        _stopping = true;
        _barrier.SignalAndWait();
        foreach (var w in _workers) w.Join();
        _barrier.Dispose();
    }

    private void Work(int slice)
    {
        while (true)
        {
            _barrier!.SignalAndWait();
            if (_stopping) return;
            try
            {
                StepSlice(slice);
            }
            catch (Exception e)
            {
                _failure = e;
            }

            _barrier.SignalAndWait();
        }
    }

    private void StepSlice(int slice)
    {
        int n = _envs.Length, from = slice * n / _threads, to = (slice + 1) * n / _threads;
        for (int i = from; i < to; i++) StepOne(i, _actions.AsSpan(i * ActionSize, ActionSize));
    }

    private void StepOne(int i, ReadOnlySpan<float> action)
    {
        var obs = Row(Observations, i);
        EpisodeEnded[i] = false;
        if (_needsReset[i])
        {
            _envs[i].Reset(null, obs);
            _needsReset[i] = false;
            Rewards[i] = 0;
            Terminated[i] = Truncated[i] = false;
            return;
        }

        var r = _envs[i].Step(action, obs);
        Rewards[i] = (float)r.Reward;
        Terminated[i] = r.Terminated;
        Truncated[i] = r.Truncated;
        _runningReturn[i] += r.Reward;
        _runningLength[i]++;
        if (!r.Done) return;
        EpisodeEnded[i] = true;
        EpisodeReturns[i] = _runningReturn[i];
        EpisodeLengths[i] = _runningLength[i];
        _runningReturn[i] = 0;
        _runningLength[i] = 0;
        if (Mode == AutoresetMode.NextStep)
        {
            _needsReset[i] = true;
            return;
        }

        obs.CopyTo(Row(FinalObservations, i));
        _envs[i].Reset(null, obs);
    }

    private Span<float> Row(float[] a, int i) => a.AsSpan(i * ObservationSize, ObservationSize);
}
