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

    /// <summary>signed[t] = volume[t] when close[t] &gt; close[t−1], −volume[t] when below, else 0 (OBV's step).</summary>
    public static void SignedVolume(ReadOnlySpan<double> close, ReadOnlySpan<double> volume, Span<double> signed)
    {
        int n = close.Length, t = 1;
        if (Vector256.IsHardwareAccelerated)
        {
            var zero = Vector256<double>.Zero;
            for (; t <= n - Vector256<double>.Count; t += Vector256<double>.Count)
            {
                var c = Vector256.Create(close[t..]);
                var prev = Vector256.Create(close[(t - 1)..]);
                var v = Vector256.Create(volume[t..]);
                var step = Vector256.ConditionalSelect(Vector256.LessThan(c, prev), -v, zero);
                Vector256.ConditionalSelect(Vector256.GreaterThan(c, prev), v, step).CopyTo(signed[t..]);
            }
        }

        for (; t < n; t++) signed[t] = close[t] > close[t - 1] ? volume[t] : close[t] < close[t - 1] ? -volume[t] : 0;
    }

    /// <summary>
    /// MFI's money flows: with tp = (high + low + close)/3, positive[t] = tp[t]·volume[t] when tp rose from t − 1,
    /// negative[t] likewise when it fell, else 0.
    /// </summary>
    public static void MoneyFlows(ReadOnlySpan<double> high, ReadOnlySpan<double> low, ReadOnlySpan<double> close, ReadOnlySpan<double> volume,
        Span<double> positive, Span<double> negative)
    {
        int n = close.Length, t = 1;
        if (Vector256.IsHardwareAccelerated)
        {
            var zero = Vector256<double>.Zero;
            var three = Vector256.Create(3.0);
            for (; t <= n - Vector256<double>.Count; t += Vector256<double>.Count)
            {
                var tp = (Vector256.Create(high[t..]) + Vector256.Create(low[t..]) + Vector256.Create(close[t..])) / three;
                var prev = (Vector256.Create(high[(t - 1)..]) + Vector256.Create(low[(t - 1)..]) + Vector256.Create(close[(t - 1)..])) / three;
                var flow = tp * Vector256.Create(volume[t..]);
                Vector256.ConditionalSelect(Vector256.GreaterThan(tp, prev), flow, zero).CopyTo(positive[t..]);
                Vector256.ConditionalSelect(Vector256.LessThan(tp, prev), flow, zero).CopyTo(negative[t..]);
            }
        }

        for (; t < n; t++)
        {
            double tp = (high[t] + low[t] + close[t]) / 3, prev = (high[t - 1] + low[t - 1] + close[t - 1]) / 3;
            double flow = tp * volume[t];
            positive[t] = tp > prev ? flow : 0;
            negative[t] = tp < prev ? flow : 0;
        }
    }

    /// <summary>ULTOSC's buying pressure: bp[t] = close[t] − min(low[t], close[t−1]).</summary>
    public static void BuyingPressure(ReadOnlySpan<double> low, ReadOnlySpan<double> close, Span<double> bp)
    {
        int n = close.Length, t = 1;
        if (Vector256.IsHardwareAccelerated)
        {
            for (; t <= n - Vector256<double>.Count; t += Vector256<double>.Count)
            {
                var trueLow = Vector256.Min(Vector256.Create(low[t..]), Vector256.Create(close[(t - 1)..]));
                (Vector256.Create(close[t..]) - trueLow).CopyTo(bp[t..]);
            }
        }

        for (; t < n; t++) bp[t] = close[t] - Math.Min(low[t], close[t - 1]);
    }
}
