namespace Research.Core.Features.Indicators;

/// <summary>What a candle setting measures.</summary>
public enum CandleRange
{
    /// <summary>|close − open|.</summary>
    RealBody,

    /// <summary>high − low.</summary>
    HighLow,

    /// <summary>Upper plus lower shadow (averages are halved, as TA-Lib).</summary>
    Shadows,
}

/// <summary>
/// One of TA-Lib's candle settings: a candle part is compared with <see cref="Factor"/> × the average
/// <see cref="Range"/> of the <see cref="AveragePeriod"/> previous candles (or of the candle itself when the period is 0).
/// </summary>
public readonly record struct CandleSetting(CandleRange Range, int AveragePeriod, double Factor)
{
    /// <summary>A long real body: longer than the average body of the last 10 candles.</summary>
    public static CandleSetting BodyLong => new(CandleRange.RealBody, 10, 1.0);

    /// <summary>A short real body: shorter than the average body of the last 10 candles.</summary>
    public static CandleSetting BodyShort => new(CandleRange.RealBody, 10, 1.0);

    /// <summary>A doji body: at most 10% of the average high-low range of the last 10 candles.</summary>
    public static CandleSetting BodyDoji => new(CandleRange.HighLow, 10, 0.1);

    /// <summary>A long shadow: longer than the candle's own real body.</summary>
    public static CandleSetting ShadowLong => new(CandleRange.RealBody, 0, 1.0);

    /// <summary>A very short shadow: under 10% of the average high-low range of the last 10 candles.</summary>
    public static CandleSetting ShadowVeryShort => new(CandleRange.HighLow, 10, 0.1);

    /// <summary>"Near": within 20% of the average high-low range of the last 5 candles.</summary>
    public static CandleSetting Near => new(CandleRange.HighLow, 5, 0.2);
}
