namespace Research.Core.Features.Indicators;

/// <summary>Rolling extremes in amortised O(n), tracking the extreme's index as TA-Lib does (on ties the latest bar wins).</summary>
internal static class Window
{
    /// <summary>idx[t] = index of the highest x over [t − window + 1, t] for t ≥ window − 1 (−1 before).</summary>
    public static int[] ArgMax(ReadOnlySpan<double> x, int window)
    {
        var r = Scratch.Ints(x.Length);
        Arg<Highest>(x, window, r);
        return r;
    }

    /// <summary>idx[t] = index of the lowest x over [t − window + 1, t] for t ≥ window − 1 (−1 before).</summary>
    public static int[] ArgMin(ReadOnlySpan<double> x, int window)
    {
        var r = Scratch.Ints(x.Length);
        Arg<Lowest>(x, window, r);
        return r;
    }

    /// <summary>The highest x over [t − window + 1, t] into output[t] for t ≥ window − 1 (output before that is left alone).</summary>
    public static void Max(ReadOnlySpan<double> x, int window, Span<double> output) => Extreme<Highest>(x, window, output);

    /// <summary>The lowest x over [t − window + 1, t] into output[t] for t ≥ window − 1 (output before that is left alone).</summary>
    public static void Min(ReadOnlySpan<double> x, int window, Span<double> output) => Extreme<Lowest>(x, window, output);

    /// <summary>Which of two values wins (the candidate is the later bar, so ties go to it).</summary>
    private interface IOrder
    {
        static abstract bool Wins(double candidate, double current);
    }

    private readonly struct Highest : IOrder
    {
        public static bool Wins(double candidate, double current) => candidate >= current;
    }

    private readonly struct Lowest : IOrder
    {
        public static bool Wins(double candidate, double current) => candidate <= current;
    }

    private static void Arg<TOrder>(ReadOnlySpan<double> x, int window, Span<int> r)
        where TOrder : struct, IOrder
    {
        int first = window - 1;
        r[..Math.Min(first, x.Length)].Fill(-1);
        int idx = -1;
        double best = 0;
        for (int t = first; t < x.Length; t++)
        {
            int start = t - first;
            if (idx < start) (idx, best) = Scan<TOrder>(x, start, t);
            else if (TOrder.Wins(x[t], best)) (idx, best) = (t, x[t]);
            r[t] = idx;
        }
    }

    private static void Extreme<TOrder>(ReadOnlySpan<double> x, int window, Span<double> output)
        where TOrder : struct, IOrder
    {
        int first = window - 1;
        int idx = -1;
        double best = 0;
        for (int t = first; t < x.Length; t++)
        {
            int start = t - first;
            if (idx < start) (idx, best) = Scan<TOrder>(x, start, t);
            else if (TOrder.Wins(x[t], best)) (idx, best) = (t, x[t]);
            output[t] = best;
        }
    }

    /// <summary>The winning index and value over x[start..end] (inclusive), the latest on ties.</summary>
    private static (int Index, double Value) Scan<TOrder>(ReadOnlySpan<double> x, int start, int end)
        where TOrder : struct, IOrder
    {
        int idx = start;
        double best = x[start];
        for (int j = start + 1; j <= end; j++)
        {
            if (TOrder.Wins(x[j], best)) (idx, best) = (j, x[j]);
        }

        return (idx, best);
    }
}
