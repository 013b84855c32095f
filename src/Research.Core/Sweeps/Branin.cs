namespace Research.Core.Sweeps;

/// <summary>The Branin–Hoo function on x1 ∈ [−5, 10], x2 ∈ [0, 15]; global minimum 0.397887 at (−π, 12.275),
/// (π, 2.275) and (9.42478, 2.475).</summary>
public static class Branin
{
    /// <summary>The global minimum.</summary>
    public const double GlobalMinimum = 0.397887;

    /// <summary>Its space: <c>x1</c> uniform(−5, 10), <c>x2</c> uniform(0, 15).</summary>
    public static SearchSpace Space { get; } = new([Param.Uniform("x1", -5, 10), Param.Uniform("x2", 0, 15)]);

    /// <summary>f(x1, x2) = (x2 − 5.1/(4π²)·x1² + 5/π·x1 − 6)² + 10·(1 − 1/(8π))·cos x1 + 10.</summary>
    public static double Evaluate(double x1, double x2)
    {
        double b = 5.1 / (4 * Math.PI * Math.PI), c = 5 / Math.PI, t = 1 / (8 * Math.PI);
        double u = x2 - b * x1 * x1 + c * x1 - 6;
        return u * u + 10 * (1 - t) * Math.Cos(x1) + 10;
    }

    /// <summary>f at a trial's <c>x1</c>, <c>x2</c>.</summary>
    public static double Evaluate(Trial trial) => Evaluate(trial.Double("x1"), trial.Double("x2"));
}
