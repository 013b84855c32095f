namespace Research.Core.Evaluation;

/// <summary>
/// The few NumPy/SciPy reductions the metrics are defined with, written to follow their conventions exactly:
/// <c>nan*</c> variants skip NaN, plain variants propagate it; percentiles use NumPy's default linear interpolation.
/// </summary>
internal static class NumPy
{
    /// <summary>Number of non-NaN values.</summary>
    public static int CountValid(ReadOnlySpan<double> x)
    {
        int n = 0;
        foreach (double v in x) if (!double.IsNaN(v)) n++;
        return n;
    }

    /// <summary>The non-NaN values, in order.</summary>
    public static double[] DropNaN(ReadOnlySpan<double> x)
    {
        var result = new double[CountValid(x)];
        int k = 0;
        foreach (double v in x) if (!double.IsNaN(v)) result[k++] = v;
        return result;
    }

    /// <summary><c>np.nanmean</c>: mean of the non-NaN values; NaN when there are none.</summary>
    public static double NanMean(ReadOnlySpan<double> x)
    {
        double sum = 0;
        int n = 0;
        foreach (double v in x)
        {
            if (double.IsNaN(v)) continue;
            sum += v;
            n++;
        }

        return n == 0 ? double.NaN : sum / n;
    }

    /// <summary><c>np.mean</c>: NaN if any value is NaN or the span is empty.</summary>
    public static double Mean(ReadOnlySpan<double> x)
    {
        if (x.IsEmpty) return double.NaN;
        double sum = 0;
        foreach (double v in x) sum += v;
        return sum / x.Length;
    }

    /// <summary><c>np.nanstd(x, ddof)</c>: two-pass standard deviation of the non-NaN values; NaN when n - ddof &lt;= 0.</summary>
    public static double NanStd(ReadOnlySpan<double> x, int ddof)
    {
        double mean = NanMean(x);
        int n = CountValid(x);
        if (n - ddof <= 0) return double.NaN;
        double ss = 0;
        foreach (double v in x)
        {
            if (double.IsNaN(v)) continue;
            double d = v - mean;
            ss += d * d;
        }

        return Math.Sqrt(ss / (n - ddof));
    }

    /// <summary><c>np.nanmin</c>: NaN when every value is NaN.</summary>
    public static double NanMin(ReadOnlySpan<double> x)
    {
        double m = double.NaN;
        foreach (double v in x)
        {
            if (double.IsNaN(v)) continue;
            if (double.IsNaN(m) || v < m) m = v;
        }

        return m;
    }

    /// <summary><c>np.nanmax</c>: NaN when every value is NaN.</summary>
    public static double NanMax(ReadOnlySpan<double> x)
    {
        double m = double.NaN;
        foreach (double v in x)
        {
            if (double.IsNaN(v)) continue;
            if (double.IsNaN(m) || v > m) m = v;
        }

        return m;
    }

    /// <summary>
    /// <c>np.percentile(x, q)</c> with the default <c>method='linear'</c> (type 7): the value at virtual index
    /// (n-1)·q/100, interpolated as NumPy's <c>_lerp</c> does. NaN if any value is NaN or the span is empty.
    /// </summary>
    public static double Percentile(ReadOnlySpan<double> x, double q)
    {
        if (x.IsEmpty) return double.NaN;
        foreach (double v in x) if (double.IsNaN(v)) return double.NaN;
        var sorted = x.ToArray();
        Array.Sort(sorted);
        return PercentileOfSorted(sorted, q);
    }

    /// <summary><see cref="Percentile"/> over values already sorted ascending and free of NaN.</summary>
    public static double PercentileOfSorted(ReadOnlySpan<double> sorted, double q)
    {
        if (sorted.IsEmpty) return double.NaN;
        double virtualIndex = (sorted.Length - 1) * (q / 100.0);
        double previous = Math.Floor(virtualIndex);
        int lo = (int)Math.Clamp(previous, 0, sorted.Length - 1);
        int hi = Math.Min(lo + 1, sorted.Length - 1);
        double gamma = virtualIndex - previous;
        double a = sorted[lo], b = sorted[hi];
        double diff = b - a;
        // numpy._lerp: a + diff*t, but b - diff*(1-t) when t >= 0.5 (keeps the result monotone and exact at t = 1).
        return gamma >= 0.5 ? b - diff * (1 - gamma) : a + diff * gamma;
    }

    /// <summary>
    /// <c>scipy.stats.skew(x)</c> with its defaults (bias=True, nan_policy='propagate'): m3 / m2^1.5 with central
    /// moments over n; NaN when m2 is zero to within float resolution (SciPy &gt;= 1.9), when any value is NaN, or
    /// when the span is empty.
    /// </summary>
    public static double Skew(ReadOnlySpan<double> x)
    {
        if (!CentralMoments(x, out double mean, out double m2, out double m3, out _)) return double.NaN;
        if (IsZeroVariance(m2, mean)) return double.NaN;
        return m3 / Math.Pow(m2, 1.5);
    }

    /// <summary>
    /// <c>scipy.stats.kurtosis(x)</c> with its defaults (fisher=True, bias=True): m4 / m2² - 3 (excess kurtosis).
    /// NaN in the same cases as <see cref="Skew"/>.
    /// </summary>
    public static double Kurtosis(ReadOnlySpan<double> x)
    {
        if (!CentralMoments(x, out double mean, out double m2, out _, out double m4)) return double.NaN;
        if (IsZeroVariance(m2, mean)) return double.NaN;
        return m4 / (m2 * m2) - 3.0;
    }

    private static bool IsZeroVariance(double m2, double mean)
    {
        const double resolution = 1e-15; // np.finfo(float64).resolution
        double r = resolution * mean;
        return m2 <= r * r;
    }

    private static bool CentralMoments(ReadOnlySpan<double> x, out double mean, out double m2, out double m3,
        out double m4)
    {
        mean = Mean(x);
        m2 = m3 = m4 = double.NaN;
        if (double.IsNaN(mean)) return false;
        double s2 = 0, s3 = 0, s4 = 0;
        foreach (double v in x)
        {
            double d = v - mean;
            double d2 = d * d;
            s2 += d2;
            s3 += d2 * d;
            s4 += d2 * d2;
        }

        m2 = s2 / x.Length;
        m3 = s3 / x.Length;
        m4 = s4 / x.Length;
        return true;
    }
}
