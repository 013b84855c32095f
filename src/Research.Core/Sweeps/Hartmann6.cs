namespace Research.Core.Sweeps;

/// <summary>The 6-D Hartmann function on [0, 1]^6; global minimum −3.32237 at
/// (0.20169, 0.150011, 0.476874, 0.275332, 0.311652, 0.6573).</summary>
public static class Hartmann6
{
    /// <summary>The global minimum.</summary>
    public const double GlobalMinimum = -3.32237;

    private static readonly double[] Alpha = [1.0, 1.2, 3.0, 3.2];

    private static readonly double[,] A =
    {
        { 10, 3, 17, 3.5, 1.7, 8 },
        { 0.05, 10, 17, 0.1, 8, 14 },
        { 3, 3.5, 1.7, 10, 17, 8 },
        { 17, 8, 0.05, 10, 0.1, 14 },
    };

    private static readonly double[,] P =
    {
        { 1312, 1696, 5569, 124, 8283, 5886 },
        { 2329, 4135, 8307, 3736, 1004, 9991 },
        { 2348, 1451, 3522, 2883, 3047, 6650 },
        { 4047, 8828, 8732, 5743, 1091, 381 },
    };

    /// <summary>Its space: <c>x1</c> … <c>x6</c>, each uniform(0, 1).</summary>
    public static SearchSpace Space { get; } = new(Enumerable.Range(1, 6).Select(i => (ParameterSpec)Param.Uniform($"x{i}", 0, 1)));

    /// <summary>f(x) = −Σᵢ αᵢ exp(−Σⱼ Aᵢⱼ (xⱼ − Pᵢⱼ)²), P scaled by 10⁻⁴.</summary>
    public static double Evaluate(ReadOnlySpan<double> x)
    {
        if (x.Length != 6) throw new ArgumentException("Hartmann-6 takes 6 coordinates.", nameof(x));
        double f = 0;
        for (int i = 0; i < 4; i++)
        {
            double s = 0;
            for (int j = 0; j < 6; j++)
            {
                double d = x[j] - P[i, j] * 1e-4;
                s += A[i, j] * d * d;
            }
            f -= Alpha[i] * Math.Exp(-s);
        }
        return f;
    }

    /// <summary>f at a trial's <c>x1</c> … <c>x6</c>.</summary>
    public static double Evaluate(Trial trial)
    {
        Span<double> x = stackalloc double[6];
        for (int j = 0; j < 6; j++) x[j] = trial.Double($"x{j + 1}");
        return Evaluate(x);
    }
}
