using Research.Core.Data;

namespace Research.Core.Features.Catalog;

/// <summary>One ticker's bars as parallel arrays (a view: slicing copies nothing).</summary>
public readonly record struct Ohlcv(ReadOnlyMemory<double> Open, ReadOnlyMemory<double> High, ReadOnlyMemory<double> Low,
    ReadOnlyMemory<double> Close, ReadOnlyMemory<double> Volume)
{
    /// <summary>Number of bars.</summary>
    public int Length => Close.Length;

    /// <summary>The input named <paramref name="field"/>.</summary>
    public ReadOnlyMemory<double> Field(PriceField field) => field switch
    {
        PriceField.Open => Open,
        PriceField.High => High,
        PriceField.Low => Low,
        PriceField.Close => Close,
        PriceField.Volume => Volume,
        _ => throw new ArgumentOutOfRangeException(nameof(field), field, "Indicators read open, high, low, close and volume."),
    };

    /// <summary>The bars from <paramref name="start"/> on.</summary>
    public Ohlcv Slice(int start) =>
        new(Open[start..], High[start..], Low[start..], Close[start..], Volume[start..]);

    /// <summary>One ticker of a panel (a copy of its five series).</summary>
    public static Ohlcv FromPanel(MarketPanel panel, int ticker) =>
        new(panel.Series(PriceField.Open, ticker).ToArray(), panel.Series(PriceField.High, ticker).ToArray(),
            panel.Series(PriceField.Low, ticker).ToArray(), panel.Series(PriceField.Close, ticker).ToArray(),
            panel.Series(PriceField.Volume, ticker).ToArray());

    /// <summary>Wraps arrays of equal length; throws naming the array whose length differs.</summary>
    public static Ohlcv Of(double[] open, double[] high, double[] low, double[] close, double[] volume)
    {
        foreach (var (a, name) in new[] { (open, nameof(open)), (high, nameof(high)), (low, nameof(low)), (volume, nameof(volume)) })
        {
            if (a.Length != close.Length) throw new ArgumentException($"{name} has {a.Length} values; close has {close.Length}.", name);
        }

        return new Ohlcv(open, high, low, close, volume);
    }
}
