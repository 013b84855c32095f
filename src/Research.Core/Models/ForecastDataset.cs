using Research.Core.Data.Splits;

namespace Research.Core.Models;

/// <summary>One training example: the window of <c>Ticker</c> ending at date index <c>Date</c> (inclusive).</summary>
/// <param name="Ticker">Ticker index.</param>
/// <param name="Date">Last date of the window; the target is the return after it.</param>
public readonly record struct Sample(int Ticker, int Date);

/// <summary>
/// Windows over normalised per-ticker features with targets strictly after each window. A block's samples end their
/// window at t with t + horizon inside the block, so no target reaches into the next block.
/// </summary>
public sealed class ForecastDataset
{
    /// <summary>Creates the dataset over normalised features ([ticker][date × f]) and raw targets ([ticker][date]).</summary>
    public ForecastDataset(float[][] features, float[][] targets, int featureCount, int window, int horizon, double targetScale)
    {
        Features = features;
        Targets = targets;
        FeatureCount = featureCount;
        Window = window;
        Horizon = horizon;
        TargetScale = targetScale;
    }

    /// <summary>Normalised features per ticker.</summary>
    public float[][] Features { get; }

    /// <summary>Forward log returns per ticker (target at t is the return from t to t + horizon).</summary>
    public float[][] Targets { get; }

    /// <summary>Features per time step.</summary>
    public int FeatureCount { get; }

    /// <summary>Window length.</summary>
    public int Window { get; }

    /// <summary>Target horizon in days.</summary>
    public int Horizon { get; }

    /// <summary>The regression target is divided by this (the training target's standard deviation).</summary>
    public double TargetScale { get; }

    /// <summary>Every valid sample whose window ends in <paramref name="block"/> and whose target stays inside it.</summary>
    public List<Sample> Samples(DateSplit block)
    {
        var list = new List<Sample>();
        for (int t = Math.Max(block.Start, Window - 1); t + Horizon < block.End; t++)
        {
            for (int k = 0; k < Features.Length; k++)
                if (IsValid(k, t)) list.Add(new Sample(k, t));
        }

        return list;
    }

    /// <summary>Whether the window of ticker <paramref name="k"/> ending at <paramref name="t"/> and its target are all finite.</summary>
    public bool IsValid(int k, int t)
    {
        if (t - Window + 1 < 0 || !float.IsFinite(Targets[k][t])) return false;
        var x = Features[k].AsSpan((t - Window + 1) * FeatureCount, Window * FeatureCount);
        foreach (var v in x)
            if (!float.IsFinite(v)) return false;
        return true;
    }

    /// <summary>Copies the samples' windows into <paramref name="x"/> ([n × window × f]), scaled targets into <paramref name="y"/>, tickers into <paramref name="tickers"/>.</summary>
    public void Fill(IReadOnlyList<Sample> samples, int offset, int count, Span<float> x, Span<float> y, Span<long> tickers)
    {
        int size = Window * FeatureCount;
        for (int i = 0; i < count; i++)
        {
            var s = samples[offset + i];
            Features[s.Ticker].AsSpan((s.Date - Window + 1) * FeatureCount, size).CopyTo(x.Slice(i * size, size));
            y[i] = (float)(Targets[s.Ticker][s.Date] / TargetScale);
            tickers[i] = s.Ticker;
        }
    }
}
