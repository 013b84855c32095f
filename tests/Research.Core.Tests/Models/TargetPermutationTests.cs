using Research.Core.Data.Splits;
using Research.Core.Models;

namespace Research.Core.Tests.Models;

/// <summary>The shuffled-target permutation: per ticker and block, seeded, multiset-preserving, test block untouched.</summary>
public class TargetPermutationTests
{
    private static readonly DateSplit Train = new("train", 0, 60);
    private static readonly DateSplit Validation = new("validation", 63, 90);

    // Ticker k's target at t is 1000·k + t: every value names its ticker and its date. Two NaNs per ticker.
    private static float[][] Targets(int tickers = 4, int dates = 120)
    {
        var y = new float[tickers][];
        for (int k = 0; k < tickers; k++)
        {
            y[k] = Enumerable.Range(0, dates).Select(t => (float)(1000 * k + t)).ToArray();
            y[k][5 + k] = float.NaN;
            y[k][70] = float.NaN;
        }

        return y;
    }

    [Fact]
    public void Keeps_each_tickers_targets_per_block_changes_their_order_and_never_mixes_tickers()
    {
        var original = Targets();
        var before = original.Select(a => (float[])a.Clone()).ToArray();
        var shuffled = TargetPermutation.Permute(original, [Train, Validation], horizon: 1, seed: 7);
        Assert.Equal(before, original); // the input is not modified
        for (int k = 0; k < original.Length; k++)
        {
            foreach (var b in new[] { Train, Validation })
            {
                // The block's permutable dates are [start, end − horizon): same multiset, another order.
                var a = original[k][b.Start..(b.End - 1)];
                var s = shuffled[k][b.Start..(b.End - 1)];
                Assert.Equal(a.Where(float.IsFinite).Order(), s.Where(float.IsFinite).Order());
                Assert.NotEqual(a, s);
                // Values never leave their ticker or their block.
                Assert.All(s.Where(float.IsFinite), v => Assert.InRange(v, 1000 * k + b.Start, 1000 * k + b.End - 2));
            }

            for (int t = 0; t < original[k].Length; t++)
            {
                if (float.IsNaN(original[k][t])) Assert.True(float.IsNaN(shuffled[k][t]), $"NaN at {k},{t} stays");
                bool permutable = (t >= Train.Start && t < Train.End - 1) || (t >= Validation.Start && t < Validation.End - 1);
                // Outside the blocks (the last date of each block, the embargo gap, the test block) nothing moves.
                if (!permutable) Assert.Equal(original[k][t], shuffled[k][t]);
            }

            Assert.True(Enumerable.Range(0, 59).Count(t => shuffled[k][t] == original[k][t]) < 10, "most training targets move");
        }
    }

    [Fact]
    public void Is_deterministic_per_seed_and_different_seeds_differ()
    {
        var y = Targets();
        var a = TargetPermutation.Permute(y, [Train, Validation], 1, seed: 3);
        var b = TargetPermutation.Permute(y, [Train, Validation], 1, seed: 3);
        var c = TargetPermutation.Permute(y, [Train, Validation], 1, seed: 4);
        Assert.Equal(a, b);
        Assert.NotEqual(a[0], c[0]);
        // Tickers get different permutations (not the same order of dates).
        Assert.NotEqual(a[0][..59].Select(v => v % 1000), a[1][..59].Select(v => v % 1000));
        Assert.NotEqual(TargetPermutation.SeedFor(42, 1), TargetPermutation.SeedFor(42, 2));
        Assert.Equal(TargetPermutation.SeedFor(42, 1), TargetPermutation.SeedFor(42, 1));
    }

    [Fact]
    public void A_longer_horizon_keeps_targets_that_reach_past_the_block_in_place()
    {
        var y = Targets(tickers: 1);
        var s = TargetPermutation.Permute(y, [Train], horizon: 5, seed: 1);
        for (int t = Train.End - 5; t < y[0].Length; t++) Assert.Equal(y[0][t], s[0][t]);
        Assert.All(s[0][..55].Where(float.IsFinite), v => Assert.InRange(v, 0, 54));
    }

    [Fact]
    public void Bad_arguments_name_the_parameter()
    {
        var y = Targets();
        Assert.Equal("blocks", Assert.Throws<ArgumentException>(() => TargetPermutation.Permute(y, [Train, new DateSplit("validation", 50, 80)], 1, 0)).ParamName);
        Assert.Equal("horizon", Assert.Throws<ArgumentOutOfRangeException>(() => TargetPermutation.Permute(y, [Train], 0, 0)).ParamName);
        Assert.Equal("permutation", Assert.Throws<ArgumentOutOfRangeException>(() => TargetPermutation.SeedFor(1, 0)).ParamName);
    }
}
