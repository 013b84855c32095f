namespace Research.Core.Evaluation.Significance;

/// <summary>Result of combinatorially symmetric cross-validation.</summary>
/// <param name="Probability">PBO: the share of splits whose in-sample best trial ranks at or below the out-of-sample
/// median (logit ≤ 0).</param>
/// <param name="Logits">λ = ln(ω / (1 - ω)) per split, ω the out-of-sample relative rank of the in-sample best.</param>
/// <param name="InSamplePerformance">Per split, the in-sample performance of the in-sample best trial.</param>
/// <param name="OutOfSamplePerformance">Per split, the out-of-sample performance of that trial.</param>
/// <param name="SelectedTrials">Per split, the index of the in-sample best trial.</param>
/// <param name="Partitions">S, the number of row blocks.</param>
/// <param name="Trials">N, the number of trials (columns).</param>
public sealed record PboResult(double Probability, double[] Logits, double[] InSamplePerformance,
    double[] OutOfSamplePerformance, int[] SelectedTrials, int Partitions, int Trials)
{
    /// <summary>Number of splits, C(S, S/2).</summary>
    public int Combinations => Logits.Length;

    /// <summary>Share of splits where the selected trial lost money out of sample (performance &lt; 0).</summary>
    public double ProbabilityOfLoss =>
        OutOfSamplePerformance.Length == 0 ? double.NaN
            : OutOfSamplePerformance.Count(p => p < 0) / (double)OutOfSamplePerformance.Length;

    /// <summary>
    /// Performance degradation: least-squares slope and intercept of out-of-sample on in-sample performance of the
    /// selected trials (a slope well below 1 means in-sample results do not carry over).
    /// </summary>
    public (double Slope, double Intercept) Degradation
    {
        get
        {
            int n = InSamplePerformance.Length;
            double mx = InSamplePerformance.Average(), my = OutOfSamplePerformance.Average();
            double sxx = 0, sxy = 0;
            for (int i = 0; i < n; i++)
            {
                sxx += (InSamplePerformance[i] - mx) * (InSamplePerformance[i] - mx);
                sxy += (InSamplePerformance[i] - mx) * (OutOfSamplePerformance[i] - my);
            }

            double slope = sxx == 0 ? double.NaN : sxy / sxx;
            return (slope, my - slope * mx);
        }
    }
}

/// <summary>
/// Probability of backtest overfitting by combinatorially symmetric cross-validation (Bailey, Borwein, López de Prado
/// &amp; Zhu 2015). The T × N matrix holds the per-period returns of N trials (strategy configurations) over the same T
/// periods. Its rows are cut into S contiguous blocks (sizes differ by at most one row; no row is dropped); every
/// choice of S/2 blocks is a training set J and the other S/2 blocks its test set J̄. For each split the trial with
/// the best training performance is found, its test performance ranked among all trials (ω = rank / (N + 1), ties
/// averaged), and λ = logit(ω). PBO = #(λ ≤ 0) / C(S, S/2).
/// </summary>
public static class Cscv
{
    /// <summary>Largest S accepted (C(24, 12) = 2,704,156 splits).</summary>
    public const int MaxPartitions = 24;

    /// <summary>
    /// PBO with the per-period Sharpe ratio (mean / std, ddof = 1, NaN skipped) as performance, computed from block
    /// sums so each split costs O(S·N).
    /// </summary>
    /// <param name="returns">T × N: returns[t, n] is trial n's return in period t.</param>
    /// <param name="partitions">S: even, 2 ≤ S ≤ min(T, 24). 16 is the paper's usual choice.</param>
    public static PboResult ProbabilityOfBacktestOverfitting(double[,] returns, int partitions = 16)
    {
        var (t, n) = Check(returns, partitions);
        var bounds = Bounds(t, partitions);
        var sum = new double[partitions, n];
        var sumSq = new double[partitions, n];
        var count = new int[partitions, n];
        for (int s = 0; s < partitions; s++)
        {
            for (int row = bounds[s]; row < bounds[s + 1]; row++)
            {
                for (int j = 0; j < n; j++)
                {
                    double v = returns[row, j];
                    if (double.IsNaN(v)) continue;
                    sum[s, j] += v;
                    sumSq[s, j] += v * v;
                    count[s, j]++;
                }
            }
        }

        return Run(partitions, n, (mask, perf) =>
        {
            for (int j = 0; j < n; j++)
            {
                double sx = 0, sxx = 0;
                int c = 0;
                for (int s = 0; s < partitions; s++)
                {
                    if ((mask & (1 << s)) == 0) continue;
                    sx += sum[s, j];
                    sxx += sumSq[s, j];
                    c += count[s, j];
                }

                double mean = sx / c;
                double variance = (sxx - sx * mean) / (c - 1);
                perf[j] = c < 2 ? double.NaN : mean / Math.Sqrt(Math.Max(variance, 0));
            }
        });
    }

    /// <summary>PBO with any performance statistic, computed on the concatenated rows of each half.</summary>
    public static PboResult ProbabilityOfBacktestOverfitting(double[,] returns, int partitions, ReturnStatistic performance)
    {
        var (t, n) = Check(returns, partitions);
        var bounds = Bounds(t, partitions);
        var column = new double[t];
        return Run(partitions, n, (mask, perf) =>
        {
            for (int j = 0; j < n; j++)
            {
                int k = 0;
                for (int s = 0; s < partitions; s++)
                {
                    if ((mask & (1 << s)) == 0) continue;
                    for (int row = bounds[s]; row < bounds[s + 1]; row++) column[k++] = returns[row, j];
                }

                perf[j] = performance(column.AsSpan(0, k));
            }
        });
    }

    private static PboResult Run(int partitions, int n, Action<int, double[]> evaluate)
    {
        int half = partitions / 2;
        int all = (1 << partitions) - 1;
        var logits = new List<double>();
        var inSample = new List<double>();
        var outSample = new List<double>();
        var selected = new List<int>();
        var train = new double[n];
        var test = new double[n];
        // Gosper's hack: every mask with `half` bits set, in increasing order.
        for (int mask = (1 << half) - 1; mask <= all; mask = NextCombination(mask))
        {
            evaluate(mask, train);
            evaluate(all & ~mask, test);
            int best = 0;
            for (int j = 1; j < n; j++) if (Better(train[j], train[best])) best = j;
            double below = 0, ties = 0;
            for (int j = 0; j < n; j++)
            {
                if (j == best) continue;
                if (Better(test[best], test[j])) below++;
                else if (!Better(test[j], test[best])) ties++;
            }

            double omega = (1 + below + ties / 2) / (n + 1);
            logits.Add(Math.Log(omega / (1 - omega)));
            inSample.Add(train[best]);
            outSample.Add(test[best]);
            selected.Add(best);
        }

        double pbo = logits.Count(l => l <= 0) / (double)logits.Count;
        return new PboResult(pbo, [.. logits], [.. inSample], [.. outSample], [.. selected], partitions, n);
    }

    // NaN performance ranks below everything.
    private static bool Better(double a, double b) => !double.IsNaN(a) && (double.IsNaN(b) || a > b);

    private static int NextCombination(int x)
    {
        int c = x & -x;
        int r = x + c;
        return (((r ^ x) >> 2) / c) | r;
    }

    private static int[] Bounds(int rows, int partitions)
    {
        var b = new int[partitions + 1];
        for (int s = 0; s <= partitions; s++) b[s] = (int)((long)s * rows / partitions);
        return b;
    }

    private static (int T, int N) Check(double[,] returns, int partitions)
    {
        int t = returns.GetLength(0), n = returns.GetLength(1);
        if (n < 2) throw new ArgumentException($"CSCV needs at least two trials (columns); got {n}.", nameof(returns));
        if (partitions < 2 || partitions % 2 != 0 || partitions > MaxPartitions)
        {
            throw new ArgumentOutOfRangeException(nameof(partitions), partitions,
                $"S must be even and between 2 and {MaxPartitions}.");
        }

        if (t < 2 * partitions)
        {
            throw new ArgumentException(
                $"{t} rows cannot be cut into {partitions} blocks of at least two rows; use fewer partitions.",
                nameof(returns));
        }

        return (t, n);
    }
}
