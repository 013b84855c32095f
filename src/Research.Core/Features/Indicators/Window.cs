using System.Runtime.Intrinsics;

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

        /// <summary>The winner lane by lane, for values without NaN or zeros (where every way of choosing agrees bit for bit).</summary>
        static abstract Vector256<double> Winner(Vector256<double> a, Vector256<double> b);
    }

    private readonly struct Highest : IOrder
    {
        public static bool Wins(double candidate, double current) => candidate >= current;

        public static Vector256<double> Winner(Vector256<double> a, Vector256<double> b) => Vector256.MaxNative(a, b);
    }

    private readonly struct Lowest : IOrder
    {
        public static bool Wins(double candidate, double current) => candidate <= current;

        public static Vector256<double> Winner(Vector256<double> a, Vector256<double> b) => Vector256.MinNative(a, b);
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
        int first = window - 1, n = x.Length;
        if (first >= n) return;
        if (!Vector256.IsHardwareAccelerated || window > 64)
        {
            Rolling<TOrder>(x, first, output, first, n, -1, 0);
            return;
        }

        // A window without NaN or zero ("clean") has one extreme, the same value bit for bit however it is found
        // (zeros are excluded because −0 and +0 compare equal): runs of clean windows are rescanned with vectors. Around
        // a NaN or zero the rolling scan runs as TA-Lib's does, from the state it has after a clean window (its latest
        // extreme), so the NaN behaviour is unchanged.
        using var scratch = Scratch.Begin();
        var lastOdd = Scratch.Ints(n);
        int last = int.MinValue / 2;
        for (int t = 0; t < n; t++)
        {
            if (double.IsNaN(x[t]) || x[t] == 0) last = t;
            lastOdd[t] = last;
        }

        for (int t = first; t < n;)
        {
            int end = t;
            while (end < n && lastOdd[end] < end - first) end++;
            if (end > t)
            {
                Rescan<TOrder>(x, first, output, t, end);
                t = end;
                continue;
            }

            while (end < n && lastOdd[end] >= end - first) end++;
            var (idx, best) = t > first ? Scan<TOrder>(x, t - 1 - first, t - 1) : (-1, 0);
            Rolling<TOrder>(x, first, output, t, end, idx, best);
            t = end;
        }
    }

    /// <summary>TA-Lib's rolling scan over bars [from, to) from the state (idx, best) after bar from − 1.</summary>
    private static void Rolling<TOrder>(ReadOnlySpan<double> x, int first, Span<double> output, int from, int to, int idx, double best)
        where TOrder : struct, IOrder
    {
        for (int t = from; t < to; t++)
        {
            int start = t - first;
            if (idx < start) (idx, best) = Scan<TOrder>(x, start, t);
            else if (TOrder.Wins(x[t], best)) (idx, best) = (t, x[t]);
            output[t] = best;
        }
    }

    /// <summary>The extreme of each clean window ending in [from, to): 8 bars at a time (two 4-lane vectors, lane i scanning bar t + i's window).</summary>
    private static void Rescan<TOrder>(ReadOnlySpan<double> x, int first, Span<double> output, int from, int to)
        where TOrder : struct, IOrder
    {
        int t = from;
        for (; t <= to - 8; t += 8)
        {
            int s = t - first;
            var a = Vector256.Create(x[s..]);
            var b = Vector256.Create(x[(s + 4)..]);
            for (int j = s + 1; j <= t; j++)
            {
                a = TOrder.Winner(a, Vector256.Create(x[j..]));
                b = TOrder.Winner(b, Vector256.Create(x[(j + 4)..]));
            }

            a.CopyTo(output[t..]);
            b.CopyTo(output[(t + 4)..]);
        }

        for (; t < to; t++) output[t] = Scan<TOrder>(x, t - first, t).Value;
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
