namespace Research.Core.Sweeps;

/// <summary>Everything an <see cref="ISweepExecutor"/> needs. A remote executor ships <see cref="SweepFile.JsonText"/>
/// and <see cref="ObjectiveOptions"/> to its workers, which rebuild the objective with
/// <see cref="SweepObjectives.Create"/> and check its <see cref="SweepObjective.ContentHash"/>.</summary>
/// <param name="Sweep">The sweep file (flags applied).</param>
/// <param name="ObjectiveOptions">How the objective was built (quick mode, work folder).</param>
/// <param name="Objective">The objective built on this process.</param>
/// <param name="Searcher">Suggests trials.</param>
/// <param name="Scheduler">Stops trials early.</param>
/// <param name="Options">Budget, concurrency, state folder and the finished-trial callback.</param>
/// <param name="OnTrialStarted">Called with a trial's id when it starts running (for progress).</param>
public sealed record SweepExecution(SweepFile Sweep, SweepObjectiveOptions ObjectiveOptions, SweepObjective Objective,
    ISearcher Searcher, IScheduler Scheduler, ExecutorOptions Options, Action<int> OnTrialStarted);
