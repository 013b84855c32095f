namespace Research.Core.Sweeps;

/// <summary>TPE's univariate Parzen estimator for a numeric parameter, in its internal scale (log for log-scale
/// parameters): one truncated Gaussian per observation plus a prior kernel centred on the range, with the hyperopt
/// bandwidth heuristic (distance to the farther sorted neighbour), optional magic clip and optional endpoints. A
/// <c>step</c> makes the kernels discrete over low, low + step, …, high.</summary>
internal sealed class ParzenEstimator
{
    private readonly double[] _mus, _sigmas, _weights;
    private readonly double _low, _high, _step;

    public ParzenEstimator(IReadOnlyList<double> observations, double low, double high, double? step, TpeOptions options)
    {
        _low = low;
        _high = high;
        _step = step ?? 0;
        int n = observations.Count;
        double range = high - low + _step;
        double priorMu = 0.5 * (low + high);

        _mus = new double[n + 1];
        _sigmas = new double[n + 1];
        for (int i = 0; i < n; i++) _mus[i] = observations[i];
        _mus[n] = priorMu;
        if (n > 0)
        {
            var sigmas = NeighbourBandwidths(_mus, low - _step / 2, high + _step / 2, options.ConsiderEndpoints);
            double maxSigma = range;
            double minSigma = options.MagicClip ? range / Math.Min(100.0, 1.0 + (n + 1)) : 1e-12;
            for (int i = 0; i < n; i++) _sigmas[i] = Math.Clamp(sigmas[i], minSigma, maxSigma);
        }
        _sigmas[n] = range;

        var w = TpeOptions.DefaultWeights(n);
        _weights = new double[n + 1];
        Array.Copy(w, _weights, n);
        _weights[n] = options.PriorWeight;
        double sum = _weights.Sum();
        for (int i = 0; i <= n; i++) _weights[i] /= sum;
    }

    /// <summary>Draws a value (on the step grid when discrete).</summary>
    public double Sample(Random rng)
    {
        int k = Mixture.PickComponent(_weights, rng);
        double x = TruncatedNormal.Sample(rng, _mus[k], _sigmas[k], _low - _step / 2, _high + _step / 2);
        if (_step > 0) x = Math.Clamp(_low + Math.Round((x - _low) / _step) * _step, _low, _high);
        return x;
    }

    /// <summary>Log density (log probability when discrete) of the mixture at x.</summary>
    public double LogDensity(double x)
    {
        var terms = new double[_mus.Length];
        for (int k = 0; k < _mus.Length; k++)
        {
            double lp = _step > 0
                ? TruncatedNormal.LogPmf(x, _step, _mus[k], _sigmas[k], _low, _high)
                : TruncatedNormal.LogPdf(x, _mus[k], _sigmas[k], _low, _high);
            terms[k] = Math.Log(_weights[k]) + lp;
        }
        return Mixture.LogSumExp(terms);
    }

    /// <summary>For each point (the prior's centre included), the larger gap to its sorted neighbours, the bounds
    /// serving as neighbours of the extremes; without endpoints the extremes use their inner gap instead.</summary>
    private static double[] NeighbourBandwidths(double[] points, double lowEdge, double highEdge, bool considerEndpoints)
    {
        int m = points.Length;
        var order = Enumerable.Range(0, m).OrderBy(i => points[i]).ToArray();
        var e = new double[m + 2];
        e[0] = lowEdge;
        for (int i = 0; i < m; i++) e[i + 1] = points[order[i]];
        e[m + 1] = highEdge;
        var sorted = new double[m];
        for (int i = 0; i < m; i++) sorted[i] = Math.Max(e[i + 1] - e[i], e[i + 2] - e[i + 1]);
        if (!considerEndpoints && e.Length >= 4)
        {
            sorted[0] = e[2] - e[1];
            sorted[m - 1] = e[m] - e[m - 1];
        }
        var result = new double[m];
        for (int i = 0; i < m; i++) result[order[i]] = sorted[i];
        return result;
    }
}
