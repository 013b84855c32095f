namespace Research.Core.Sweeps;

/// <summary>Ray Tune's median stopping rule over steps: once past <see cref="GracePeriod"/>, a trial stops when its best
/// result so far is worse than the median, over the other trials that have reached the same step (at least
/// <see cref="MinSamplesRequired"/> of them), of their running averages of results from the grace period up to that
/// step. A stopped trial stays stopped.</summary>
public sealed class MedianStoppingRule : IScheduler
{
    private readonly Dictionary<int, List<(int Step, double Reward)>> _results = [];
    private readonly HashSet<int> _stopped = [];
    private readonly double _sign;
    private readonly object _gate = new();

    /// <summary>Creates the rule (Ray Tune: min_samples_required 3; its grace_period of 60 is in seconds, here the
    /// grace period is in steps and defaults to 1).</summary>
    public MedianStoppingRule(OptimizationMode mode, int gracePeriod = 1, int minSamplesRequired = 3)
    {
        _sign = mode == OptimizationMode.Max ? 1 : -1;
        GracePeriod = gracePeriod;
        MinSamplesRequired = minSamplesRequired;
    }

    /// <summary>Steps before any trial can be stopped (results before it are not averaged).</summary>
    public int GracePeriod { get; }

    /// <summary>Other trials needed at a step before comparing.</summary>
    public int MinSamplesRequired { get; }

    /// <inheritdoc />
    public SchedulerDecision OnResult(int trialId, int step, double value)
    {
        lock (_gate)
        {
            if (_stopped.Contains(trialId)) return SchedulerDecision.Stop;
            if (!_results.TryGetValue(trialId, out var mine)) _results[trialId] = mine = [];
            mine.Add((step, _sign * value));
            if (step < GracePeriod) return SchedulerDecision.Continue;
            var others = _results.Where(kv => kv.Key != trialId && kv.Value[^1].Step >= step).Select(kv => kv.Value).ToList();
            if (others.Count < MinSamplesRequired) return SchedulerDecision.Continue;
            var means = others.Select(r => RunningMean(r, step)).Where(m => !double.IsNaN(m)).OrderBy(m => m).ToArray();
            if (means.Length == 0) return SchedulerDecision.Continue;
            double median = means.Length % 2 == 1 ? means[means.Length / 2] : 0.5 * (means[means.Length / 2 - 1] + means[means.Length / 2]);
            double best = mine.Max(r => r.Reward);
            if (best < median)
            {
                _stopped.Add(trialId);
                return SchedulerDecision.Stop;
            }
            return SchedulerDecision.Continue;
        }
    }

    private double RunningMean(List<(int Step, double Reward)> results, int step)
    {
        var scoped = results.Where(r => r.Step >= GracePeriod && r.Step <= step).Select(r => r.Reward).ToArray();
        return scoped.Length == 0 ? double.NaN : scoped.Average();
    }
}
