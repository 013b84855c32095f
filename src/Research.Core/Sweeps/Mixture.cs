namespace Research.Core.Sweeps;

/// <summary>Small helpers for mixtures.</summary>
internal static class Mixture
{
    /// <summary>Index drawn with probability proportional to <paramref name="weights"/> (which sum to 1).</summary>
    public static int PickComponent(double[] weights, Random rng)
    {
        double u = rng.NextDouble(), acc = 0;
        for (int i = 0; i < weights.Length; i++)
        {
            acc += weights[i];
            if (u < acc) return i;
        }
        return weights.Length - 1;
    }

    /// <summary>log Σ exp(x).</summary>
    public static double LogSumExp(double[] x)
    {
        double max = x.Max();
        if (double.IsNegativeInfinity(max)) return max;
        double s = 0;
        foreach (double v in x) s += Math.Exp(v - max);
        return max + Math.Log(s);
    }
}
