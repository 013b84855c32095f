namespace Research.Core.Environments;

/// <summary>The set an observation or action lives in (Gymnasium's <c>spaces</c>); agents read it to size their networks.</summary>
public abstract record Space
{
    /// <summary>Number of floats one element occupies in a flat buffer (a discrete action occupies one: its index).</summary>
    public abstract int FlatSize { get; }
}

/// <summary>A box of real vectors with per-component bounds (Gymnasium's <c>Box</c>, float32).</summary>
public sealed record BoxSpace : Space
{
    /// <summary>A box of the given shape with per-component bounds (lengths = product of the shape).</summary>
    public BoxSpace(float[] low, float[] high, params int[] shape)
    {
        int size = shape.Length == 0 ? 0 : shape.Aggregate(1, (a, b) => a * b);
        if (shape.Length == 0 || shape.Any(d => d < 1)) throw new ArgumentException("Every dimension of a box's shape must be ≥ 1.", nameof(shape));
        if (low.Length != size || high.Length != size) throw new ArgumentException($"low and high must have {size} values (the shape's product); got {low.Length} and {high.Length}.", nameof(low));
        for (int i = 0; i < size; i++)
        {
            if (float.IsNaN(low[i]) || float.IsNaN(high[i]) || low[i] > high[i]) throw new ArgumentException($"Bound {i} is not an interval: [{low[i]}, {high[i]}].", nameof(low));
        }

        Low = low;
        High = high;
        Shape = shape;
    }

    /// <summary>A box with the same bounds on every component.</summary>
    public static BoxSpace Uniform(float low, float high, params int[] shape)
    {
        int size = shape.Aggregate(1, (a, b) => a * b);
        return new BoxSpace(Enumerable.Repeat(low, size).ToArray(), Enumerable.Repeat(high, size).ToArray(), shape);
    }

    /// <summary>Lower bounds (−∞ allowed).</summary>
    public float[] Low { get; }

    /// <summary>Upper bounds (+∞ allowed).</summary>
    public float[] High { get; }

    /// <summary>Dimensions.</summary>
    public int[] Shape { get; }

    /// <inheritdoc />
    public override int FlatSize => Low.Length;

    /// <summary>True when every bound is finite (actions can be rescaled from [−1, 1]).</summary>
    public bool IsBounded => Low.All(float.IsFinite) && High.All(float.IsFinite);
}

/// <summary>The integers {Start, …, Start + N − 1} (Gymnasium's <c>Discrete</c>); passed in a flat buffer as one float.</summary>
public sealed record DiscreteSpace : Space
{
    /// <summary>A space of <paramref name="n"/> actions starting at <paramref name="start"/>.</summary>
    public DiscreteSpace(int n, int start = 0)
    {
        if (n < 1) throw new ArgumentOutOfRangeException(nameof(n), n, "A discrete space needs at least one element.");
        N = n;
        Start = start;
    }

    /// <summary>Number of elements.</summary>
    public int N { get; }

    /// <summary>The first element.</summary>
    public int Start { get; }

    /// <inheritdoc />
    public override int FlatSize => 1;
}
