namespace Research.Core.Sweeps;

/// <summary>Settings of <see cref="TpeSearch"/>; the defaults are those of Optuna's <c>TPESampler</c>.</summary>
public sealed record TpeOptions
{
    /// <summary>Finished trials drawn at random before TPE takes over (Optuna: <c>n_startup_trials</c> = 10).</summary>
    public int StartupTrials { get; init; } = 10;

    /// <summary>Candidates drawn from l(x) per parameter, the best l/g kept (<c>n_ei_candidates</c> = 24).</summary>
    public int EiCandidates { get; init; } = 24;

    /// <summary>Weight of the prior kernel (<c>prior_weight</c> = 1.0).</summary>
    public double PriorWeight { get; init; } = 1.0;

    /// <summary>Whether the edge kernels' bandwidths look at the bounds (<c>consider_endpoints</c> = false).</summary>
    public bool ConsiderEndpoints { get; init; }

    /// <summary>Clip bandwidths to [range / min(100, 1 + kernels), range] (<c>consider_magic_clip</c> = true).</summary>
    public bool MagicClip { get; init; } = true;

    /// <summary>Size of the "good" group for n finished trials: min(ceil(0.1·n), 25).</summary>
    public Func<int, int> Gamma { get; init; } = DefaultGamma;

    /// <summary>Optuna's default gamma: min(ceil(0.1·n), 25).</summary>
    public static int DefaultGamma(int n) => Math.Min((int)Math.Ceiling(0.1 * n), 25);

    /// <summary>Optuna's default observation weights (oldest first): all 1 below 25 observations, otherwise a ramp
    /// from 1/n to 1 over the oldest n − 25 followed by 25 ones.</summary>
    public static double[] DefaultWeights(int n)
    {
        var w = new double[n];
        if (n < 25) { Array.Fill(w, 1.0); return w; }
        int ramp = n - 25;
        for (int i = 0; i < ramp; i++) w[i] = ramp == 1 ? 1.0 / n : 1.0 / n + (1 - 1.0 / n) * i / (ramp - 1);
        for (int i = ramp; i < n; i++) w[i] = 1.0;
        return w;
    }
}
