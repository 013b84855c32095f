namespace Research.Core.Sweeps;

/// <summary>Independent draws from the prior of every active parameter (grid parameters are sampled like choices).</summary>
public sealed class RandomSearch(SearchSpace space, OptimizationMode mode = OptimizationMode.Min, int seed = 0)
    : SearcherBase(space, mode, seed)
{
    /// <inheritdoc />
    protected override Dictionary<string, object> Propose(int id, Random rng) => Space.Sample(rng);
}
