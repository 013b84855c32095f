namespace Research.Core.Sweeps;

/// <summary>
/// Where a sweep's trials run: <see cref="LocalSweepExecutor"/> on this machine, or a cluster executor registered in
/// <see cref="SweepExecutors"/>. An executor drives the searcher and the scheduler, persists the state in
/// <see cref="ExecutorOptions.StateDirectory"/> (resumable) and calls <see cref="ExecutorOptions.OnTrialFinished"/>
/// once per finished trial on the calling process.
/// </summary>
public interface ISweepExecutor
{
    /// <summary>Runs <paramref name="execution"/>; on cancellation saves the state and throws <see cref="OperationCanceledException"/>.</summary>
    Task<SweepResult> RunAsync(SweepExecution execution, CancellationToken ct);
}
