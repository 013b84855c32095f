using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Orleans.Runtime;
using Research.Core.Sweeps;

namespace Research.Sweeps.Orleans;

/// <summary>What a worker's slots share: the grain factory, the sweeps found in the membership table, the resolved
/// objectives and the sweeps refused.</summary>
internal sealed class WorkerRuntime(
    string workerId,
    IGrainFactory grains,
    IClusterMembershipService membership,
    SiloAddress silo,
    Func<string, (Func<Trial, ITrialReporter, CancellationToken, double> Objective, string DataHash)> resolve,
    ILogger logger)
{
    private static readonly TimeSpan LongPoll = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Idle = TimeSpan.FromMilliseconds(200);
    private readonly ConcurrentDictionary<string, Lazy<(Func<Trial, ITrialReporter, CancellationToken, double> Objective, string DataHash)>> _resolved = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, bool> _refused = new(StringComparer.Ordinal);

    /// <summary>One slot: lease, run, finish, until <paramref name="ct"/> is cancelled.</summary>
    public async Task RunSlotAsync(int slot, CancellationToken ct)
    {
        int turn = slot;
        while (!ct.IsCancellationRequested)
        {
            var sweeps = Sweeps();
            bool ran = false;
            for (int i = 0; i < sweeps.Count && !ran && !ct.IsCancellationRequested; i++)
            {
                string sweepId = sweeps[(turn + i) % sweeps.Count];
                var grain = grains.GetGrain<ISweepCoordinatorGrain>(sweepId);
                LeaseReply reply;
                try
                {
                    reply = await grain.Lease(workerId, silo, sweeps.Count == 1 ? LongPoll : TimeSpan.Zero).ConfigureAwait(false);
                }
                catch (Exception e)
                {
                    logger.LogDebug(e, "Lease from sweep {Sweep} failed", sweepId);
                    continue;
                }
                if (reply is { Status: LeaseStatus.Granted, Lease: { } lease })
                {
                    await RunLeaseAsync(sweepId, grain, lease, ct).ConfigureAwait(false);
                    ran = true;
                }
            }
            turn++;
            if (!ran)
            {
                try { await Task.Delay(Idle, ct).ConfigureAwait(false); }
                catch (OperationCanceledException) { return; }
            }
        }
    }

    /// <summary>The sweeps whose coordinator silos are active, refused ones left out.</summary>
    private List<string> Sweeps() =>
        membership.CurrentSnapshot.Members.Values
            .Where(m => m.Status == SiloStatus.Active)
            .Select(m => SiloNames.SweepOf(m.Name))
            .OfType<string>()
            .Where(s => !_refused.ContainsKey(s))
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .ToList();

    private async Task RunLeaseAsync(string sweepId, ISweepCoordinatorGrain grain, TrialLease lease, CancellationToken ct)
    {
        if (ct.IsCancellationRequested)
        {
            await Send(() => grain.Return(lease.LeaseId, $"worker {workerId} is draining")).ConfigureAwait(false);
            return;
        }
        Func<Trial, ITrialReporter, CancellationToken, double> objective;
        try
        {
            var resolved = _resolved.GetOrAdd(lease.ObjectiveSpec, spec => new(() => resolve(spec))).Value;
            if (resolved.DataHash != lease.DataHash)
            {
                await RefuseAsync(sweepId, grain, lease, $"worker {workerId} refuses sweep \"{sweepId}\": data hash mismatch " +
                    $"(the sweep's data is {lease.DataHash}, this worker's for \"{lease.ObjectiveSpec}\" is {resolved.DataHash})").ConfigureAwait(false);
                return;
            }
            objective = resolved.Objective;
        }
        catch (Exception e)
        {
            await RefuseAsync(sweepId, grain, lease, $"worker {workerId} refuses sweep \"{sweepId}\": objective \"{lease.ObjectiveSpec}\" " +
                $"does not resolve: {e.Message}").ConfigureAwait(false);
            return;
        }

        using var trialCts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var reporter = new RemoteReporter(grain, lease.LeaseId, trialCts);
        using var heartbeatStop = new CancellationTokenSource();
        var heartbeat = HeartbeatAsync(grain, lease, reporter, heartbeatStop.Token);
        var trial = new Trial(lease.TrialId, lease.Parameters);
        logger.LogInformation("Sweep {Sweep}: trial {Trial} started", sweepId, trial);
        TrialOutcome? outcome;
        try
        {
            double value = await Task.Factory.StartNew(() => objective(trial, reporter, trialCts.Token),
                CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default).ConfigureAwait(false);
            outcome = reporter.Killed ? new TrialOutcome(TrialState.Killed, double.NaN) : new TrialOutcome(TrialState.Completed, value);
        }
        catch (OperationCanceledException) when (reporter.Killed)
        {
            outcome = new TrialOutcome(TrialState.Killed, double.NaN);
        }
        catch (Exception) when (ct.IsCancellationRequested || reporter.Lost)
        {
            outcome = null;
        }
        catch (Exception e)
        {
            outcome = new TrialOutcome(TrialState.Failed, double.NaN, e.Message);
        }
        await heartbeatStop.CancelAsync().ConfigureAwait(false);
        await heartbeat.ConfigureAwait(false);
        if (reporter.Lost) logger.LogWarning("Sweep {Sweep}: trial {Trial} lost its lease, result dropped", sweepId, lease.TrialId);
        else if (outcome is null)
        {
            logger.LogInformation("Sweep {Sweep}: trial {Trial} returned (draining)", sweepId, lease.TrialId);
            await Send(() => grain.Return(lease.LeaseId, $"worker {workerId} is draining")).ConfigureAwait(false);
        }
        else
        {
            logger.LogInformation("Sweep {Sweep}: trial {Trial} {State} {Value}", sweepId, lease.TrialId, outcome.State, outcome.Error ?? outcome.Value.ToString("R", System.Globalization.CultureInfo.InvariantCulture));
            await Send(() => grain.Complete(lease.LeaseId, outcome)).ConfigureAwait(false);
        }
    }

    private async Task RefuseAsync(string sweepId, ISweepCoordinatorGrain grain, TrialLease lease, string reason)
    {
        _refused[sweepId] = true;
        logger.LogError("{Reason}", reason);
        await Send(() => grain.Refuse(lease.LeaseId, workerId, reason)).ConfigureAwait(false);
    }

    /// <summary>Heartbeats the lease until stopped; a dropped lease (or three failed calls in a row) cancels the
    /// trial.</summary>
    private async Task HeartbeatAsync(ISweepCoordinatorGrain grain, TrialLease lease, RemoteReporter reporter, CancellationToken stop)
    {
        using var timer = new PeriodicTimer(lease.HeartbeatInterval);
        int failures = 0;
        try
        {
            while (await timer.WaitForNextTickAsync(stop).ConfigureAwait(false))
            {
                bool alive;
                try
                {
                    alive = await grain.Heartbeat(lease.LeaseId).ConfigureAwait(false);
                    failures = 0;
                }
                catch (Exception e) when (!stop.IsCancellationRequested)
                {
                    logger.LogWarning(e, "Heartbeat of trial {Trial} failed", lease.TrialId);
                    alive = ++failures < 3;
                }
                if (alive) continue;
                reporter.MarkLost();
                return;
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
    }

    private async Task Send(Func<Task> call)
    {
        try
        {
            await call().ConfigureAwait(false);
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Call to the coordinator failed; its lease timeout will re-queue the trial");
        }
    }
}
