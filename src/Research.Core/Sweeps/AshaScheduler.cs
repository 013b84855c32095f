namespace Research.Core.Sweeps;

/// <summary>Asynchronous successive halving as in Ray Tune's <c>AsyncHyperBandScheduler</c> with one bracket: rungs at
/// grace·rf^k ≤ max_t (k = 0, 1, …). When a trial first reports at or past a rung (the highest such rung it has not been
/// recorded at), its result is compared with the (1 − 1/rf) quantile (linear interpolation) of the results recorded
/// at that rung so far: below it the trial stops; either way the result is recorded. The first trial at a rung always
/// continues. Results at or past max_t continue (the trial is finishing anyway).</summary>
public sealed class AshaScheduler : IScheduler
{
    private readonly (int Milestone, Dictionary<int, double> Recorded)[] _rungs;
    private readonly double _sign;
    private readonly object _gate = new();

    /// <summary>Creates the scheduler; the defaults are Ray Tune's (max_t 100, grace_period 1, reduction_factor 4).</summary>
    public AshaScheduler(OptimizationMode mode, int maxT = 100, int gracePeriod = 1, double reductionFactor = 4)
    {
        if (gracePeriod < 1) throw new ArgumentOutOfRangeException(nameof(gracePeriod), "grace_period must be ≥ 1.");
        if (maxT < gracePeriod) throw new ArgumentOutOfRangeException(nameof(maxT), "max_t must be ≥ grace_period.");
        if (!(reductionFactor > 1)) throw new ArgumentOutOfRangeException(nameof(reductionFactor), "reduction_factor must be > 1.");
        MaxT = maxT;
        GracePeriod = gracePeriod;
        ReductionFactor = reductionFactor;
        _sign = mode == OptimizationMode.Max ? 1 : -1;
        var milestones = new List<int>();
        for (double m = gracePeriod; m <= maxT * (1 + 1e-12); m *= reductionFactor) milestones.Add((int)Math.Round(m));
        _rungs = milestones.AsEnumerable().Reverse().Select(m => (m, new Dictionary<int, double>())).ToArray();
    }

    /// <summary>Maximum step of a trial.</summary>
    public int MaxT { get; }

    /// <summary>Steps every trial runs before it can be stopped.</summary>
    public int GracePeriod { get; }

    /// <summary>Only the top 1/rf at a rung go on.</summary>
    public double ReductionFactor { get; }

    /// <summary>The rung milestones, ascending.</summary>
    public IReadOnlyList<int> Rungs => _rungs.Select(r => r.Milestone).Reverse().ToArray();

    /// <inheritdoc />
    public SchedulerDecision OnResult(int trialId, int step, double value)
    {
        if (step >= MaxT) return SchedulerDecision.Continue;
        double reward = _sign * value;
        lock (_gate)
        {
            foreach (var (milestone, recorded) in _rungs)
            {
                if (step < milestone || recorded.ContainsKey(trialId)) continue;
                var decision = SchedulerDecision.Continue;
                if (recorded.Count > 0 && reward < Percentile(recorded.Values, (1 - 1 / ReductionFactor) * 100))
                    decision = SchedulerDecision.Stop;
                if (!double.IsNaN(reward)) recorded[trialId] = reward;
                return decision;
            }
        }
        return SchedulerDecision.Continue;
    }

    private static double Percentile(IEnumerable<double> values, double q)
    {
        var v = values.Where(x => !double.IsNaN(x)).OrderBy(x => x).ToArray();
        if (v.Length == 0) return double.NaN;
        double rank = q / 100 * (v.Length - 1);
        int lo = (int)Math.Floor(rank), hi = (int)Math.Ceiling(rank);
        return v[lo] + (v[hi] - v[lo]) * (rank - lo);
    }
}
