using Research.Core.Sweeps;

namespace Research.Sweeps.Orleans;

/// <summary>How a leased trial ended on the worker: completed with a value, failed with an error, or cancelled after
/// the scheduler's stop (the coordinator then records it killed with the last reported value).</summary>
[GenerateSerializer, Immutable]
internal sealed record TrialOutcome([property: Id(0)] TrialState State, [property: Id(1)] double Value, [property: Id(2)] string? Error = null);
