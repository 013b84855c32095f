using System.Globalization;
using System.Text;
using Research.Core.Data;
using Research.Core.Features;

namespace Research.Core.Pipeline.Stages;

/// <summary>
/// Computes the configured features over the whole panel (each value from bars up to its date), fits the normaliser
/// on the training block only and applies it forward; <see cref="RunContext.Features"/> holds the normalised set.
/// </summary>
public sealed class FeatureStage : IRunStage
{
    /// <inheritdoc />
    public string Name => "features";

    /// <inheritdoc />
    public void Run(RunContext context)
    {
        var config = context.Config.Features;
        var panel = context.RequireData().Panel;
        var split = context.Split ?? throw new InvalidOperationException("The features stage needs the split stage first.");
        double[]? vix = config.Vix is { } path ? MarketDataLoader.LoadIndexCloses(path, panel.Calendar) : null;
        var (raw, ms) = FeaturePipeline.ComputeTimed(panel, config, vix);
        var normalizer = FeatureNormalizer.Fit(raw, split.Train.Start, split.Train.End, config.Normalization);
        var features = normalizer.Transform(raw);
        context.Features = features;
        context.RawFeatures = raw;
        context.Log.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  {features.Names.Count} features × {features.TickerCount} tickers × {features.DateCount:N0} dates in {ms:F0} ms; {config.Normalization} normalisation fitted on the train block ({panel.Calendar[split.Train.Start]:yyyy-MM-dd}..{panel.Calendar[split.Train.End - 1]:yyyy-MM-dd}) only"));
        context.WriteArtifact("features.md", Summary(raw, features, split.Train.Start, split.Train.End, normalizer));
        context.Metrics["features.count"] = features.Names.Count;
        context.Metrics["features.compute_ms"] = ms;
        if (raw.Names.Contains("turbulence"))
        {
            var t = raw.Series("turbulence", 0);
            context.Metrics["features.turbulence_p90_train"] = Percentile(t[split.Train.Start..split.Train.End], 0.9);
        }
    }

    private static string Summary(FeatureSet raw, FeatureSet scaled, int start, int end, FeatureNormalizer normalizer)
    {
        var sb = new StringBuilder();
        sb.AppendLine($"# Features ({raw.Names.Count}), normalisation: {normalizer.Method}, fitted on dates {start}..{end - 1}");
        sb.AppendLine();
        sb.AppendLine("| feature | missing | raw mean (train) | raw sd (train) | scaled mean (test side) |");
        sb.AppendLine("|---|---:|---:|---:|---:|");
        foreach (var name in raw.Names)
        {
            var col = raw.Column(name);
            int missing = 0;
            foreach (var v in col) if (!double.IsFinite(v)) missing++;
            var train = Values(raw, name, start, end);
            var after = Values(scaled, name, end, raw.DateCount);
            double mean = train.Count > 0 ? train.Average() : double.NaN;
            double sd = train.Count > 1 ? Math.Sqrt(train.Sum(x => (x - mean) * (x - mean)) / (train.Count - 1)) : double.NaN;
            sb.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"| {name} | {missing:N0} | {mean:G6} | {sd:G6} | {(after.Count > 0 ? after.Average() : double.NaN):F3} |"));
        }

        return sb.ToString();
    }

    private static List<double> Values(FeatureSet set, string name, int start, int end)
    {
        var r = new List<double>();
        for (int k = 0; k < set.TickerCount; k++)
        {
            foreach (var v in set.Series(name, k)[start..end]) if (double.IsFinite(v)) r.Add(v);
        }

        return r;
    }

    private static double Percentile(ReadOnlySpan<double> x, double q)
    {
        var v = x.ToArray().Where(double.IsFinite).Order().ToArray();
        if (v.Length == 0) return double.NaN;
        double pos = q * (v.Length - 1);
        int lo = (int)pos;
        return v[lo] + (pos - lo) * (v[Math.Min(lo + 1, v.Length - 1)] - v[lo]);
    }
}
