using MathNet.Numerics.LinearAlgebra;

namespace Research.Core.Models;

/// <summary>
/// Ridge regression of the scaled target on the same normalised window (flattened) plus an intercept, closed form
/// (XᵀX + λI)⁻¹Xᵀy with the intercept unpenalised: the linear baseline the network must beat.
/// </summary>
public sealed class RidgeBaseline
{
    private readonly double[] _weights;

    private RidgeBaseline(double[] weights) => _weights = weights;

    /// <summary>Fits on <paramref name="samples"/> of <paramref name="data"/>.</summary>
    public static RidgeBaseline Fit(ForecastDataset data, IReadOnlyList<Sample> samples, double lambda)
    {
        int d = data.Window * data.FeatureCount + 1;
        var xtx = Matrix<double>.Build.Dense(d, d);
        var xty = Vector<double>.Build.Dense(d);
        var x = new float[d - 1];
        var y = new float[1];
        var t = new long[1];
        var row = new double[d];
        foreach (var s in samples)
        {
            data.Fill([s], 0, 1, x, y, t);
            for (int i = 0; i < d - 1; i++) row[i] = x[i];
            row[d - 1] = 1;
            for (int i = 0; i < d; i++)
            {
                xty[i] += row[i] * y[0];
                for (int j = i; j < d; j++) xtx[i, j] += row[i] * row[j];
            }
        }

        for (int i = 0; i < d; i++)
            for (int j = 0; j < i; j++) xtx[i, j] = xtx[j, i];
        for (int i = 0; i < d - 1; i++) xtx[i, i] += lambda;
        return new RidgeBaseline(xtx.Solve(xty).ToArray());
    }

    /// <summary>Scaled predictions for <paramref name="samples"/>.</summary>
    public double[] Predict(ForecastDataset data, IReadOnlyList<Sample> samples)
    {
        int d = _weights.Length;
        var x = new float[d - 1];
        var y = new float[1];
        var t = new long[1];
        var result = new double[samples.Count];
        for (int k = 0; k < samples.Count; k++)
        {
            data.Fill(samples, k, 1, x, y, t);
            double sum = _weights[d - 1];
            for (int i = 0; i < d - 1; i++) sum += _weights[i] * x[i];
            result[k] = sum;
        }

        return result;
    }
}
