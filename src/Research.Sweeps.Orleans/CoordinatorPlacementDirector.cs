using Orleans.Runtime;
using Orleans.Runtime.Placement;

namespace Research.Sweeps.Orleans;

/// <summary>Puts the grain of sweep <c>id</c> on the active silo named <c>sweep-coordinator:id</c> (the newest one if a
/// restarted coordinator's predecessor is not yet declared dead); fails when there is none.</summary>
internal sealed class CoordinatorPlacementDirector(IClusterMembershipService membership) : IPlacementDirector
{
    /// <inheritdoc />
    public Task<SiloAddress> OnAddActivation(PlacementStrategy strategy, PlacementTarget target, IPlacementContext context)
    {
        string sweepId = target.GrainIdentity.Key.ToString()!;
        string name = SiloNames.Coordinator(sweepId);
        var compatible = context.GetCompatibleSilos(target);
        var silo = membership.CurrentSnapshot.Members.Values
            .Where(m => m.Status == SiloStatus.Active && m.Name == name && compatible.Contains(m.SiloAddress))
            .Select(m => m.SiloAddress)
            .MaxBy(a => a.Generation);
        return silo is not null
            ? Task.FromResult(silo)
            : throw new OrleansException($"No active coordinator silo for sweep \"{sweepId}\".");
    }
}
