namespace Research.Serving.Tests;

/// <summary>Rank IC, hit rate and the bounded prediction memory, against hand-computed values.</summary>
public class LiveAccuracyTests
{
    [Fact]
    public void Rank_ic_is_spearman_with_average_ranks_for_ties()
    {
        // Ranks of r: 1, 3, 2, 4; Σd² = 2; ρ = 1 − 6·2 / (4·15) = 0.8.
        Assert.Equal(0.8, LiveAccuracy.RankIc([1, 2, 3, 4], [10, 30, 20, 40]), 12);
        // Ranks of e: 1.5, 1.5, 3 against 1, 2, 3: cov 1.5 / √(1.5·2) = √3 / 2.
        Assert.Equal(Math.Sqrt(3) / 2, LiveAccuracy.RankIc([1, 1, 2], [1, 2, 3]), 12);
        Assert.True(double.IsNaN(LiveAccuracy.RankIc([1], [2])));
    }

    [Fact]
    public void Hit_rate_counts_sign_agreement_and_skips_zeros()
    {
        // Pairs 0 and 2 agree, 1 and 4 do not, 3 has a zero forecast: 2 of 4.
        Assert.Equal(0.5, LiveAccuracy.HitRate([0.1, -0.2, 0.3, 0, 0.5], [0.2, 0.1, 0.4, 0.3, -0.1]));
        Assert.True(double.IsNaN(LiveAccuracy.HitRate([0, 1], [1, 0])));
    }

    [Fact]
    public void The_window_keeps_the_most_recent_pairs()
    {
        var live = new LiveAccuracy(3);
        Assert.Equal(new LiveScore(null, null, 0), live.Score());
        live.Add(1, -1); // pushed out below
        live.Add(1, 1);
        live.Add(2, 2);
        live.Add(3, 3);
        var score = live.Score();
        Assert.Equal(3, score.Pairs);
        Assert.Equal(1.0, score.RankIc!.Value, 12);
        Assert.Equal(1.0, score.HitRate);
    }

    [Fact]
    public void Memory_matches_each_prediction_once_and_forgets_the_oldest_past_capacity()
    {
        var memory = new PredictionMemory(2);
        var d = new DateOnly(2017, 12, 1);
        memory.Record("A", d, 0.1);
        memory.Record("B", d, 0.2);
        memory.Record("A", d, 0.15); // replaces A and makes it the newest
        memory.Record("C", d, 0.3); // forgets B, the oldest
        Assert.Equal(2, memory.Count);
        Assert.False(memory.TryTake("B", d, out _));
        Assert.True(memory.TryTake("A", d, out double a));
        Assert.Equal(0.15, a);
        Assert.False(memory.TryTake("A", d, out _));
        Assert.True(memory.TryTake("C", d, out double c));
        Assert.Equal(0.3, c);
        Assert.Equal(0, memory.Count);
    }
}
