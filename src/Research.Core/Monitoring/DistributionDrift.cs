using Research.Core.Evaluation;

namespace Research.Core.Monitoring;

/// <summary>
/// How far a live sample has drifted from a reference sample: the population stability index over bins at the
/// reference's quantiles, and the two-sample Kolmogorov–Smirnov statistic. Non-finite values are ignored.
/// </summary>
public static class DistributionDrift
{
    /// <summary>Smallest bin share used in the PSI's logarithm, so an empty bin gives a large but finite term.</summary>
    public const double MinShare = 1e-4;

    /// <summary>
    /// PSI = Σ (live − ref) · ln(live / ref) over <paramref name="bins"/> bins whose inner edges are the reference's
    /// quantiles at k / bins (NumPy's linear interpolation), each bin (lower, upper]; shares floored at
    /// <see cref="MinShare"/>. NaN when either sample has no finite value.
    /// </summary>
    public static double Psi(ReadOnlySpan<double> reference, ReadOnlySpan<double> live, int bins = 10)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(bins, 2);
        var r = SortedFinite(reference);
        var l = SortedFinite(live);
        if (r.Length == 0 || l.Length == 0) return double.NaN;
        var edges = new double[bins - 1];
        for (int k = 1; k < bins; k++) edges[k - 1] = NumPy.PercentileOfSorted(r, 100.0 * k / bins);
        var refShares = Shares(r, edges);
        var liveShares = Shares(l, edges);
        double psi = 0;
        for (int b = 0; b < bins; b++)
        {
            double p = Math.Max(liveShares[b], MinShare), q = Math.Max(refShares[b], MinShare);
            psi += (p - q) * Math.Log(p / q);
        }

        return psi;
    }

    /// <summary>
    /// The two-sample Kolmogorov–Smirnov statistic sup |F_a(x) − F_b(x)| of the empirical CDFs (ties counted
    /// together). NaN when either sample has no finite value.
    /// </summary>
    public static double KolmogorovSmirnov(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        var x = SortedFinite(a);
        var y = SortedFinite(b);
        if (x.Length == 0 || y.Length == 0) return double.NaN;
        int i = 0, j = 0;
        double d = 0;
        while (i < x.Length && j < y.Length)
        {
            double v = Math.Min(x[i], y[j]);
            while (i < x.Length && x[i] == v) i++;
            while (j < y.Length && y[j] == v) j++;
            d = Math.Max(d, Math.Abs((double)i / x.Length - (double)j / y.Length));
        }

        return d;
    }

    /// <summary>Share of <paramref name="sorted"/> in each bin (−∞, e₀], (e₀, e₁], …, (eₘ, ∞).</summary>
    private static double[] Shares(double[] sorted, double[] edges)
    {
        var shares = new double[edges.Length + 1];
        int below = 0;
        for (int k = 0; k < edges.Length; k++)
        {
            int upTo = UpperBound(sorted, edges[k]);
            shares[k] = (double)(upTo - below) / sorted.Length;
            below = upTo;
        }

        shares[^1] = (double)(sorted.Length - below) / sorted.Length;
        return shares;
    }

    /// <summary>Number of values ≤ <paramref name="x"/>.</summary>
    private static int UpperBound(double[] sorted, double x)
    {
        int lo = 0, hi = sorted.Length;
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] <= x) lo = mid + 1;
            else hi = mid;
        }

        return lo;
    }

    private static double[] SortedFinite(ReadOnlySpan<double> values)
    {
        var list = new List<double>(values.Length);
        foreach (double v in values) if (double.IsFinite(v)) list.Add(v);
        var result = list.ToArray();
        Array.Sort(result);
        return result;
    }
}
