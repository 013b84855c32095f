using Orleans.Placement;

namespace Research.Sweeps.Orleans;

/// <summary>Marks a grain class as placed by <see cref="CoordinatorPlacement"/>.</summary>
[AttributeUsage(AttributeTargets.Class)]
internal sealed class CoordinatorPlacementAttribute() : PlacementAttribute(new CoordinatorPlacement());
