namespace Research.Core.Data;

/// <summary>
/// One ticker's daily bars as read from a file: columnar arrays in file order (possibly unsorted or with
/// duplicates until the quality checker has run), missing values as <see cref="double.NaN"/>, and the source line
/// of every row so defects can be reported as <c>file:line</c>.
/// </summary>
public sealed class BarSeries
{
    /// <summary>Creates a series; all arrays must have the same length.</summary>
    public BarSeries(string ticker, string source, DateOnly[] dates, double[] open, double[] high, double[] low,
        double[] close, double[] volume, double[]? adjClose, int[] lines)
    {
        int n = dates.Length;
        if (open.Length != n || high.Length != n || low.Length != n || close.Length != n || volume.Length != n
            || lines.Length != n || (adjClose is not null && adjClose.Length != n))
        {
            throw new ArgumentException($"All columns of series '{ticker}' must have {n} rows.", nameof(dates));
        }

        Ticker = ticker;
        Source = source;
        Dates = dates;
        Open = open;
        High = high;
        Low = low;
        Close = close;
        Volume = volume;
        AdjClose = adjClose;
        Lines = lines;
    }

    /// <summary>Ticker symbol (the file's <c>Name</c> column, or the file name without extension).</summary>
    public string Ticker { get; }

    /// <summary>Where the rows came from (a file path or a stream name).</summary>
    public string Source { get; }

    /// <summary>Row dates.</summary>
    public DateOnly[] Dates { get; }

    /// <summary>Opening prices.</summary>
    public double[] Open { get; }

    /// <summary>High prices.</summary>
    public double[] High { get; }

    /// <summary>Low prices.</summary>
    public double[] Low { get; }

    /// <summary>Closing prices.</summary>
    public double[] Close { get; }

    /// <summary>Volumes.</summary>
    public double[] Volume { get; }

    /// <summary>Adjusted closes, or null when the source has no such column.</summary>
    public double[]? AdjClose { get; }

    /// <summary>1-based source line of each row.</summary>
    public int[] Lines { get; }

    /// <summary>Number of rows.</summary>
    public int Count => Dates.Length;

    /// <summary>The column for <paramref name="field"/> (null for a missing adjusted close).</summary>
    public double[]? Column(PriceField field) => field switch
    {
        PriceField.Open => Open,
        PriceField.High => High,
        PriceField.Low => Low,
        PriceField.Close => Close,
        PriceField.Volume => Volume,
        PriceField.AdjClose => AdjClose,
        _ => throw new ArgumentOutOfRangeException(nameof(field), field, null),
    };

    /// <summary>A copy holding only the rows at <paramref name="rows"/>, in that order.</summary>
    public BarSeries Select(IReadOnlyList<int> rows)
    {
        T[] Pick<T>(T[] a)
        {
            var r = new T[rows.Count];
            for (int i = 0; i < r.Length; i++) r[i] = a[rows[i]];
            return r;
        }

        return new BarSeries(Ticker, Source, Pick(Dates), Pick(Open), Pick(High), Pick(Low), Pick(Close),
            Pick(Volume), AdjClose is null ? null : Pick(AdjClose), Pick(Lines));
    }

    /// <summary>Where row <paramref name="row"/> came from, as <c>file:line</c>.</summary>
    public string Where(int row) => $"{Source}:{Lines[row]}";
}
