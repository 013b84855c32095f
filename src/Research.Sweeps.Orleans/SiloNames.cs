namespace Research.Sweeps.Orleans;

/// <summary>Silo names in the membership table: a coordinator silo is named after its sweep, which is how workers
/// discover sweeps and how <see cref="CoordinatorPlacementDirector"/> finds where a sweep's grain lives.</summary>
internal static class SiloNames
{
    private const string CoordinatorPrefix = "sweep-coordinator:";

    /// <summary>The name of the silo coordinating <paramref name="sweepId"/>.</summary>
    public static string Coordinator(string sweepId) => CoordinatorPrefix + sweepId;

    /// <summary>A fresh worker silo name.</summary>
    public static string Worker() => $"sweep-worker:{Environment.MachineName}:{Guid.NewGuid().ToString("N")[..8]}";

    /// <summary>The sweep a silo coordinates, or null for other silos.</summary>
    public static string? SweepOf(string? siloName) =>
        siloName is not null && siloName.StartsWith(CoordinatorPrefix, StringComparison.Ordinal) ? siloName[CoordinatorPrefix.Length..] : null;
}
