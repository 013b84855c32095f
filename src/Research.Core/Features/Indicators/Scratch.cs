namespace Research.Core.Features.Indicators;

/// <summary>
/// Per-thread reusable temporary arrays for the kernels, so computing a whole catalog allocates almost nothing. A kernel
/// opens a scope (<c>using var scratch = Scratch.Begin();</c>), rents zeroed arrays of exact length, and the scope's end
/// returns them; scopes nest.
/// </summary>
internal static class Scratch
{
    [ThreadStatic] private static Dictionary<int, Stack<double[]>>? _free;
    [ThreadStatic] private static Dictionary<int, Stack<int[]>>? _freeInts;
    [ThreadStatic] private static List<double[]>? _rented;
    [ThreadStatic] private static List<int[]>? _rentedInts;

    /// <summary>Opens a scope; arrays rented inside it go back when it is disposed.</summary>
    public static Scope Begin() => new(_rented?.Count ?? 0, _rentedInts?.Count ?? 0);

    /// <summary>A zeroed double array of exactly <paramref name="length"/>, valid until the enclosing scope ends.</summary>
    public static double[] Doubles(int length)
    {
        _free ??= [];
        _rented ??= [];
        var a = _free.TryGetValue(length, out var stack) && stack.Count > 0 ? stack.Pop() : new double[length];
        Array.Clear(a);
        _rented.Add(a);
        return a;
    }

    /// <summary>
    /// A double array of exactly <paramref name="length"/> holding whatever its last user left, valid until the
    /// enclosing scope ends: for kernels that write every index they read (clearing 3,000 values costs about as much as a
    /// cheap indicator pass).
    /// </summary>
    public static double[] Uninitialized(int length)
    {
        _free ??= [];
        _rented ??= [];
        var a = _free.TryGetValue(length, out var stack) && stack.Count > 0 ? stack.Pop() : new double[length];
        _rented.Add(a);
        return a;
    }

    /// <summary>An int array of exactly <paramref name="length"/> (not cleared), valid until the enclosing scope ends.</summary>
    public static int[] Ints(int length)
    {
        _freeInts ??= [];
        _rentedInts ??= [];
        var a = _freeInts.TryGetValue(length, out var stack) && stack.Count > 0 ? stack.Pop() : new int[length];
        _rentedInts.Add(a);
        return a;
    }

    /// <summary>A scope of rented arrays.</summary>
    public readonly ref struct Scope(int doubles, int ints)
    {
        /// <summary>Returns the arrays rented since the scope began.</summary>
        public void Dispose()
        {
            if (_rented is { } rented)
            {
                while (rented.Count > doubles)
                {
                    var a = rented[^1];
                    rented.RemoveAt(rented.Count - 1);
                    if (!_free!.TryGetValue(a.Length, out var s)) _free[a.Length] = s = new Stack<double[]>();
                    s.Push(a);
                }
            }

            if (_rentedInts is { } rentedInts)
            {
                while (rentedInts.Count > ints)
                {
                    var a = rentedInts[^1];
                    rentedInts.RemoveAt(rentedInts.Count - 1);
                    if (!_freeInts!.TryGetValue(a.Length, out var s)) _freeInts[a.Length] = s = new Stack<int[]>();
                    s.Push(a);
                }
            }
        }
    }
}
