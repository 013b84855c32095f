using Orleans.Runtime;
using Research.Core.Sweeps;

namespace Research.Sweeps.Orleans;

/// <summary>The state of one sweep on its coordinator silo, the distributed counterpart of
/// <see cref="LocalExecutor"/>'s loop: trials come from the searcher (or the re-queue), go out on leases, their
/// intermediate results go through the scheduler, and each trial is finished exactly once, by the call naming its
/// current lease. A lease that expires or whose silo dies is dropped and its trial re-queued; calls naming a dropped
/// lease are ignored. Thread-safe.</summary>
internal sealed class SweepCoordinator
{
    private readonly object _gate = new();
    private readonly ISearcher _searcher;
    private readonly IScheduler _scheduler;
    private readonly ExecutorOptions _options;
    private readonly OrleansSweepOptions _sweep;
    private readonly TimeProvider _time;
    private readonly SortedDictionary<int, TrialRecord> _records = [];
    private readonly LinkedList<Trial> _pending = new();
    private readonly Dictionary<Guid, ActiveLease> _leases = [];
    private readonly HashSet<string> _refusedBy = new(StringComparer.Ordinal);
    private readonly List<string> _refusals = [];
    private readonly TaskCompletionSource _finished = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly SweepStateStore? _store;
    private bool _exhausted;
    private bool _closed;

    public SweepCoordinator(ISearcher searcher, IScheduler scheduler, ExecutorOptions options, OrleansSweepOptions sweep, TimeProvider? time = null)
    {
        if (options.MaxConcurrency < 1) throw new ArgumentOutOfRangeException(nameof(options), "MaxConcurrency must be ≥ 1.");
        _searcher = searcher;
        _scheduler = scheduler;
        _options = options;
        _sweep = sweep;
        _time = time ?? TimeProvider.System;
        if (options.StateDirectory is not null) _store = new SweepStateStore(options.StateDirectory, searcher.Space);
        Restore();
    }

    /// <summary>Completes when every trial of the budget has finished (or the searcher is exhausted).</summary>
    public Task Finished => _finished.Task;

    /// <summary>Reasons workers gave for refusing the sweep.</summary>
    public IReadOnlyList<string> Refusals
    {
        get { lock (_gate) return _refusals.ToArray(); }
    }

    /// <summary>The trials so far, in id order.</summary>
    public SweepResult Result()
    {
        lock (_gate) return new SweepResult(_records.Values.ToList(), _searcher.Mode);
    }

    private void Restore()
    {
        if (_store is null) return;
        var (finished, interrupted) = SweepResume.Replay(_store.Load(), _searcher, _scheduler);
        foreach (var r in finished) _records[r.Trial.Id] = r;
        foreach (var trial in interrupted)
        {
            _records[trial.Id] = Unstarted(trial);
            _pending.AddLast(trial);
        }
        lock (_gate) CheckFinished();
    }

    /// <summary>Leases a trial, waiting up to <paramref name="wait"/> while none is available.</summary>
    public async Task<LeaseReply> LeaseAsync(string workerId, SiloAddress silo, TimeSpan wait)
    {
        long deadline = _time.GetTimestamp() + (long)(wait.TotalSeconds * _time.TimestampFrequency);
        while (true)
        {
            Task changed;
            lock (_gate)
            {
                var reply = TryLease(workerId, silo);
                if (reply.Status != LeaseStatus.Wait) return reply;
                changed = _changed.Task;
            }
            var left = _time.GetElapsedTime(_time.GetTimestamp(), deadline);
            if (left <= TimeSpan.Zero) return new LeaseReply(LeaseStatus.Wait);
            await Task.WhenAny(changed, Task.Delay(left, _time)).ConfigureAwait(false);
        }
    }

    private LeaseReply TryLease(string workerId, SiloAddress silo)
    {
        if (_closed || _finished.Task.IsCompleted || _refusedBy.Contains(workerId)) return new LeaseReply(LeaseStatus.Done);
        if (_leases.Count >= _options.MaxConcurrency) return new LeaseReply(LeaseStatus.Wait);
        Trial? trial = null;
        if (_pending.First is { } first)
        {
            trial = first.Value;
            _pending.RemoveFirst();
        }
        else if (!_exhausted && _records.Count < _options.MaxTrials)
        {
            trial = _searcher.Suggest();
            if (trial is null) _exhausted = true;
            else
            {
                _records[trial.Id] = Unstarted(trial);
                Save();
            }
        }
        if (trial is null)
        {
            CheckFinished();
            return new LeaseReply(_finished.Task.IsCompleted ? LeaseStatus.Done : LeaseStatus.Wait);
        }
        var lease = new ActiveLease(Guid.NewGuid(), trial, workerId, silo, _time.GetUtcNow().UtcDateTime);
        _leases[lease.Id] = lease;
        _sweep.OnTrialLeased?.Invoke(trial.Id, workerId);
        return new LeaseReply(LeaseStatus.Granted, new TrialLease(lease.Id, trial.Id,
            new Dictionary<string, object>(trial.Parameters, StringComparer.Ordinal), _sweep.ObjectiveSpec, _sweep.DataHash, _sweep.HeartbeatInterval));
    }

    /// <summary>Records an intermediate result and asks the scheduler.</summary>
    public LeaseDecision Report(Guid leaseId, int step, double value)
    {
        ActiveLease? lease;
        lock (_gate)
        {
            if (_closed || !_leases.TryGetValue(leaseId, out lease)) return LeaseDecision.Lost;
            lease.LastHeard = _time.GetUtcNow().UtcDateTime;
            if (lease.Killed) return LeaseDecision.Stop;
            lease.History.Add((step, value));
        }
        if (_scheduler.OnResult(lease.Trial.Id, step, value) == SchedulerDecision.Continue) return LeaseDecision.Continue;
        lock (_gate) lease.Killed = true;
        return LeaseDecision.Stop;
    }

    /// <summary>Keeps a lease alive; false when it was dropped.</summary>
    public bool Heartbeat(Guid leaseId)
    {
        lock (_gate)
        {
            if (_closed || !_leases.TryGetValue(leaseId, out var lease)) return false;
            lease.LastHeard = _time.GetUtcNow().UtcDateTime;
            return true;
        }
    }

    /// <summary>Finishes the trial of a current lease (killed if the scheduler stopped it); false when the lease was
    /// dropped, and then nothing changes.</summary>
    public bool Complete(Guid leaseId, TrialOutcome outcome)
    {
        lock (_gate)
        {
            if (_closed || !_leases.Remove(leaseId, out var lease)) return false;
            var trial = lease.Trial;
            var history = lease.History.ToArray();
            var record = lease.Killed || outcome.State == TrialState.Killed
                ? new TrialRecord(trial, TrialState.Killed, lease.LastValue, lease.LastStep, history)
                : outcome.State == TrialState.Completed
                    ? new TrialRecord(trial, TrialState.Completed, outcome.Value, lease.LastStep, history)
                    : new TrialRecord(trial, TrialState.Failed, double.NaN, lease.LastStep, history, outcome.Error ?? "failed");
            _records[trial.Id] = record;
            _searcher.Tell(trial.Id, new TrialResult(record.Value, record.State, record.Step));
            Save();
            _options.OnTrialFinished?.Invoke(record);
            CheckFinished();
            Signal();
            return true;
        }
    }

    /// <summary>Re-queues the trial of a current lease (first in line).</summary>
    public void Return(Guid leaseId, string reason)
    {
        lock (_gate) Requeue(leaseId);
    }

    /// <summary>Re-queues the trial and bars the worker from this sweep.</summary>
    public void Refuse(Guid leaseId, string workerId, string reason)
    {
        lock (_gate)
        {
            Requeue(leaseId);
            if (!_refusedBy.Add(workerId)) return;
            _refusals.Add(reason);
        }
        _sweep.OnWorkerRefused?.Invoke(reason);
    }

    /// <summary>Drops the leases not heard of within the lease timeout and re-queues their trials.</summary>
    public int ExpireLeases()
    {
        lock (_gate)
        {
            var cutoff = _time.GetUtcNow().UtcDateTime - _sweep.LeaseTimeout;
            return DropWhere(l => l.LastHeard < cutoff);
        }
    }

    /// <summary>Drops the leases held on silos no longer in the cluster and re-queues their trials.</summary>
    public int DropSilos(IReadOnlySet<SiloAddress> dead)
    {
        lock (_gate) return DropWhere(l => dead.Contains(l.Silo));
    }

    /// <summary>Stops handing out and accepting trials and saves the state (trials still out stay running; their
    /// workers are told the lease is lost).</summary>
    public void Close()
    {
        lock (_gate)
        {
            if (_closed) return;
            _closed = true;
            Save();
            Signal();
        }
    }

    private int DropWhere(Func<ActiveLease, bool> predicate)
    {
        var dropped = _leases.Values.Where(predicate).Select(l => l.Id).ToList();
        foreach (var id in dropped) Requeue(id);
        return dropped.Count;
    }

    private void Requeue(Guid leaseId)
    {
        if (_closed || !_leases.Remove(leaseId, out var lease)) return;
        _records[lease.Trial.Id] = Unstarted(lease.Trial);
        _pending.AddFirst(lease.Trial);
        Signal();
    }

    private void CheckFinished()
    {
        if (_pending.Count == 0 && _leases.Count == 0 && (_exhausted || _records.Count >= _options.MaxTrials)
            && _records.Values.All(r => r.IsFinished))
            _finished.TrySetResult();
    }

    private void Signal()
    {
        var old = _changed;
        _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        old.TrySetResult();
    }

    private void Save() => _store?.Save(_records.Values);

    private static TrialRecord Unstarted(Trial trial) => new(trial, TrialState.Running, double.NaN, 0, []);
}
