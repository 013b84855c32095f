namespace Research.Core.Sweeps;

/// <summary>Suggests configurations and learns from their results. Implementations are seeded (the same seed and the
/// same results give the same suggestions) and not thread-safe: callers serialise access.</summary>
public interface ISearcher
{
    /// <summary>The space searched.</summary>
    SearchSpace Space { get; }

    /// <summary>Whether lower or higher values are better.</summary>
    OptimizationMode Mode { get; }

    /// <summary>The next trial, or null when the searcher is exhausted (a finished grid).</summary>
    Trial? Suggest();

    /// <summary>Records how trial <paramref name="trialId"/> ended.</summary>
    void Tell(int trialId, TrialResult result);

    /// <summary>Registers a trial suggested by an earlier run (resume); later ids follow it, and a finished trial is
    /// then told with <see cref="Tell"/>.</summary>
    void Restore(Trial trial);
}
