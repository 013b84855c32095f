namespace Research.Core.Sweeps;

/// <summary>The cartesian product of the grid and choice parameters, first parameter varying slowest; a conditional
/// parameter only multiplies the points where it is active. Any other parameter type is an error. With a seed the
/// points are visited in a seeded shuffled order.</summary>
public sealed class GridSearch : SearcherBase
{
    private readonly List<Dictionary<string, object>> _points;
    private readonly bool[] _taken;

    /// <summary>Enumerates the grid; throws <see cref="SearchSpaceException"/> for a non-enumerable parameter.</summary>
    public GridSearch(SearchSpace space, OptimizationMode mode = OptimizationMode.Min, int? shuffleSeed = null)
        : base(space, mode, shuffleSeed ?? 0)
    {
        var bad = space.Parameters.Where(p => p is not ChoiceParameter)
            .Select(p => $"space.{p.Key}: type {p.TypeName} cannot be enumerated by grid search (use grid or choice)").ToList();
        if (bad.Count > 0) throw new SearchSpaceException(bad);
        _points = [];
        Enumerate(0, new Dictionary<string, object>(StringComparer.Ordinal));
        if (shuffleSeed is int s) new Random(s).Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_points));
        _taken = new bool[_points.Count];
    }

    /// <summary>Number of grid points.</summary>
    public int Count => _points.Count;

    /// <inheritdoc />
    public override void Restore(Trial trial)
    {
        base.Restore(trial);
        int i = _points.FindIndex(p => trial.SameParameters(p));
        if (i >= 0) _taken[i] = true;
    }

    /// <inheritdoc />
    protected override Dictionary<string, object>? Propose(int id, Random rng)
    {
        int i = Array.IndexOf(_taken, false);
        if (i < 0) return null;
        _taken[i] = true;
        return new Dictionary<string, object>(_points[i], StringComparer.Ordinal);
    }

    private void Enumerate(int index, Dictionary<string, object> assigned)
    {
        if (index == Space.Parameters.Count) { _points.Add(new Dictionary<string, object>(assigned, StringComparer.Ordinal)); return; }
        var p = (ChoiceParameter)Space.Parameters[index];
        if (!SearchSpace.IsActive(p, assigned)) { Enumerate(index + 1, assigned); return; }
        foreach (var v in p.Values)
        {
            assigned[p.Key] = v;
            Enumerate(index + 1, assigned);
        }
        assigned.Remove(p.Key);
    }
}
