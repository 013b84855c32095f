using System.Collections.Concurrent;

namespace Research.Sweeps.Orleans;

/// <summary>The sweeps this silo coordinates, by sweep id (empty on worker silos).</summary>
internal sealed class CoordinatorRegistry
{
    private readonly ConcurrentDictionary<string, SweepCoordinator> _sweeps = new(StringComparer.Ordinal);

    /// <summary>Registers the coordinator of <paramref name="sweepId"/>.</summary>
    public void Add(string sweepId, SweepCoordinator coordinator) => _sweeps[sweepId] = coordinator;

    /// <summary>The coordinator of <paramref name="sweepId"/>, or null.</summary>
    public SweepCoordinator? Get(string sweepId) => _sweeps.GetValueOrDefault(sweepId);
}
