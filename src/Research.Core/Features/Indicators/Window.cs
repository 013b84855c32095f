namespace Research.Core.Features.Indicators;

/// <summary>Rolling extremes in amortised O(n), tracking the extreme's index as TA-Lib does (on ties the latest bar wins).</summary>
internal static class Window
{
    /// <summary>idx[t] = index of the highest x over [t − window + 1, t] for t ≥ window − 1 (−1 before).</summary>
    public static int[] ArgMax(ReadOnlySpan<double> x, int window) => Arg(x, window, max: true);

    /// <summary>idx[t] = index of the lowest x over [t − window + 1, t] for t ≥ window − 1 (−1 before).</summary>
    public static int[] ArgMin(ReadOnlySpan<double> x, int window) => Arg(x, window, max: false);

    private static int[] Arg(ReadOnlySpan<double> x, int window, bool max)
    {
        var r = Scratch.Ints(x.Length);
        int idx = -1;
        for (int t = 0; t < x.Length; t++)
        {
            if (t < window - 1)
            {
                r[t] = -1;
                continue;
            }

            int start = t - window + 1;
            if (idx < start)
            {
                idx = start;
                for (int j = start + 1; j <= t; j++)
                {
                    if (max ? x[j] >= x[idx] : x[j] <= x[idx]) idx = j;
                }
            }
            else if (max ? x[t] >= x[idx] : x[t] <= x[idx])
            {
                idx = t;
            }

            r[t] = idx;
        }

        return r;
    }
}
