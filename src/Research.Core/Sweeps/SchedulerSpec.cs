namespace Research.Core.Sweeps;

/// <summary>A sweep file's <c>"scheduler"</c>: <c>{"type": "fifo|asha|median", ...}</c>; ASHA takes <c>max_t</c>,
/// <c>grace_period</c> and <c>reduction_factor</c>, the median rule <c>grace_period</c> and
/// <c>min_samples_required</c>. Unset parameters take the scheduler's defaults.</summary>
public sealed record SchedulerSpec
{
    /// <summary>The scheduler types.</summary>
    public static IReadOnlyList<string> Types { get; } = ["fifo", "asha", "median"];

    /// <summary><c>fifo</c>, <c>asha</c> or <c>median</c>.</summary>
    public string Type { get; init; } = "fifo";

    /// <summary>ASHA's <c>max_t</c>.</summary>
    public int? MaxT { get; init; }

    /// <summary><c>grace_period</c> (ASHA, median).</summary>
    public int? GracePeriod { get; init; }

    /// <summary>ASHA's <c>reduction_factor</c>.</summary>
    public double? ReductionFactor { get; init; }

    /// <summary>The median rule's <c>min_samples_required</c>.</summary>
    public int? MinSamplesRequired { get; init; }

    /// <summary>Builds the scheduler for <paramref name="mode"/>.</summary>
    public IScheduler Create(OptimizationMode mode) => Type switch
    {
        "fifo" => new FifoScheduler(),
        "asha" => new AshaScheduler(mode, MaxT ?? 100, GracePeriod ?? 1, ReductionFactor ?? 4),
        "median" => new MedianStoppingRule(mode, GracePeriod ?? 1, MinSamplesRequired ?? 3),
        _ => throw new ArgumentException($"unknown scheduler type \"{Type}\" (expected {string.Join(", ", Types)})."),
    };
}
