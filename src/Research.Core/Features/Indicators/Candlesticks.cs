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
        int lookback = -1;
        foreach (var p in Patterns)
        {
            if (p.Name == name) lookback = p.Lookback;
        }

        if (lookback < 0) throw new ArgumentException($"Unknown candlestick pattern '{name}'.", nameof(name));
        Ta.SameLength(close.Length, output);
        if (!Ta.WarmUp(output, lookback)) return;
        var c = new Candles(open, high, low, close);
        for (int i = lookback; i < close.Length; i++) output[i] = Evaluate(name, c, i, penetration);
    }

    private static double Evaluate(string name, Candles c, int i, double penetration)
    {
        switch (name)
        {
            case "CDLDOJI":
                return c.Body(i) <= c.Average(CandleSetting.BodyDoji, i) ? 100 : 0;
            case "CDLDRAGONFLYDOJI":
                return c.Body(i) <= c.Average(CandleSetting.BodyDoji, i)
                    && c.Upper(i) < c.Average(CandleSetting.ShadowVeryShort, i)
                    && c.Lower(i) > c.Average(CandleSetting.ShadowVeryShort, i) ? 100 : 0;
            case "CDLGRAVESTONEDOJI":
                return c.Body(i) <= c.Average(CandleSetting.BodyDoji, i)
                    && c.Lower(i) < c.Average(CandleSetting.ShadowVeryShort, i)
                    && c.Upper(i) > c.Average(CandleSetting.ShadowVeryShort, i) ? 100 : 0;
            case "CDLLONGLEGGEDDOJI":
                return c.Body(i) <= c.Average(CandleSetting.BodyDoji, i)
                    && (c.Lower(i) > c.Average(CandleSetting.ShadowLong, i) || c.Upper(i) > c.Average(CandleSetting.ShadowLong, i)) ? 100 : 0;
            case "CDLHAMMER":
                return SmallBodyLongLowerShadow(c, i)
                    && Math.Min(c.Close[i], c.Open[i]) <= c.Low[i - 1] + c.Average(CandleSetting.Near, i - 1) ? 100 : 0;
            case "CDLHANGINGMAN":
                return SmallBodyLongLowerShadow(c, i)
                    && Math.Min(c.Close[i], c.Open[i]) >= c.High[i - 1] - c.Average(CandleSetting.Near, i - 1) ? -100 : 0;
            case "CDLINVERTEDHAMMER":
                return SmallBodyLongUpperShadow(c, i) && c.BodyGapDown(i, i - 1) ? 100 : 0;
            case "CDLSHOOTINGSTAR":
                return SmallBodyLongUpperShadow(c, i) && c.BodyGapUp(i, i - 1) ? -100 : 0;
            case "CDLMARUBOZU":
                return c.Body(i) > c.Average(CandleSetting.BodyLong, i)
                    && c.Upper(i) < c.Average(CandleSetting.ShadowVeryShort, i)
                    && c.Lower(i) < c.Average(CandleSetting.ShadowVeryShort, i) ? c.Color(i) * 100 : 0;
            case "CDLSPINNINGTOP":
                return c.Body(i) < c.Average(CandleSetting.BodyShort, i) && c.Upper(i) > c.Body(i) && c.Lower(i) > c.Body(i)
                    ? c.Color(i) * 100 : 0;
            case "CDLENGULFING":
                return Engulfing(c, i);
            case "CDLHARAMI":
                return Harami(c, i);
            case "CDLMORNINGSTAR":
                return c.Body(i - 2) > c.Average(CandleSetting.BodyLong, i - 2) && c.Color(i - 2) == -1
                    && c.Body(i - 1) <= c.Average(CandleSetting.BodyShort, i - 1) && c.BodyGapDown(i - 1, i - 2)
                    && c.Body(i) > c.Average(CandleSetting.BodyShort, i) && c.Color(i) == 1
                    && c.Close[i] > c.Close[i - 2] + c.Body(i - 2) * penetration ? 100 : 0;
            case "CDLEVENINGSTAR":
                return c.Body(i - 2) > c.Average(CandleSetting.BodyLong, i - 2) && c.Color(i - 2) == 1
                    && c.Body(i - 1) <= c.Average(CandleSetting.BodyShort, i - 1) && c.BodyGapUp(i - 1, i - 2)
                    && c.Body(i) > c.Average(CandleSetting.BodyShort, i) && c.Color(i) == -1
                    && c.Close[i] < c.Close[i - 2] - c.Body(i - 2) * penetration ? -100 : 0;
            default:
                throw new ArgumentException($"Unknown candlestick pattern '{name}'.", nameof(name));
        }
    }

    private static bool SmallBodyLongLowerShadow(Candles c, int i) =>
        c.Body(i) < c.Average(CandleSetting.BodyShort, i)
        && c.Lower(i) > c.Average(CandleSetting.ShadowLong, i)
        && c.Upper(i) < c.Average(CandleSetting.ShadowVeryShort, i);

    private static bool SmallBodyLongUpperShadow(Candles c, int i) =>
        c.Body(i) < c.Average(CandleSetting.BodyShort, i)
        && c.Upper(i) > c.Average(CandleSetting.ShadowLong, i)
        && c.Lower(i) < c.Average(CandleSetting.ShadowVeryShort, i);

    private static double Engulfing(Candles c, int i)
    {
        double o = c.Open[i], cl = c.Close[i], po = c.Open[i - 1], pc = c.Close[i - 1];
        bool bullish = c.Color(i) == 1 && c.Color(i - 1) == -1 && ((cl >= po && o < pc) || (cl > po && o <= pc));
        bool bearish = c.Color(i) == -1 && c.Color(i - 1) == 1 && ((o >= pc && cl < po) || (o > pc && cl <= po));
        if (!bullish && !bearish) return 0;
        return c.Color(i) * (o != pc && cl != po ? 100 : 80);
    }

    private static double Harami(Candles c, int i)
    {
        if (!(c.Body(i - 1) > c.Average(CandleSetting.BodyLong, i - 1) && c.Body(i) <= c.Average(CandleSetting.BodyShort, i))) return 0;
        double top = Math.Max(c.Close[i], c.Open[i]), bottom = Math.Min(c.Close[i], c.Open[i]);
        double prevTop = Math.Max(c.Close[i - 1], c.Open[i - 1]), prevBottom = Math.Min(c.Close[i - 1], c.Open[i - 1]);
        if (top < prevTop && bottom > prevBottom) return -c.Color(i - 1) * 100;
        if (top <= prevTop && bottom >= prevBottom) return -c.Color(i - 1) * 80;
        return 0;
    }

    /// <summary>Candle parts and trailing averages over one OHLC series.</summary>
    private readonly ref struct Candles(ReadOnlySpan<double> open, ReadOnlySpan<double> high, ReadOnlySpan<double> low, ReadOnlySpan<double> close)
    {
        public readonly ReadOnlySpan<double> Open = open;
        public readonly ReadOnlySpan<double> High = high;
        public readonly ReadOnlySpan<double> Low = low;
        public readonly ReadOnlySpan<double> Close = close;

        public double Body(int i) => Math.Abs(Close[i] - Open[i]);

        public double Upper(int i) => High[i] - (Close[i] >= Open[i] ? Close[i] : Open[i]);

        public double Lower(int i) => (Close[i] >= Open[i] ? Open[i] : Close[i]) - Low[i];

        public int Color(int i) => Close[i] >= Open[i] ? 1 : -1;

        public bool BodyGapUp(int i, int j) => Math.Min(Open[i], Close[i]) > Math.Max(Open[j], Close[j]);

        public bool BodyGapDown(int i, int j) => Math.Max(Open[i], Close[i]) < Math.Min(Open[j], Close[j]);

        private double RangeOf(CandleRange range, int i) => range switch
        {
            CandleRange.RealBody => Body(i),
            CandleRange.HighLow => High[i] - Low[i],
            _ => Upper(i) + Lower(i),
        };

        /// <summary>Factor × the average range of the candles before <paramref name="i"/> (or candle i's own range for period 0).</summary>
        public double Average(CandleSetting s, int i)
        {
            double a;
            if (s.AveragePeriod == 0)
            {
                a = RangeOf(s.Range, i);
            }
            else
            {
                double sum = 0;
                for (int j = i - s.AveragePeriod; j < i; j++) sum += RangeOf(s.Range, j);
                a = sum / s.AveragePeriod;
            }

            return s.Factor * a / (s.Range == CandleRange.Shadows ? 2.0 : 1.0);
        }
    }
}
