using Research.Core.Agents;
using Research.Core.Agents.Buffers;
using Research.Core.Agents.Normalization;

namespace Research.Core.Tests.Agents;

public class AgentsBuffersTests
{
    [Fact]
    public void Gae_matches_a_hand_computation_with_episode_boundaries()
    {
        // One copy, 3 steps; the episode ends after step 1 (step 2 starts a new one).
        var buffer = new RolloutBuffer(3, 1, 1, 1);
        float[] o = [0], a = [0];
        buffer.Add(o, a, [1f], [true], [0.5f], [0f]);
        buffer.Add(o, a, [2f], [false], [0.25f], [0f]);
        buffer.Add(o, a, [3f], [true], [1f], [0f]);
        double g = 0.9, l = 0.8;
        buffer.ComputeReturnsAndAdvantage([2f], [false], g, l);
        double d2 = 3 + g * 2 - 1;
        double a2 = d2;
        double d1 = 2 - 0.25; // next observation starts an episode
        double a1 = d1;
        double d0 = 1 + g * 0.25 - 0.5;
        double a0 = d0 + g * l * a1;
        Assert.Equal([(float)a0, (float)a1, (float)a2], buffer.Advantages);
        Assert.Equal([(float)(a0 + 0.5), (float)(a1 + 0.25), (float)(a2 + 1)], buffer.Returns);
    }

    [Fact]
    public void Running_mean_std_matches_the_batch_statistics()
    {
        var rms = new RunningMeanStd(2, epsilon: 0);
        var random = new Random(1);
        var all = new List<float[]>();
        for (int b = 0; b < 5; b++)
        {
            var batch = new float[7 * 2];
            for (int i = 0; i < batch.Length; i++) batch[i] = (float)(random.NextDouble() * 10 - 3);
            all.Add(batch);
            rms.Update(batch, 7);
        }

        for (int j = 0; j < 2; j++)
        {
            var column = all.SelectMany(b => Enumerable.Range(0, 7).Select(r => (double)b[r * 2 + j])).ToArray();
            double mean = column.Average();
            double variance = column.Select(x => (x - mean) * (x - mean)).Average();
            Assert.Equal(mean, rms.Mean[j], 10);
            Assert.Equal(variance, rms.Var[j], 10);
        }

        Assert.Equal(35, rms.Count);
    }

    [Fact]
    public void Vec_normalizer_scales_rewards_by_the_return_spread_and_resets_at_episode_ends()
    {
        var n = new VecNormalizer(new NormalizationConfig(), 1, 1, 0.5);
        Span<float> r = [2f];
        n.NormalizeRewards(r, [false], [false]);
        Assert.True(r[0] > 0);
        n.NormalizeRewards(r, [true], [false]);
        var state = n.State();
        var m = new VecNormalizer(new NormalizationConfig(), 1, 1, 0.5);
        m.Restore(state);
        Assert.Equal(state.ReturnVar, m.Returns.Var[0]);
    }

    [Fact]
    public void Schedules_run_from_initial_to_final()
    {
        var s = Schedule.Linear(1e-3);
        Assert.Equal(1e-3, s.Value(1));
        Assert.Equal(5e-4, s.Value(0.5), 12);
        Assert.Equal(0, s.Value(0));
        Assert.Equal(0.2, Schedule.Constant(0.2).Value(0.3));
    }
}
