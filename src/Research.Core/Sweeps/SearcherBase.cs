namespace Research.Core.Sweeps;

/// <summary>Bookkeeping shared by the searchers: ids, the trials suggested and their results.</summary>
public abstract class SearcherBase : ISearcher
{
    private readonly Dictionary<int, Trial> _trials = [];
    private readonly Dictionary<int, TrialResult> _results = [];
    private int _nextId;

    /// <summary>Sets the space, mode and seed.</summary>
    protected SearcherBase(SearchSpace space, OptimizationMode mode, int seed)
    {
        Space = space;
        Mode = mode;
        Seed = seed;
    }

    /// <inheritdoc />
    public SearchSpace Space { get; }

    /// <inheritdoc />
    public OptimizationMode Mode { get; }

    /// <summary>The seed all randomness derives from.</summary>
    public int Seed { get; }

    /// <summary>Trials suggested or restored, by id.</summary>
    protected IReadOnlyDictionary<int, Trial> Trials => _trials;

    /// <summary>Results told, by trial id.</summary>
    protected IReadOnlyDictionary<int, TrialResult> Results => _results;

    /// <inheritdoc />
    public Trial? Suggest()
    {
        int id = _nextId;
        var parameters = Propose(id, TrialRandom(id));
        if (parameters is null) return null;
        _nextId++;
        var trial = new Trial(id, parameters);
        _trials[id] = trial;
        return trial;
    }

    /// <inheritdoc />
    public void Tell(int trialId, TrialResult result)
    {
        if (!_trials.ContainsKey(trialId)) throw new ArgumentException($"Unknown trial {trialId}.", nameof(trialId));
        _results[trialId] = result;
    }

    /// <inheritdoc />
    public virtual void Restore(Trial trial)
    {
        _trials[trial.Id] = trial;
        _nextId = Math.Max(_nextId, trial.Id + 1);
    }

    /// <summary>Parameters for trial <paramref name="id"/>, or null when exhausted.</summary>
    protected abstract Dictionary<string, object>? Propose(int id, Random rng);

    /// <summary>A generator that depends only on the seed and the trial id, so a resumed sweep draws what an
    /// uninterrupted one would have.</summary>
    protected Random TrialRandom(int id)
    {
        ulong z = unchecked((ulong)(uint)Seed * 0x9E3779B97F4A7C15UL + (ulong)(uint)id + 0x632BE59BD9B4E019UL);
        z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
        z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
        z ^= z >> 31;
        return new Random(unchecked((int)z));
    }
}
