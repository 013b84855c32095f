using System.Runtime.Intrinsics;

namespace Research.Core.Features.Indicators;

/// <summary>
/// Bar-to-bar quantities several indicators smooth (true range, directional movement, gains and losses), computed for
/// every t ≥ 1 in one branch-free, vectorised pass; index 0 is left alone. Each value is the same IEEE operation the
/// scalar definition performs, so results are bit-identical to computing them inside the recursions.
/// </summary>
internal static class BarChanges
{
    /// <summary>tr[t] = max(high[t], close[t−1]) − min(low[t], close[t−1]) (TA-Lib's true range; NaN propagates).</summary>
    public static void TrueRange(ReadOnlySpan<double> high, ReadOnlySpan<double> low, ReadOnlySpan<double> close, Span<double> tr)
    {
        int n = close.Length, t = 1;
        if (Vector256.IsHardwareAccelerated)
        {
            for (; t <= n - Vector256<double>.Count; t += Vector256<double>.Count)
            {
                var prev = Vector256.Create(close[(t - 1)..]);
                var range = Vector256.Max(Vector256.Create(high[t..]), prev) - Vector256.Min(Vector256.Create(low[t..]), prev);
                range.CopyTo(tr[t..]);
            }
        }

        for (; t < n; t++) tr[t] = Math.Max(high[t], close[t - 1]) - Math.Min(low[t], close[t - 1]);
    }

    /// <summary>
    /// Wilder's one-bar directional movement: with up = high[t] − high[t−1] and down = low[t−1] − low[t],
    /// plus[t] = up when up &gt; 0 and up &gt; down, minus[t] = down when down &gt; 0 and down &gt; up, else 0.
    /// </summary>
    public static void DirectionalMovement(ReadOnlySpan<double> high, ReadOnlySpan<double> low, Span<double> plus, Span<double> minus)
    {
        int n = high.Length, t = 1;
        if (Vector256.IsHardwareAccelerated)
        {
            var zero = Vector256<double>.Zero;
            for (; t <= n - Vector256<double>.Count; t += Vector256<double>.Count)
            {
                var up = Vector256.Create(high[t..]) - Vector256.Create(high[(t - 1)..]);
                var down = Vector256.Create(low[(t - 1)..]) - Vector256.Create(low[t..]);
                var isPlus = Vector256.GreaterThan(up, zero) & Vector256.GreaterThan(up, down);
                var isMinus = Vector256.GreaterThan(down, zero) & Vector256.LessThan(up, down);
                Vector256.ConditionalSelect(isPlus, up, zero).CopyTo(plus[t..]);
                Vector256.ConditionalSelect(isMinus, down, zero).CopyTo(minus[t..]);
            }
        }

        for (; t < n; t++)
        {
            double up = high[t] - high[t - 1], down = low[t - 1] - low[t];
            plus[t] = up > 0 && up > down ? up : 0;
            minus[t] = down > 0 && up < down ? down : 0;
        }
    }

    /// <summary>
    /// With d = x[t] − x[t−1]: gain[t] = d unless d &lt; 0 (then 0), loss[t] = −d when d &lt; 0 (else 0); a NaN change
    /// counts as a gain, as in TA-Lib's <c>if (d &lt; 0) loss −= d; else gain += d;</c>.
    /// </summary>
    public static void GainsLosses(ReadOnlySpan<double> x, Span<double> gain, Span<double> loss)
    {
        int n = x.Length, t = 1;
        if (Vector256.IsHardwareAccelerated)
        {
            var zero = Vector256<double>.Zero;
            for (; t <= n - Vector256<double>.Count; t += Vector256<double>.Count)
            {
                var d = Vector256.Create(x[t..]) - Vector256.Create(x[(t - 1)..]);
                var negative = Vector256.LessThan(d, zero);
                Vector256.ConditionalSelect(negative, zero, d).CopyTo(gain[t..]);
                Vector256.ConditionalSelect(negative, -d, zero).CopyTo(loss[t..]);
            }
        }

        for (; t < n; t++)
        {
            double d = x[t] - x[t - 1];
            gain[t] = d < 0 ? 0 : d;
            loss[t] = d < 0 ? -d : 0;
        }
    }
}
