namespace Research.Core.Sweeps;

/// <summary>Runs the trials in this process with <see cref="LocalExecutor"/>.</summary>
public sealed class LocalSweepExecutor : ISweepExecutor
{
    /// <inheritdoc />
    public Task<SweepResult> RunAsync(SweepExecution execution, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(execution);
        var evaluate = execution.Objective.Evaluate;
        var executor = new LocalExecutor(execution.Searcher, execution.Scheduler, execution.Options);
        return executor.RunAsync((trial, reporter, token) =>
        {
            execution.OnTrialStarted(trial.Id);
            return evaluate(trial, reporter, token);
        }, ct);
    }
}
