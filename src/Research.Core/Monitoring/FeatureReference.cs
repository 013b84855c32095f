using System.Text.Json;
using Research.Core.Configuration;
using Research.Core.Evaluation;
using Research.Core.IO;

namespace Research.Core.Monitoring;

/// <summary>
/// The training window's feature distributions, saved with a model so a server can measure drift: per feature, its
/// quantiles at <c>i / (points − 1)</c> (NumPy's linear interpolation) of the raw (unscaled) values pooled over
/// tickers and training dates. The quantiles stand in for the reference sample in <see cref="DistributionDrift"/>.
/// </summary>
/// <param name="Features">Feature names, in the model's order.</param>
/// <param name="Rows">Finite values behind each feature's quantiles.</param>
/// <param name="Quantiles">Per feature, its quantiles (ascending); empty when the feature had no finite value.</param>
public sealed record FeatureReference(IReadOnlyList<string> Features, long[] Rows, double[][] Quantiles)
{
    /// <summary>The file a model folder keeps it in.</summary>
    public const string FileName = "feature_reference.json";

    /// <summary>Default number of quantiles kept per feature (every 0.1 %).</summary>
    public const int DefaultPoints = 1001;

    /// <summary>Fits on dates [<paramref name="start"/>, <paramref name="end"/>) of raw features ([ticker][date × f]).</summary>
    public static FeatureReference Fit(float[][] raw, IReadOnlyList<string> names, int start, int end, int points = DefaultPoints)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(points, 2);
        int f = names.Count;
        var rows = new long[f];
        var quantiles = new double[f][];
        var values = new List<double>();
        for (int j = 0; j < f; j++)
        {
            values.Clear();
            foreach (var ticker in raw)
            {
                int dates = ticker.Length / f;
                for (int t = Math.Max(0, start); t < Math.Min(end, dates); t++)
                {
                    float v = ticker[t * f + j];
                    if (float.IsFinite(v)) values.Add(v);
                }
            }

            var sorted = values.ToArray();
            Array.Sort(sorted);
            rows[j] = sorted.Length;
            quantiles[j] = sorted.Length == 0 ? [] : Enumerable.Range(0, points).Select(i => NumPy.PercentileOfSorted(sorted, 100.0 * i / (points - 1))).ToArray();
        }

        return new FeatureReference([.. names], rows, quantiles);
    }

    /// <summary>Writes <see cref="FileName"/> into <paramref name="folder"/>.</summary>
    public void Save(string folder) => AtomicFile.WriteAllText(Path.Combine(folder, FileName), JsonSerializer.Serialize(this, ConfigJson.Options));

    /// <summary>Reads <see cref="FileName"/> from <paramref name="folder"/>; null for a model saved without one.</summary>
    public static FeatureReference? TryLoad(string folder)
    {
        string path = Path.Combine(folder, FileName);
        return File.Exists(path) ? JsonSerializer.Deserialize<FeatureReference>(File.ReadAllText(path), ConfigJson.Options) : null;
    }
}
