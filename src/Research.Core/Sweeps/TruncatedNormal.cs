using MathNet.Numerics;

namespace Research.Core.Sweeps;

/// <summary>Normal distribution truncated to [a, b], in standardised units, computed on the side of the tail that keeps
/// precision (mirroring intervals that lie above the mean).</summary>
internal static class TruncatedNormal
{
    private const double Sqrt2 = 1.4142135623730951;
    private static readonly double LogSqrt2Pi = 0.5 * Math.Log(2 * Math.PI);

    /// <summary>Standard normal CDF.</summary>
    public static double Cdf(double z) => 0.5 * SpecialFunctions.Erfc(-z / Sqrt2);

    /// <summary>P(a ≤ Z ≤ b) for a standard normal Z.</summary>
    public static double Mass(double a, double b) => a > 0 ? Cdf(-a) - Cdf(-b) : Cdf(b) - Cdf(a);

    /// <summary>Draws from N(mu, sigma²) restricted to [low, high] by inverting the CDF.</summary>
    public static double Sample(Random rng, double mu, double sigma, double low, double high)
    {
        double a = (low - mu) / sigma, b = (high - mu) / sigma;
        bool mirror = a > 0;
        if (mirror) (a, b) = (-b, -a);
        double ca = Cdf(a), cb = Cdf(b);
        double u = ca + rng.NextDouble() * (cb - ca);
        double z = u <= 0 ? a : -Sqrt2 * SpecialFunctions.ErfcInv(2 * u);
        z = Math.Clamp(z, a, b);
        double x = mu + sigma * (mirror ? -z : z);
        return Math.Clamp(x, low, high);
    }

    /// <summary>Log density at x of N(mu, sigma²) truncated to [low, high].</summary>
    public static double LogPdf(double x, double mu, double sigma, double low, double high)
    {
        double z = (x - mu) / sigma;
        double mass = Mass((low - mu) / sigma, (high - mu) / sigma);
        return -0.5 * z * z - LogSqrt2Pi - Math.Log(sigma) - Math.Log(Math.Max(mass, 1e-300));
    }

    /// <summary>Log probability of the cell [x − step/2, x + step/2] under N(mu, sigma²) truncated to
    /// [low − step/2, high + step/2].</summary>
    public static double LogPmf(double x, double step, double mu, double sigma, double low, double high)
    {
        double h = step / 2;
        double cell = Mass((x - h - mu) / sigma, (x + h - mu) / sigma);
        double mass = Mass((low - h - mu) / sigma, (high + h - mu) / sigma);
        return Math.Log(Math.Max(cell, 1e-300)) - Math.Log(Math.Max(mass, 1e-300));
    }
}
