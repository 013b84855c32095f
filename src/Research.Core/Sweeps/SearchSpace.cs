namespace Research.Core.Sweeps;

/// <summary>A validated set of parameters, ordered so that every parameter comes after those its condition names.</summary>
public sealed class SearchSpace
{
    private readonly Dictionary<string, ParameterSpec> _byKey;

    /// <summary>Builds and validates a space; throws <see cref="SearchSpaceException"/> listing every problem.</summary>
    public SearchSpace(IEnumerable<ParameterSpec> parameters)
    {
        var list = parameters.ToList();
        var errors = new List<string>();
        _byKey = new Dictionary<string, ParameterSpec>(StringComparer.Ordinal);
        foreach (var p in list)
        {
            if (string.IsNullOrWhiteSpace(p.Key)) errors.Add("space: a parameter has an empty key");
            else if (!_byKey.TryAdd(p.Key, p)) errors.Add($"space.{p.Key}: the key is defined twice");
            errors.AddRange(p.Validate());
        }
        foreach (var p in list)
            foreach (var (parent, values) in p.When)
            {
                if (parent == p.Key) errors.Add($"space.{p.Key}: \"when\" names the parameter itself");
                else if (!_byKey.TryGetValue(parent, out var spec)) errors.Add($"space.{p.Key}: \"when\" names an unknown parameter \"{parent}\"");
                else if (values.Count == 0) errors.Add($"space.{p.Key}: \"when\".\"{parent}\" lists no values");
                else
                    foreach (var v in values)
                        if (!spec.Contains(v)) errors.Add($"space.{p.Key}: \"when\".\"{parent}\" value {ParameterValues.Format(v)} is not a value of \"{parent}\"");
            }
        if (errors.Count == 0) Parameters = Order(list, errors);
        if (errors.Count > 0) throw new SearchSpaceException(errors);
        Parameters ??= [];
    }

    /// <summary>The parameters, parents before the parameters conditioned on them (otherwise in declaration order).</summary>
    public IReadOnlyList<ParameterSpec> Parameters { get; }

    /// <summary>The parameter named <paramref name="key"/>.</summary>
    public ParameterSpec this[string key] => _byKey[key];

    /// <summary>Parses the <c>"space"</c> object of a sweep file (see <see cref="SearchSpaceJson"/>).</summary>
    public static SearchSpace Parse(string json) => SearchSpaceJson.Parse(json);

    /// <summary>Whether <paramref name="p"/> is active given the values assigned so far (its parents come first).</summary>
    public static bool IsActive(ParameterSpec p, IReadOnlyDictionary<string, object> assigned)
    {
        foreach (var (parent, values) in p.When)
        {
            if (!assigned.TryGetValue(parent, out var v)) return false;
            if (!values.Any(x => ParameterValues.AreEqual(x, v))) return false;
        }
        return true;
    }

    /// <summary>Draws a configuration from the prior: every active parameter sampled, inactive ones absent.</summary>
    public Dictionary<string, object> Sample(Random rng)
    {
        var assigned = new Dictionary<string, object>(StringComparer.Ordinal);
        foreach (var p in Parameters)
            if (IsActive(p, assigned)) assigned[p.Key] = p.Sample(rng);
        return assigned;
    }

    private static List<ParameterSpec> Order(List<ParameterSpec> list, List<string> errors)
    {
        var ordered = new List<ParameterSpec>(list.Count);
        var placed = new HashSet<string>(StringComparer.Ordinal);
        var left = new List<ParameterSpec>(list);
        while (left.Count > 0)
        {
            var ready = left.Where(p => p.When.Keys.All(placed.Contains)).ToList();
            if (ready.Count == 0)
            {
                errors.AddRange(left.Select(p => $"space.{p.Key}: \"when\" forms a cycle"));
                break;
            }
            foreach (var p in ready) { ordered.Add(p); placed.Add(p.Key); left.Remove(p); }
        }
        return ordered;
    }
}
