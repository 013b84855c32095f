namespace Research.Core.Features.Indicators;

/// <summary>
/// Candlestick pattern recognisers with TA-Lib's definitions and default candle settings. Outputs are TA-Lib's
/// integers as doubles: +100 bullish, −100 bearish, ±80 for the weaker variant some patterns report, 0 otherwise;
/// NaN before the lookback.
/// </summary>
public static class Candlesticks
{
    /// <summary>The patterns, each with its lookback.</summary>
    public static IReadOnlyList<(string Name, int Lookback, string Description)> Patterns { get; } =
    [
        ("CDLDOJI", 10, "Doji"),
        ("CDLDRAGONFLYDOJI", 10, "Dragonfly doji"),
        ("CDLGRAVESTONEDOJI", 10, "Gravestone doji"),
        ("CDLLONGLEGGEDDOJI", 10, "Long-legged doji"),
        ("CDLHAMMER", 11, "Hammer"),
        ("CDLHANGINGMAN", 11, "Hanging man"),
        ("CDLINVERTEDHAMMER", 11, "Inverted hammer"),
        ("CDLSHOOTINGSTAR", 11, "Shooting star"),
        ("CDLMARUBOZU", 10, "Marubozu"),
        ("CDLSPINNINGTOP", 10, "Spinning top"),
        ("CDLENGULFING", 2, "Engulfing"),
        ("CDLHARAMI", 11, "Harami"),
        ("CDLMORNINGSTAR", 12, "Morning star (penetration 0.3)"),
        ("CDLEVENINGSTAR", 12, "Evening star (penetration 0.3)"),
    ];

    /// <summary>Recognises pattern <paramref name="name"/> (a name from <see cref="Patterns"/>) on every bar.</summary>
    public static void Recognize(string name, ReadOnlySpan<double> open, ReadOnlySpan<double> high, ReadOnlySpan<double> low,
        ReadOnlySpan<double> close, Span<double> output, double penetration = 0.3)
    {
        int pattern = -1;
        for (int k = 0; k < Patterns.Count; k++)
        {
            if (Patterns[k].Name == name) pattern = k;
        }

        if (pattern < 0) throw new ArgumentException($"Unknown candlestick pattern '{name}'.", nameof(name));
        int lookback = Patterns[pattern].Lookback;
        Ta.SameLength(close.Length, output);
        if (!Ta.WarmUp(output, lookback)) return;
        var c = CandleParts.Get(open, high, low, close);
        Fill(pattern, c, open, high, low, close, output, lookback, penetration);
    }

    /// <summary>One tight loop per pattern over the precomputed candle parts and thresholds.</summary>
    private static void Fill(int pattern, CandleParts c, ReadOnlySpan<double> o, ReadOnlySpan<double> h, ReadOnlySpan<double> l,
        ReadOnlySpan<double> cl, Span<double> output, int lookback, double penetration)
    {
        double[] body = c.Body, upper = c.Upper, lower = c.Lower, doji = c.BodyDoji, vshort = c.ShadowVeryShort;
        double[] bshort = c.BodyShort, blong = c.BodyLong, near = c.Near;
        int n = cl.Length;
        switch (pattern)
        {
            case 0: // CDLDOJI
                for (int i = lookback; i < n; i++) output[i] = body[i] <= doji[i] ? 100 : 0;
                break;
            case 1: // CDLDRAGONFLYDOJI
                for (int i = lookback; i < n; i++) output[i] = body[i] <= doji[i] && upper[i] < vshort[i] && lower[i] > vshort[i] ? 100 : 0;
                break;
            case 2: // CDLGRAVESTONEDOJI
                for (int i = lookback; i < n; i++) output[i] = body[i] <= doji[i] && lower[i] < vshort[i] && upper[i] > vshort[i] ? 100 : 0;
                break;
            case 3: // CDLLONGLEGGEDDOJI (ShadowLong: longer than the candle's own body)
                for (int i = lookback; i < n; i++) output[i] = body[i] <= doji[i] && (lower[i] > body[i] || upper[i] > body[i]) ? 100 : 0;
                break;
            case 4: // CDLHAMMER
                for (int i = lookback; i < n; i++)
                {
                    output[i] = body[i] < bshort[i] && lower[i] > body[i] && upper[i] < vshort[i]
                        && Math.Min(cl[i], o[i]) <= l[i - 1] + near[i - 1] ? 100 : 0;
                }

                break;
            case 5: // CDLHANGINGMAN
                for (int i = lookback; i < n; i++)
                {
                    output[i] = body[i] < bshort[i] && lower[i] > body[i] && upper[i] < vshort[i]
                        && Math.Min(cl[i], o[i]) >= h[i - 1] - near[i - 1] ? -100 : 0;
                }

                break;
            case 6: // CDLINVERTEDHAMMER
                for (int i = lookback; i < n; i++)
                {
                    output[i] = body[i] < bshort[i] && upper[i] > body[i] && lower[i] < vshort[i]
                        && Math.Max(o[i], cl[i]) < Math.Min(o[i - 1], cl[i - 1]) ? 100 : 0;
                }

                break;
            case 7: // CDLSHOOTINGSTAR
                for (int i = lookback; i < n; i++)
                {
                    output[i] = body[i] < bshort[i] && upper[i] > body[i] && lower[i] < vshort[i]
                        && Math.Min(o[i], cl[i]) > Math.Max(o[i - 1], cl[i - 1]) ? -100 : 0;
                }

                break;
            case 8: // CDLMARUBOZU
                for (int i = lookback; i < n; i++)
                {
                    output[i] = body[i] > blong[i] && upper[i] < vshort[i] && lower[i] < vshort[i] ? Color(o, cl, i) * 100 : 0;
                }

                break;
            case 9: // CDLSPINNINGTOP
                for (int i = lookback; i < n; i++)
                {
                    output[i] = body[i] < bshort[i] && upper[i] > body[i] && lower[i] > body[i] ? Color(o, cl, i) * 100 : 0;
                }

                break;
            case 10: // CDLENGULFING
                for (int i = lookback; i < n; i++) output[i] = Engulfing(o, cl, i);
                break;
            case 11: // CDLHARAMI
                for (int i = lookback; i < n; i++) output[i] = Harami(o, cl, body, blong, bshort, i);
                break;
            case 12: // CDLMORNINGSTAR
                for (int i = lookback; i < n; i++)
                {
                    output[i] = body[i - 2] > blong[i - 2] && Color(o, cl, i - 2) == -1
                        && body[i - 1] <= bshort[i - 1] && Math.Max(o[i - 1], cl[i - 1]) < Math.Min(o[i - 2], cl[i - 2])
                        && body[i] > bshort[i] && Color(o, cl, i) == 1
                        && cl[i] > cl[i - 2] + body[i - 2] * penetration ? 100 : 0;
                }

                break;
            case 13: // CDLEVENINGSTAR
                for (int i = lookback; i < n; i++)
                {
                    output[i] = body[i - 2] > blong[i - 2] && Color(o, cl, i - 2) == 1
                        && body[i - 1] <= bshort[i - 1] && Math.Min(o[i - 1], cl[i - 1]) > Math.Max(o[i - 2], cl[i - 2])
                        && body[i] > bshort[i] && Color(o, cl, i) == -1
                        && cl[i] < cl[i - 2] - body[i - 2] * penetration ? -100 : 0;
                }

                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(pattern), pattern, "Unknown candlestick pattern index.");
        }
    }

    private static int Color(ReadOnlySpan<double> open, ReadOnlySpan<double> close, int i) => close[i] >= open[i] ? 1 : -1;

    private static double Engulfing(ReadOnlySpan<double> open, ReadOnlySpan<double> close, int i)
    {
        double o = open[i], cl = close[i], po = open[i - 1], pc = close[i - 1];
        int color = Color(open, close, i), prevColor = Color(open, close, i - 1);
        bool bullish = color == 1 && prevColor == -1 && ((cl >= po && o < pc) || (cl > po && o <= pc));
        bool bearish = color == -1 && prevColor == 1 && ((o >= pc && cl < po) || (o > pc && cl <= po));
        if (!bullish && !bearish) return 0;
        return color * (o != pc && cl != po ? 100 : 80);
    }

    private static double Harami(ReadOnlySpan<double> open, ReadOnlySpan<double> close, double[] body, double[] blong, double[] bshort, int i)
    {
        if (!(body[i - 1] > blong[i - 1] && body[i] <= bshort[i])) return 0;
        double top = Math.Max(close[i], open[i]), bottom = Math.Min(close[i], open[i]);
        double prevTop = Math.Max(close[i - 1], open[i - 1]), prevBottom = Math.Min(close[i - 1], open[i - 1]);
        if (top < prevTop && bottom > prevBottom) return -Color(open, close, i - 1) * 100;
        if (top <= prevTop && bottom >= prevBottom) return -Color(open, close, i - 1) * 80;
        return 0;
    }
}
