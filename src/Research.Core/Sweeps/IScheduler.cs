namespace Research.Core.Sweeps;

/// <summary>Early stopping from intermediate results. Implementations are thread-safe: trials report concurrently.</summary>
public interface IScheduler
{
    /// <summary>Records that trial <paramref name="trialId"/> reached <paramref name="step"/> with
    /// <paramref name="value"/> and decides whether it goes on.</summary>
    SchedulerDecision OnResult(int trialId, int step, double value);
}
