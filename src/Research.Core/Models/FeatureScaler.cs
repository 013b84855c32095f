namespace Research.Core.Models;

/// <summary>
/// Per-feature z-score statistics fitted on the training dates only (pooled over tickers, valid values only) and
/// applied forward, with values clipped to ±<see cref="Clip"/>; the target's standard deviation scales the regression
/// target. Serialisable with the model so serving normalises exactly as training did.
/// </summary>
public sealed record FeatureScaler(double[] Mean, double[] Std, double TargetStd, double Clip = 5)
{
    /// <summary>Fits on dates [<paramref name="start"/>, <paramref name="end"/>) of <paramref name="features"/> ([ticker][date × f]) and the targets.</summary>
    public static FeatureScaler Fit(float[][] features, float[][] targets, int featureCount, int start, int end)
    {
        var sum = new double[featureCount];
        var sum2 = new double[featureCount];
        var count = new long[featureCount];
        double ty = 0, ty2 = 0;
        long tn = 0;
        for (int k = 0; k < features.Length; k++)
        {
            for (int t = start; t < end; t++)
            {
                for (int j = 0; j < featureCount; j++)
                {
                    float v = features[k][t * featureCount + j];
                    if (!float.IsFinite(v)) continue;
                    sum[j] += v;
                    sum2[j] += (double)v * v;
                    count[j]++;
                }

                float y = targets[k][t];
                if (float.IsFinite(y))
                {
                    ty += y;
                    ty2 += (double)y * y;
                    tn++;
                }
            }
        }

        if (tn < 2 || count.Any(c => c < 2)) throw new ArgumentException("Too few valid training values to fit the feature scaler.", nameof(features));
        var mean = new double[featureCount];
        var std = new double[featureCount];
        for (int j = 0; j < featureCount; j++)
        {
            mean[j] = sum[j] / count[j];
            std[j] = Math.Sqrt(Math.Max(1e-24, (sum2[j] - sum[j] * sum[j] / count[j]) / (count[j] - 1)));
        }

        double targetStd = Math.Sqrt(Math.Max(1e-24, (ty2 - ty * ty / tn) / (tn - 1)));
        return new FeatureScaler(mean, std, targetStd);
    }

    /// <summary>Normalised copy of <paramref name="features"/> ([ticker][date × f]); NaN stays NaN.</summary>
    public float[][] Transform(float[][] features)
    {
        int f = Mean.Length;
        var result = new float[features.Length][];
        for (int k = 0; k < features.Length; k++)
        {
            var src = features[k];
            var dst = new float[src.Length];
            for (int i = 0; i < src.Length; i++)
            {
                int j = i % f;
                dst[i] = float.IsFinite(src[i]) ? (float)Math.Clamp((src[i] - Mean[j]) / Std[j], -Clip, Clip) : float.NaN;
            }

            result[k] = dst;
        }

        return result;
    }

    /// <summary>Normalises one raw window in place ([window × f]).</summary>
    public void TransformInPlace(Span<float> window)
    {
        int f = Mean.Length;
        for (int i = 0; i < window.Length; i++)
        {
            int j = i % f;
            window[i] = (float)Math.Clamp((window[i] - Mean[j]) / Std[j], -Clip, Clip);
        }
    }
}
