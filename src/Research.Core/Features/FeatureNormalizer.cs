namespace Research.Core.Features;

/// <summary>
/// Per-feature, per-ticker scaling fitted on a block of dates (the training block) and applied to every date, so later
/// data never influences the statistics. NaN stays NaN; a feature without spread in the fit block scales by 1.
/// </summary>
public sealed class FeatureNormalizer
{
    private readonly Dictionary<string, (double[] Center, double[] Scale)> _stats;

    private FeatureNormalizer(NormalizationMethod method, Dictionary<string, (double[], double[])> stats)
    {
        Method = method;
        _stats = stats;
    }

    /// <summary>The method.</summary>
    public NormalizationMethod Method { get; }

    /// <summary>Fits centre and scale of every feature for every ticker from dates [<paramref name="start"/>, <paramref name="end"/>).</summary>
    public static FeatureNormalizer Fit(FeatureSet features, int start, int end, NormalizationMethod method)
    {
        if (start < 0 || end > features.DateCount || end <= start)
        {
            throw new ArgumentOutOfRangeException(nameof(end), $"[{start}, {end}) is not a non-empty block of {features.DateCount} dates.");
        }

        var stats = new Dictionary<string, (double[], double[])>(StringComparer.Ordinal);
        foreach (var name in features.Names)
        {
            var center = new double[features.TickerCount];
            var scale = new double[features.TickerCount];
            for (int k = 0; k < features.TickerCount; k++)
            {
                var block = features.Series(name, k)[start..end];
                var values = new List<double>(block.Length);
                foreach (var v in block) if (double.IsFinite(v)) values.Add(v);
                (center[k], scale[k]) = Statistics(values, method);
            }

            stats[name] = (center, scale);
        }

        return new FeatureNormalizer(method, stats);
    }

    /// <summary>A copy of <paramref name="features"/> with every value scaled.</summary>
    public FeatureSet Transform(FeatureSet features)
    {
        var columns = new Dictionary<string, double[]>(StringComparer.Ordinal);
        foreach (var name in features.Names)
        {
            if (!_stats.TryGetValue(name, out var s)) throw new ArgumentException($"Feature '{name}' was not in the fitted set.", nameof(features));
            var source = features.Column(name);
            var target = new double[source.Length];
            for (int k = 0; k < features.TickerCount; k++)
            {
                for (int t = 0; t < features.DateCount; t++)
                {
                    int i = k * features.DateCount + t;
                    target[i] = (source[i] - s.Center[k]) / s.Scale[k];
                }
            }

            columns[name] = target;
        }

        return new FeatureSet(features.Calendar, features.Tickers, features.Names, columns);
    }

    /// <summary>Centre and scale of ticker <paramref name="ticker"/>'s feature <paramref name="name"/>.</summary>
    public (double Center, double Scale) Get(string name, int ticker) => (_stats[name].Center[ticker], _stats[name].Scale[ticker]);

    private static (double Center, double Scale) Statistics(List<double> v, NormalizationMethod method)
    {
        if (method == NormalizationMethod.None || v.Count == 0) return (0, 1);
        double center, scale;
        switch (method)
        {
            case NormalizationMethod.ZScore:
                center = v.Average();
                double c = center;
                scale = Math.Sqrt(v.Sum(x => (x - c) * (x - c)) / v.Count);
                break;
            case NormalizationMethod.Robust:
                v.Sort();
                center = Quantile(v, 0.5);
                scale = Quantile(v, 0.75) - Quantile(v, 0.25);
                break;
            default:
                center = v.Min();
                scale = v.Max() - center;
                break;
        }

        return (center, scale > 0 && double.IsFinite(scale) ? scale : 1);
    }

    private static double Quantile(List<double> sorted, double q)
    {
        double pos = q * (sorted.Count - 1);
        int lo = (int)Math.Floor(pos);
        int hi = Math.Min(lo + 1, sorted.Count - 1);
        return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
    }
}
