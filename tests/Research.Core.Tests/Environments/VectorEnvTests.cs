using Research.Core.Environments;
using Research.Core.Environments.Trading;
using Research.Core.Tests.Backtesting;

namespace Research.Core.Tests.Environments;

public class VectorEnvTests
{
    private static IEnv Env(int days) => new StockTradingEnv(Panels.Random(3, days, 5), 0, days, new TradingEnvConfig { InitialCash = 10_000, Semantics = EnvSemantics.Gymnasium });

    [Fact]
    public void Next_step_autoreset_returns_the_last_observation_then_a_reset_with_reward_0()
    {
        using var vec = VectorEnv.Create(i => Env(3 + i), 2, AutoresetMode.NextStep);
        vec.Reset(seed: 1);
        var actions = new float[6];
        Array.Fill(actions, 0.5f);
        vec.Step(actions); // env 0 (3 days): 1 step left; env 1 (4 days): 2 steps left
        vec.Step(actions);
        Assert.True(vec.Terminated[0]);
        Assert.True(vec.EpisodeEnded[0]);
        Assert.Equal(2, vec.EpisodeLengths[0]);
        Assert.False(vec.Terminated[1]);
        var last0 = vec.Observations[..vec.ObservationSize];
        Assert.NotEqual(10_000f, last0[0]); // the last observation, not a reset
        vec.Step(actions);
        Assert.Equal(10_000f, vec.Observations[0]); // env 0 was reset; its action was ignored
        Assert.Equal(0f, vec.Rewards[0]);
        Assert.False(vec.Terminated[0] || vec.Truncated[0] || vec.EpisodeEnded[0]);
        Assert.True(vec.Terminated[1]);
        Assert.Equal(3, vec.EpisodeLengths[1]);
    }

    [Fact]
    public void Same_step_autoreset_returns_the_first_observation_and_keeps_the_final_one()
    {
        using var vec = VectorEnv.Create(_ => Env(3), 2, AutoresetMode.SameStep);
        vec.Reset(seed: 1);
        var actions = new float[6];
        Array.Fill(actions, 0.5f);
        vec.Step(actions);
        vec.Step(actions);
        Assert.True(vec.Terminated[0] && vec.EpisodeEnded[0]);
        Assert.Equal(10_000f, vec.Observations[0]);
        Assert.NotEqual(10_000f, vec.FinalObservations[0]);
        Assert.NotEqual(0f, vec.Rewards[0]);
        double sum = 0;
        var single = Env(3);
        var obs = new float[single.ObservationSpace.FlatSize];
        single.Reset(null, obs);
        sum += single.Step([0.5f, 0.5f, 0.5f], obs).Reward;
        sum += single.Step([0.5f, 0.5f, 0.5f], obs).Reward;
        Assert.Equal(obs, vec.FinalObservations[..vec.ObservationSize]);
        Assert.Equal(sum, vec.EpisodeReturns[0], 12);
    }

    [Fact]
    public void Threads_step_the_same_copies_to_the_same_results()
    {
        float[] Run(int threads)
        {
            using var vec = VectorEnv.Create(i => Env(20 + i), 7, AutoresetMode.SameStep, threads);
            vec.Reset(seed: 3);
            var rng = new Random(4);
            var actions = new float[7 * 3];
            var trace = new List<float>();
            for (int s = 0; s < 60; s++)
            {
                for (int i = 0; i < actions.Length; i++) actions[i] = (float)(rng.NextDouble() * 2 - 1);
                vec.Step(actions);
                trace.AddRange(vec.Observations);
                trace.AddRange(vec.Rewards);
            }

            return [.. trace];
        }

        Assert.Equal(Run(1), Run(2));
        Assert.Equal(Run(1), Run(3));
    }

    [Fact]
    public void A_failing_copy_is_reported_and_bad_shapes_are_named()
    {
        using var vec = VectorEnv.Create(_ => Env(5), 4, threads: 2);
        vec.Reset();
        Assert.Equal("actions", Assert.Throws<ArgumentException>(() => vec.Step(new float[5])).ParamName);
        var bad = new float[12];
        bad[7] = float.NaN;
        var e = Assert.Throws<InvalidOperationException>(() => vec.Step(bad));
        Assert.IsType<ArgumentOutOfRangeException>(e.InnerException);
    }
}
