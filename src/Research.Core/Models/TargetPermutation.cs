using Research.Core.Data.Splits;

namespace Research.Core.Models;

/// <summary>
/// The shuffled-target leakage probe's permutation: each ticker's forward-return targets are shuffled across the dates
/// of each block the model learns from (train, validation), separately per ticker and per block. Features are never
/// touched and the test block's targets stay real, so a model trained on the permuted targets can only score a test IC
/// away from zero through a path that does not go through learning features → targets: a leak.
/// </summary>
/// <remarks>
/// Within a ticker and a block, only dates t with t ≥ block start, t + horizon &lt; block end (the dates whose targets
/// the block's samples may use) and a finite target are permuted among themselves. So every ticker keeps its multiset
/// of targets in every block (its drift and volatility, the scaler's target standard deviation, the up-rate), NaN
/// targets stay where they are (which samples are valid does not change), tickers never mix, and no target moves
/// across a block boundary or into the test block. The order is a Fisher–Yates shuffle seeded by (seed, ticker, block).
/// </remarks>
public static class TargetPermutation
{
    /// <summary>
    /// Returns a copy of <paramref name="targets"/> ([ticker][date]) with every ticker's finite targets permuted across
    /// the dates of each of <paramref name="blocks"/> (see the class remarks); dates outside the blocks keep their targets.
    /// </summary>
    /// <param name="targets">Forward returns per ticker; not modified.</param>
    /// <param name="blocks">Blocks to permute within (e.g. train and validation); must not overlap.</param>
    /// <param name="horizon">Target horizon in days (a target at t uses the bar at t + horizon).</param>
    /// <param name="seed">Permutation seed; the same seed gives the same permutation.</param>
    public static float[][] Permute(float[][] targets, IReadOnlyList<DateSplit> blocks, int horizon, int seed)
    {
        ArgumentNullException.ThrowIfNull(targets);
        ArgumentNullException.ThrowIfNull(blocks);
        if (horizon < 1) throw new ArgumentOutOfRangeException(nameof(horizon), horizon, "horizon must be ≥ 1.");
        for (int i = 0; i < blocks.Count; i++)
        {
            for (int j = i + 1; j < blocks.Count; j++)
            {
                if (blocks[i].Start < blocks[j].End && blocks[j].Start < blocks[i].End)
                    throw new ArgumentException($"blocks '{blocks[i].Name}' and '{blocks[j].Name}' overlap.", nameof(blocks));
            }
        }

        var result = new float[targets.Length][];
        var dates = new List<int>();
        for (int k = 0; k < targets.Length; k++)
        {
            var y = (float[])targets[k].Clone();
            for (int b = 0; b < blocks.Count; b++)
            {
                dates.Clear();
                int end = Math.Min(blocks[b].End - horizon, y.Length);
                for (int t = Math.Max(0, blocks[b].Start); t < end; t++)
                    if (float.IsFinite(y[t])) dates.Add(t);
                var rng = new Random(Mix(seed, k, b));
                for (int i = dates.Count - 1; i > 0; i--)
                {
                    int j = rng.Next(i + 1);
                    (y[dates[i]], y[dates[j]]) = (y[dates[j]], y[dates[i]]);
                }
            }

            result[k] = y;
        }

        return result;
    }

    /// <summary>
    /// The permutation seed of null model <paramref name="permutation"/> (1-based) of a run seeded <paramref name="seed"/>:
    /// <c>model train --shuffle-target</c> uses permutation 1, <c>model significance</c> permutations 1..N.
    /// </summary>
    public static int SeedFor(int seed, int permutation)
    {
        if (permutation < 1) throw new ArgumentOutOfRangeException(nameof(permutation), permutation, "permutation must be ≥ 1.");
        return Mix(seed, permutation, 0x5eed);
    }

    // SplitMix64 finaliser over the three inputs: distinct (seed, ticker, block) give unrelated System.Random seeds.
    private static int Mix(int a, int b, int c)
    {
        ulong z = unchecked(((ulong)(uint)a << 32 | (uint)b) ^ ((ulong)(uint)c * 0x9E3779B97F4A7C15UL));
        z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
        z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
        z ^= z >> 31;
        return (int)(z & 0x7FFF_FFFF);
    }
}
