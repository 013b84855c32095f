namespace Research.Core.Agents.Normalization;

/// <summary>
/// Per-component running mean and variance of a stream of vectors, merged batch by batch with the parallel algorithm
/// (Chan et al.), as Stable-Baselines3's <c>RunningMeanStd</c>: it starts at mean 0, variance 1 and a count of ε = 1e-4.
/// </summary>
public sealed class RunningMeanStd
{
    /// <summary>Statistics of vectors of <paramref name="size"/> components.</summary>
    public RunningMeanStd(int size, double epsilon = 1e-4)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
        Mean = new double[size];
        Var = new double[size];
        Array.Fill(Var, 1.0);
        Count = epsilon;
    }

    /// <summary>Running means.</summary>
    public double[] Mean { get; }

    /// <summary>Running (population) variances.</summary>
    public double[] Var { get; }

    /// <summary>Number of vectors seen (plus the initial ε).</summary>
    public double Count { get; set; }

    /// <summary>Number of components.</summary>
    public int Size => Mean.Length;

    /// <summary>Merges a batch of <paramref name="rows"/> vectors laid out row after row in <paramref name="batch"/>.</summary>
    public void Update(ReadOnlySpan<float> batch, int rows)
    {
        int size = Size;
        if (rows < 1) return;
        if (batch.Length < rows * size) throw new ArgumentException($"batch has {batch.Length} values; {rows} rows of {size} need {rows * size}.", nameof(batch));
        double total = Count + rows;
        for (int j = 0; j < size; j++)
        {
            double sum = 0;
            for (int r = 0; r < rows; r++) sum += batch[r * size + j];
            double batchMean = sum / rows;
            double sq = 0;
            for (int r = 0; r < rows; r++)
            {
                double d = batch[r * size + j] - batchMean;
                sq += d * d;
            }

            double batchVar = sq / rows;
            double delta = batchMean - Mean[j];
            double m2 = Var[j] * Count + batchVar * rows + delta * delta * Count * rows / total;
            Mean[j] += delta * rows / total;
            Var[j] = m2 / total;
        }

        Count = total;
    }

    /// <summary>Merges a batch of scalars (a statistic of size 1).</summary>
    public void Update(ReadOnlySpan<double> values)
    {
        if (Size != 1) throw new InvalidOperationException("Scalar updates need a statistic of size 1.");
        int n = values.Length;
        if (n == 0) return;
        double sum = 0;
        foreach (double v in values) sum += v;
        double batchMean = sum / n, sq = 0;
        foreach (double v in values) sq += (v - batchMean) * (v - batchMean);
        double batchVar = sq / n, total = Count + n, delta = batchMean - Mean[0];
        double m2 = Var[0] * Count + batchVar * n + delta * delta * Count * n / total;
        Mean[0] += delta * n / total;
        Var[0] = m2 / total;
        Count = total;
    }

    /// <summary>Copies another statistic's values into this one (same size).</summary>
    public void CopyFrom(RunningMeanStd other)
    {
        if (other.Size != Size) throw new ArgumentException($"Sizes differ: {other.Size} vs {Size}.", nameof(other));
        other.Mean.CopyTo(Mean, 0);
        other.Var.CopyTo(Var, 0);
        Count = other.Count;
    }
}
