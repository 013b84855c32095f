using System.Globalization;

namespace Research.LoadGen;

/// <summary>
/// Latencies in log-linear buckets (each 1 % wider than the last, from 1 µs to about 60 s) for the histogram, and
/// every value kept for exact percentiles (a 30 s run at 500/s is 15,000 values).
/// </summary>
internal sealed class LatencyHistogram
{
    private const double Smallest = 1e-6;
    private static readonly double Growth = Math.Log(1.01);
    private readonly long[] _buckets = new long[1800];
    private readonly List<double> _values = [];

    public int Count => _values.Count;

    public void Record(double seconds)
    {
        _values.Add(seconds);
        int b = seconds <= Smallest ? 0 : Math.Min(_buckets.Length - 1, (int)(Math.Log(seconds / Smallest) / Growth) + 1);
        _buckets[b]++;
    }

    /// <summary>The <paramref name="q"/> quantile (nearest rank), NaN when empty.</summary>
    public double Percentile(double q)
    {
        if (_values.Count == 0) return double.NaN;
        var sorted = _values.Order().ToArray();
        int rank = (int)Math.Ceiling(q * sorted.Length);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
    }

    public double Max => _values.Count == 0 ? double.NaN : _values.Max();

    /// <summary>Counts at or below each of <paramref name="bounds"/> (seconds) and above the last.</summary>
    public IEnumerable<(string Label, long Count)> Coarse(double[] bounds)
    {
        double lower = 0;
        foreach (var bound in bounds)
        {
            double l = lower;
            yield return ($"≤ {bound * 1000:0.###} ms", _values.LongCount(v => v > l && v <= bound));
            lower = bound;
        }

        yield return ($"> {lower * 1000:0.###} ms", _values.LongCount(v => v > lower));
    }

    /// <summary>Writes the non-empty buckets as CSV (upper bound in ms, count).</summary>
    public void WriteCsv(string path)
    {
        using var writer = new StreamWriter(path);
        writer.WriteLine("upper_ms,count");
        for (int b = 0; b < _buckets.Length; b++)
        {
            if (_buckets[b] == 0) continue;
            double upper = Smallest * Math.Exp(Growth * b) * 1000;
            writer.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{upper:G6},{_buckets[b]}"));
        }
    }
}
