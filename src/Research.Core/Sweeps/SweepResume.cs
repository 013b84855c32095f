namespace Research.Core.Sweeps;

/// <summary>Resuming a sweep from its saved trials, shared by the executors: finished trials are restored into the
/// searcher and told their results, and their intermediate results are replayed into the scheduler; unfinished
/// (interrupted) trials are restored into the searcher and handed back to be run again with their id and parameters.</summary>
public static class SweepResume
{
    /// <summary>Replays <paramref name="saved"/> into <paramref name="searcher"/> and <paramref name="scheduler"/>;
    /// returns the finished records and the interrupted trials, in saved order.</summary>
    public static (IReadOnlyList<TrialRecord> Finished, IReadOnlyList<Trial> Interrupted) Replay(
        IEnumerable<TrialRecord> saved, ISearcher searcher, IScheduler scheduler)
    {
        var finished = new List<TrialRecord>();
        var interrupted = new List<Trial>();
        foreach (var r in saved)
        {
            searcher.Restore(r.Trial);
            if (r.IsFinished)
            {
                finished.Add(r);
                searcher.Tell(r.Trial.Id, new TrialResult(r.Value, r.State, r.Step));
                foreach (var (step, value) in r.Intermediate) scheduler.OnResult(r.Trial.Id, step, value);
            }
            else interrupted.Add(r.Trial);
        }
        return (finished, interrupted);
    }
}
