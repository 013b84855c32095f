namespace Research.Core.Features.Indicators;

/// <summary>TA-Lib's moving-average types (TA_MAType), used by indicators that take an MA type parameter.</summary>
public enum MaType
{
    /// <summary>Simple moving average.</summary>
    Sma = 0,

    /// <summary>Exponential moving average (seeded with the SMA of the first period).</summary>
    Ema = 1,

    /// <summary>Linearly weighted moving average.</summary>
    Wma = 2,

    /// <summary>Double exponential moving average.</summary>
    Dema = 3,

    /// <summary>Triple exponential moving average.</summary>
    Tema = 4,

    /// <summary>Triangular moving average.</summary>
    Trima = 5,

    /// <summary>Kaufman adaptive moving average.</summary>
    Kama = 6,

    /// <summary>Tillson T3 (volume factor 0.7).</summary>
    T3 = 8,
}
