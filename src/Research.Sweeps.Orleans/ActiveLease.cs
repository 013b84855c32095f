using Orleans.Runtime;
using Research.Core.Sweeps;

namespace Research.Sweeps.Orleans;

/// <summary>A trial out on a worker: who holds it, when it was last heard of, and its intermediate results so far.</summary>
internal sealed class ActiveLease(Guid id, Trial trial, string workerId, SiloAddress silo, DateTime now)
{
    public Guid Id { get; } = id;

    public Trial Trial { get; } = trial;

    public string WorkerId { get; } = workerId;

    public SiloAddress Silo { get; } = silo;

    public DateTime LastHeard { get; set; } = now;

    public bool Killed { get; set; }

    public List<(int Step, double Value)> History { get; } = [];

    public int LastStep => History.Count == 0 ? 0 : History[^1].Step;

    public double LastValue => History.Count == 0 ? double.NaN : History[^1].Value;
}
