using System.Diagnostics;

namespace Research.Core.Environments;

/// <summary>Steps per second of an environment alone and of a vector env of copies, with actions drawn once up front.</summary>
public static class EnvThroughput
{
    /// <summary>Steps one environment for about <paramref name="seconds"/> (after a warm-up) and returns steps/s.</summary>
    public static double Single(IEnv env, double seconds = 1, int seed = 0)
    {
        var obs = new float[env.ObservationSpace.FlatSize];
        var actions = Actions(env.ActionSpace, 256, seed);
        int size = env.ActionSpace.FlatSize;
        env.Reset(seed, obs);
        long steps = 0;
        void Run(long count)
        {
            for (long i = 0; i < count; i++)
            {
                int a = (int)(steps++ & 255);
                if (env.Step(actions.AsSpan(a * size, size), obs).Done) env.Reset(null, obs);
            }
        }

        return Measure(Run, seconds);
    }

    /// <summary>Steps a vector env for about <paramref name="seconds"/> (after a warm-up) and returns environment steps/s (calls × copies).</summary>
    public static double Vector(VectorEnv vec, double seconds = 1, int seed = 0)
    {
        var actions = Actions(vec.SingleActionSpace, 8 * vec.Count, seed);
        int batch = vec.Count * vec.ActionSize;
        vec.Reset(seed);
        long calls = 0;
        void Run(long count)
        {
            for (long i = 0; i < count; i++) vec.Step(actions.AsSpan((int)(calls++ & 7) * batch, batch));
        }

        return Measure(Run, seconds) * vec.Count;
    }

    private static double Measure(Action<long> run, double seconds)
    {
        run(1000); // warm-up: tiered JIT
        long count = 1000;
        var clock = Stopwatch.StartNew();
        run(count);
        while (clock.Elapsed.TotalSeconds < 0.05) { count *= 2; clock.Restart(); run(count); }
        long total = (long)(count * seconds / clock.Elapsed.TotalSeconds);
        clock.Restart();
        run(total);
        return total / clock.Elapsed.TotalSeconds;
    }

    private static float[] Actions(Space space, int count, int seed)
    {
        var rng = new Random(seed);
        var a = new float[count * space.FlatSize];
        for (int i = 0; i < a.Length; i++)
        {
            a[i] = space switch
            {
                DiscreteSpace d => d.Start + rng.Next(d.N),
                BoxSpace b => (float)(b.Low[i % b.FlatSize] + (b.High[i % b.FlatSize] - b.Low[i % b.FlatSize]) * rng.NextDouble()),
                _ => 0,
            };
        }

        return a;
    }
}
