using Orleans.Runtime;

namespace Research.Sweeps.Orleans;

/// <summary>Places a sweep coordinator grain on the silo named after its sweep (see <see cref="SiloNames"/>).</summary>
[Serializable, GenerateSerializer, Immutable, SuppressReferenceTracking]
internal sealed class CoordinatorPlacement : PlacementStrategy
{
}
