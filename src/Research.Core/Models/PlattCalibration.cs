namespace Research.Core.Models;

/// <summary>
/// Platt scaling: p = σ(a·s + b) fitted by Newton's method on held-out scores <c>s</c> and outcomes, so the probability
/// head's confidence is calibrated on data the network was not trained on.
/// </summary>
public sealed record PlattCalibration(double A, double B)
{
    /// <summary>The identity mapping σ(s).</summary>
    public static PlattCalibration Identity { get; } = new(1, 0);

    /// <summary>Fits on <paramref name="scores"/> and 0/1 <paramref name="outcomes"/> (L2-regularised, 50 Newton steps at most).</summary>
    public static PlattCalibration Fit(ReadOnlySpan<double> scores, ReadOnlySpan<double> outcomes)
    {
        if (scores.Length != outcomes.Length) throw new ArgumentException("scores and outcomes differ in length.", nameof(outcomes));
        if (scores.Length < 10) return Identity;
        double a = 1, b = 0;
        const double ridge = 1e-6;
        for (int iter = 0; iter < 50; iter++)
        {
            double gA = ridge * (a - 1), gB = ridge * b, hAA = ridge, hAB = 0, hBB = ridge;
            for (int i = 0; i < scores.Length; i++)
            {
                double p = Sigmoid(a * scores[i] + b);
                double d = p - outcomes[i], w = Math.Max(p * (1 - p), 1e-12);
                gA += d * scores[i];
                gB += d;
                hAA += w * scores[i] * scores[i];
                hAB += w * scores[i];
                hBB += w;
            }

            double det = hAA * hBB - hAB * hAB;
            if (Math.Abs(det) < 1e-18) break;
            double da = (hBB * gA - hAB * gB) / det, db = (hAA * gB - hAB * gA) / det;
            a -= da;
            b -= db;
            if (Math.Abs(da) + Math.Abs(db) < 1e-10) break;
        }

        return double.IsFinite(a) && double.IsFinite(b) ? new PlattCalibration(a, b) : Identity;
    }

    /// <summary>The calibrated probability of a score.</summary>
    public double Probability(double score) => Sigmoid(A * score + B);

    /// <summary>The logistic function.</summary>
    public static double Sigmoid(double z) => z >= 0 ? 1 / (1 + Math.Exp(-z)) : Math.Exp(z) / (1 + Math.Exp(z));
}
