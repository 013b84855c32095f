using Research.Core.Sweeps;

namespace Research.Sweeps.Orleans.Tests;

/// <summary>Shared pieces of the sweep tests: options and the comparison with <see cref="LocalExecutor"/>.</summary>
internal static class Sweeps
{
    /// <summary>Sweep options on <paramref name="connection"/> with a fresh cluster id (tests sharing a Redis server do not meet).</summary>
    public static OrleansSweepOptions Options(string connection, string objective, string dataHash = "data-1", string? sweepId = null) => new()
    {
        Cluster = Cluster(connection),
        SweepId = sweepId ?? "sweep-" + Guid.NewGuid().ToString("N")[..8],
        ObjectiveSpec = objective,
        DataHash = dataHash,
        HeartbeatInterval = TimeSpan.FromMilliseconds(250),
        LeaseTimeout = TimeSpan.FromSeconds(2),
    };

    /// <summary>Cluster options with a cluster id of its own.</summary>
    public static SweepClusterOptions Cluster(string connection, string? clusterId = null) =>
        new() { Connection = connection, ClusterId = clusterId ?? "test-" + Guid.NewGuid().ToString("N")[..8] };

    /// <summary>The same sweep run by <see cref="LocalExecutor"/> one trial at a time.</summary>
    public static SweepResult Local(ISearcher searcher, IScheduler scheduler, string objective, int maxTrials) =>
        new LocalExecutor(searcher, scheduler, new ExecutorOptions { MaxTrials = maxTrials, MaxConcurrency = 1 })
            .RunAsync(SyntheticObjectives.Create(objective).Objective).GetAwaiter().GetResult();

    /// <summary>Asserts both sweeps have the same trials: ids, parameters, states, values and steps.</summary>
    public static void AssertSameTrials(SweepResult expected, SweepResult actual)
    {
        Assert.Equal(expected.Trials.Select(t => t.Trial.Id), actual.Trials.Select(t => t.Trial.Id));
        foreach (var (e, a) in expected.Trials.Zip(actual.Trials))
        {
            Assert.True(e.Trial.SameParameters(a.Trial.Parameters), $"trial {e.Trial.Id}: {e.Trial} vs {a.Trial}");
            Assert.Equal(e.State, a.State);
            Assert.Equal(e.Value, a.Value);
            Assert.Equal(e.Step, a.Step);
            Assert.Equal(e.Intermediate, a.Intermediate);
        }
    }
}
