namespace Research.Core.Sweeps;

/// <summary>Tree-structured Parzen Estimator after Optuna's <c>TPESampler</c> with independent (univariate) sampling:
/// after <see cref="TpeOptions.StartupTrials"/> random trials, the finished trials are split into the best
/// gamma(n) ("below") and the rest ("above"); for each active parameter a Parzen estimator is fitted to each group
/// (over the trials that have the parameter), <see cref="TpeOptions.EiCandidates"/> candidates are drawn from l(x) and
/// the one maximising log l(x) − log g(x) is kept. Killed trials count after completed ones, deeper steps first.</summary>
public sealed class TpeSearch(SearchSpace space, OptimizationMode mode = OptimizationMode.Min, int seed = 0, TpeOptions? options = null)
    : SearcherBase(space, mode, seed)
{
    /// <summary>The settings.</summary>
    public TpeOptions Options { get; } = options ?? new TpeOptions();

    /// <inheritdoc />
    protected override Dictionary<string, object> Propose(int id, Random rng)
    {
        var finished = Results.Where(r => r.Value.State is TrialState.Completed or TrialState.Killed).ToList();
        if (finished.Count < Options.StartupTrials) return Space.Sample(rng);

        double sign = Mode == OptimizationMode.Min ? 1 : -1;
        double Score(TrialResult r) => double.IsNaN(r.Value) ? double.PositiveInfinity : sign * r.Value;
        var ranked = finished.Where(r => r.Value.State == TrialState.Completed).OrderBy(r => Score(r.Value)).ThenBy(r => r.Key)
            .Concat(finished.Where(r => r.Value.State == TrialState.Killed)
                .OrderByDescending(r => r.Value.Step).ThenBy(r => Score(r.Value)).ThenBy(r => r.Key))
            .Select(r => Trials[r.Key]).ToList();
        int nBelow = Math.Min(Options.Gamma(finished.Count), ranked.Count);
        var below = ranked.Take(nBelow).OrderBy(t => t.Id).ToList();
        var above = ranked.Skip(nBelow).OrderBy(t => t.Id).ToList();

        var assigned = new Dictionary<string, object>(StringComparer.Ordinal);
        foreach (var p in Space.Parameters)
        {
            if (!SearchSpace.IsActive(p, assigned)) continue;
            assigned[p.Key] = SampleParameter(p, below, above, rng);
        }
        return assigned;
    }

    private object SampleParameter(ParameterSpec p, List<Trial> below, List<Trial> above, Random rng)
    {
        if (p is ChoiceParameter c)
        {
            int[] Indices(List<Trial> ts) => ts.Where(t => t.Has(p.Key)).Select(t => c.IndexOf(t.Parameters[p.Key])).Where(i => i >= 0).ToArray();
            var l = new CategoricalEstimator(Indices(below), c.Values.Count, Options);
            var g = new CategoricalEstimator(Indices(above), c.Values.Count, Options);
            int best = -1;
            double bestScore = double.NegativeInfinity;
            for (int i = 0; i < Options.EiCandidates; i++)
            {
                int x = l.Sample(rng);
                double s = l.LogProbability(x) - g.LogProbability(x);
                if (best < 0 || s > bestScore) (best, bestScore) = (x, s);
            }
            return c.Values[best];
        }

        var (low, high, step, toInternal) = Internal(p);
        double[] Obs(List<Trial> ts) => ts.Where(t => t.Has(p.Key)).Select(t => toInternal(t.Double(p.Key))).ToArray();
        var lo = new ParzenEstimator(Obs(below), low, high, step, Options);
        var go = new ParzenEstimator(Obs(above), low, high, step, Options);
        double bestX = double.NaN, bestS = double.NegativeInfinity;
        for (int i = 0; i < Options.EiCandidates; i++)
        {
            double x = lo.Sample(rng);
            double s = lo.LogDensity(x) - go.LogDensity(x);
            if (double.IsNaN(bestX) || s > bestS) (bestX, bestS) = (x, s);
        }
        return p switch
        {
            FloatParameter f => (object)f.Quantize(f.Log ? Math.Exp(bestX) : bestX),
            IntParameter n => n.Quantize(n.Log ? Math.Exp(bestX) : bestX),
            _ => throw new InvalidOperationException($"Unsupported parameter {p.Key}."),
        };
    }

    private static (double Low, double High, double? Step, Func<double, double> ToInternal) Internal(ParameterSpec p) => p switch
    {
        FloatParameter { Log: true } f => (Math.Log(f.Low), Math.Log(f.High), null, Math.Log),
        FloatParameter { Q: double q } f => (f.Low, f.Low + Math.Floor((f.High - f.Low) / q + 1e-9) * q, q, x => x),
        FloatParameter f => (f.Low, f.High, null, x => x),
        IntParameter { Log: true } n => (Math.Log(n.Low - 0.5), Math.Log(n.High + 0.5), null, Math.Log),
        IntParameter n => (n.Low, n.Low + n.Step * ((n.High - n.Low) / n.Step), n.Step, x => x),
        _ => throw new InvalidOperationException($"Unsupported parameter {p.Key}."),
    };
}
