using System.Numerics;

namespace Research.Core.Environments;

/// <summary>One step as Gymnasium returns it (allocating; for notebooks and tests, not hot loops).</summary>
public sealed record Transition(float[] Observation, double Reward, bool Terminated, bool Truncated, IReadOnlyDictionary<string, object> Info);

/// <summary>Gymnasium's tuple-returning calls over <see cref="IEnv"/>, for notebooks and tests (each call allocates).</summary>
public static class EnvExtensions
{
    /// <summary>Flat length of an observation.</summary>
    public static int ObservationSize(this IEnv env) => env.ObservationSpace.FlatSize;

    /// <summary>Flat length of an action.</summary>
    public static int ActionSize(this IEnv env) => env.ActionSpace.FlatSize;

    /// <summary>Resets and returns (observation, info).</summary>
    public static (float[] Observation, IReadOnlyDictionary<string, object> Info) Reset(this IEnv env, int? seed = null)
    {
        var obs = new float[env.ObservationSize()];
        env.Reset(seed, obs);
        return (obs, env.Info());
    }

    /// <summary>Steps and returns (observation, reward, terminated, truncated, info).</summary>
    public static Transition Step(this IEnv env, params float[] action)
    {
        var obs = new float[env.ObservationSize()];
        var outcome = env.Step(action, obs);
        return new Transition(obs, outcome.Reward, outcome.Terminated, outcome.Truncated, env.Info());
    }

    /// <summary>Checks a discrete action in <c>action[0]</c> and returns its index (the message names the value and the space).</summary>
    public static int DiscreteAction(this DiscreteSpace space, ReadOnlySpan<float> action)
    {
        if (action.Length != 1) throw new ArgumentException($"A discrete action is one value (its index); got {action.Length}.", nameof(action));
        float a = action[0];
        int i = (int)a;
        if (!(a == i) || i < space.Start || i >= space.Start + space.N)
        {
            throw new ArgumentOutOfRangeException(nameof(action), a, $"Action {a} is not an element of Discrete({space.N}, start={space.Start}).");
        }

        return i;
    }

    /// <summary>
    /// Checks a continuous action's length and finiteness (NaN and ±∞ are errors naming the component) and copies it,
    /// clipped to the box's bounds, into <paramref name="clipped"/> (as Stable-Baselines3 clips before stepping).
    /// </summary>
    public static void ClipAction(this BoxSpace space, ReadOnlySpan<float> action, Span<float> clipped)
    {
        if (action.Length != space.FlatSize) throw new ArgumentException($"action has {action.Length} values; the action space has {space.FlatSize}.", nameof(action));
        var low = space.Low;
        var high = space.High;
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            // Whole vectors first (an environment step clips every action: 30 branchy scalar compares were a visible
            // share of FinRL's step); a vector holding a non-finite value leaves it to the scalar loop, which names it.
            for (int width = Vector<float>.Count; i <= action.Length - width; i += width)
            {
                var a = new Vector<float>(action.Slice(i));
                if (!Vector.EqualsAll(a - a, Vector<float>.Zero)) break; // x − x is NaN exactly for NaN and ±∞
                var lo = new Vector<float>(low, i);
                var hi = new Vector<float>(high, i);
                // The scalar rule below, lane by lane: a < low ? low : a > high ? high : a.
                Vector.ConditionalSelect(Vector.LessThan(a, lo), lo, Vector.ConditionalSelect(Vector.GreaterThan(a, hi), hi, a)).CopyTo(clipped.Slice(i));
            }
        }

        for (; i < action.Length; i++)
        {
            float a = action[i];
            if (!float.IsFinite(a)) throw new ArgumentOutOfRangeException(nameof(action), a, $"action[{i}] is {a}; actions must be finite.");
            clipped[i] = a < low[i] ? low[i] : a > high[i] ? high[i] : a;
        }
    }
}
