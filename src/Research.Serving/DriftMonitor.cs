using System.Text.Json.Serialization;
using Research.Core.Monitoring;

namespace Research.Serving;

/// <summary>
/// Feature drift of the served rows against the training window: keeps the raw feature rows of the last
/// <c>window</c> predictions (each predicted ticker's row at the date predicted for) and compares each feature's
/// values with the model's <see cref="FeatureReference"/> by PSI (10 bins at the reference deciles) and the
/// two-sample KS statistic. A model with other features (after a reload) starts a new window.
/// </summary>
public sealed class DriftMonitor(int window)
{
    private readonly Lock _lock = new();
    private IReadOnlyList<string> _features = [];
    private float[] _rows = [];
    private int _next;
    private int _count;

    /// <summary>Adds one served row of <paramref name="model"/>'s features.</summary>
    public void Observe(ServedModel model, ReadOnlySpan<float> row)
    {
        lock (_lock)
        {
            if (!_features.SequenceEqual(model.Info.Features))
            {
                _features = model.Info.Features;
                _rows = new float[window * _features.Count];
                _next = _count = 0;
            }

            row.CopyTo(_rows.AsSpan(_next * row.Length, row.Length));
            _next = (_next + 1) % window;
            _count = Math.Min(_count + 1, window);
        }
    }

    /// <summary>The drift of the rows served so far against <paramref name="model"/>'s reference; null when it has none.</summary>
    public DriftReport? Report(ServedModel model)
    {
        if (model.Forecaster.Reference is not { } reference) return null;
        var names = model.Info.Features;
        var live = new double[names.Count][];
        int rows;
        lock (_lock)
        {
            bool same = _features.SequenceEqual(names);
            rows = same ? _count : 0;
            for (int j = 0; j < names.Count; j++)
            {
                live[j] = new double[rows];
                for (int i = 0; i < rows; i++) live[j][i] = _rows[i * names.Count + j];
            }
        }

        var features = new Dictionary<string, FeatureDrift>(names.Count, StringComparer.Ordinal);
        for (int j = 0; j < names.Count; j++)
        {
            int at = IndexOf(reference.Features, names[j]);
            double[] quantiles = at < 0 ? [] : reference.Quantiles[at];
            int n = live[j].Count(double.IsFinite);
            features[names[j]] = new FeatureDrift(Defined(DistributionDrift.Psi(quantiles, live[j])), Defined(DistributionDrift.KolmogorovSmirnov(quantiles, live[j])), n);
        }

        return new DriftReport(features, reference.Rows.Length == 0 ? 0 : reference.Rows.Max(), rows);
    }

    private static double? Defined(double x) => double.IsFinite(x) ? x : null;

    private static int IndexOf(IReadOnlyList<string> names, string name)
    {
        for (int i = 0; i < names.Count; i++) if (names[i] == name) return i;
        return -1;
    }
}

/// <summary>One feature's drift.</summary>
/// <param name="Psi">Population stability index (null with no finite live value).</param>
/// <param name="Ks">Two-sample Kolmogorov–Smirnov statistic (null with no finite live value).</param>
/// <param name="N">Finite live values compared.</param>
public sealed record FeatureDrift(
    [property: JsonPropertyName("psi")] double? Psi,
    [property: JsonPropertyName("ks")] double? Ks,
    [property: JsonPropertyName("n")] int N);

/// <summary>What <c>GET /v1/model/drift</c> returns.</summary>
/// <param name="Features">Drift by feature name.</param>
/// <param name="ReferenceRows">Training values behind the reference (the most of any feature).</param>
/// <param name="LiveRows">Served rows in the window.</param>
public sealed record DriftReport(
    [property: JsonPropertyName("features")] IReadOnlyDictionary<string, FeatureDrift> Features,
    [property: JsonPropertyName("reference_rows")] long ReferenceRows,
    [property: JsonPropertyName("live_rows")] int LiveRows);
