namespace Research.Core.Sweeps;

/// <summary>Runs a sweep's trials in parallel on this machine: trials come from the searcher, intermediate results go
/// through the scheduler, results go back to the searcher. With a state directory every change is persisted, and a
/// later run resumes: finished trials are restored into the searcher (and their intermediate results replayed into the
/// scheduler) without running again, interrupted trials are re-run with their id and parameters, and new trials fill
/// the budget.</summary>
public sealed class LocalExecutor(ISearcher searcher, IScheduler scheduler, ExecutorOptions options)
{
    private readonly object _gate = new();
    private readonly SortedDictionary<int, TrialRecord> _records = [];
    private readonly Queue<Trial> _pending = new();
    private SweepStateStore? _store;

    /// <summary>Runs until <see cref="ExecutorOptions.MaxTrials"/> trials have finished or the searcher is exhausted.
    /// On cancellation the state is saved (running trials stay <see cref="TrialState.Running"/>) and
    /// <see cref="OperationCanceledException"/> is thrown.</summary>
    public async Task<SweepResult> RunAsync(Func<Trial, ITrialReporter, CancellationToken, double> objective, CancellationToken ct = default)
    {
        if (options.MaxConcurrency < 1) throw new ArgumentOutOfRangeException(nameof(options), "MaxConcurrency must be ≥ 1.");
        Restore();
        var workers = Enumerable.Range(0, options.MaxConcurrency)
            .Select(_ => Task.Run(() => Work(objective, ct), CancellationToken.None)).ToArray();
        await Task.WhenAll(workers).ConfigureAwait(false);
        ct.ThrowIfCancellationRequested();
        lock (_gate) return new SweepResult(_records.Values.ToList(), searcher.Mode);
    }

    private void Restore()
    {
        if (options.StateDirectory is null) return;
        _store = new SweepStateStore(options.StateDirectory, searcher.Space);
        var (finished, interrupted) = SweepResume.Replay(_store.Load(), searcher, scheduler);
        foreach (var r in finished) _records[r.Trial.Id] = r;
        foreach (var trial in interrupted)
        {
            _records[trial.Id] = new TrialRecord(trial, TrialState.Running, double.NaN, 0, []);
            _pending.Enqueue(trial);
        }
    }

    private void Work(Func<Trial, ITrialReporter, CancellationToken, double> objective, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            Trial? trial;
            lock (_gate)
            {
                if (_pending.Count > 0) trial = _pending.Dequeue();
                else if (_records.Count >= options.MaxTrials) return;
                else
                {
                    trial = searcher.Suggest();
                    if (trial is null) return;
                    _records[trial.Id] = new TrialRecord(trial, TrialState.Running, double.NaN, 0, []);
                    Save();
                }
            }
            if (!RunTrial(trial, objective, ct)) return;
        }
    }

    /// <summary>Runs one trial; false when it was interrupted by the sweep's cancellation.</summary>
    private bool RunTrial(Trial trial, Func<Trial, ITrialReporter, CancellationToken, double> objective, CancellationToken ct)
    {
        using var trialCts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var reporter = new Reporter(trial.Id, scheduler, trialCts);
        TrialRecord record;
        try
        {
            double value = objective(trial, reporter, trialCts.Token);
            record = reporter.Killed
                ? Finish(trial, TrialState.Killed, reporter.LastValue, reporter)
                : Finish(trial, TrialState.Completed, value, reporter);
        }
        catch (OperationCanceledException) when (reporter.Killed)
        {
            record = Finish(trial, TrialState.Killed, reporter.LastValue, reporter);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            return false;
        }
        catch (Exception e)
        {
            record = Finish(trial, TrialState.Failed, double.NaN, reporter) with { Error = e.Message };
        }
        lock (_gate)
        {
            _records[trial.Id] = record;
            searcher.Tell(trial.Id, new TrialResult(record.Value, record.State, record.Step));
            Save();
            options.OnTrialFinished?.Invoke(record);
        }
        return true;
    }

    private static TrialRecord Finish(Trial trial, TrialState state, double value, Reporter reporter) =>
        new(trial, state, value, reporter.LastStep, reporter.History());

    private void Save() => _store?.Save(_records.Values);

    private sealed class Reporter(int trialId, IScheduler scheduler, CancellationTokenSource cts) : ITrialReporter
    {
        private readonly List<(int, double)> _history = [];
        private readonly object _gate = new();

        public bool Killed { get; private set; }

        public int LastStep { get; private set; }

        public double LastValue { get; private set; } = double.NaN;

        public IReadOnlyList<(int Step, double Value)> History()
        {
            lock (_gate) return _history.ToArray();
        }

        public SchedulerDecision Report(int step, double value)
        {
            lock (_gate)
            {
                if (Killed) return SchedulerDecision.Stop;
                _history.Add((step, value));
                LastStep = step;
                LastValue = value;
            }
            var decision = scheduler.OnResult(trialId, step, value);
            if (decision == SchedulerDecision.Stop)
            {
                lock (_gate) Killed = true;
                cts.Cancel();
            }
            return decision;
        }
    }
}
