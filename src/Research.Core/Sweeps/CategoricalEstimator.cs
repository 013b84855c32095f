namespace Research.Core.Sweeps;

/// <summary>TPE's estimator for a categorical parameter: one kernel per observation putting weight 1 on the observed
/// category plus prior_weight / kernels spread evenly over all categories, and a flat prior kernel; the kernels are
/// mixed with the same weights as the numeric estimator.</summary>
internal sealed class CategoricalEstimator
{
    private readonly double[][] _rows;
    private readonly double[] _weights;
    private readonly double[] _probabilities;

    public CategoricalEstimator(IReadOnlyList<int> observations, int categories, TpeOptions options)
    {
        int n = observations.Count, kernels = n + 1;
        _rows = new double[kernels][];
        for (int k = 0; k < kernels; k++)
        {
            var row = new double[categories];
            Array.Fill(row, options.PriorWeight / kernels);
            if (k < n) row[observations[k]] += 1;
            double s = row.Sum();
            for (int c = 0; c < categories; c++) row[c] /= s;
            _rows[k] = row;
        }
        var w = TpeOptions.DefaultWeights(n);
        _weights = new double[kernels];
        Array.Copy(w, _weights, n);
        _weights[n] = options.PriorWeight;
        double sum = _weights.Sum();
        for (int k = 0; k < kernels; k++) _weights[k] /= sum;
        _probabilities = new double[categories];
        for (int k = 0; k < kernels; k++)
            for (int c = 0; c < categories; c++) _probabilities[c] += _weights[k] * _rows[k][c];
    }

    /// <summary>Draws a category index.</summary>
    public int Sample(Random rng) => Mixture.PickComponent(_rows[Mixture.PickComponent(_weights, rng)], rng);

    /// <summary>Log probability of category <paramref name="c"/>.</summary>
    public double LogProbability(int c) => Math.Log(_probabilities[c]);
}
