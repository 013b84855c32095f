namespace Research.Core.Data;

/// <summary>
/// One ticker's bars as read from a file or a provider: columnar arrays in file order (possibly unsorted or with
/// duplicates until the quality checker has run), missing values as <see cref="double.NaN"/>, and the source line
/// of every row so defects can be reported as <c>file:line</c>.
/// </summary>
public sealed class BarSeries
{
    /// <summary>Creates a series; all arrays must have the same length.</summary>
    public BarSeries(string ticker, string source, DateOnly[] dates, double[] open, double[] high, double[] low,
        double[] close, double[] volume, double[]? adjClose, int[] lines, DateTime[]? times = null)
    {
        int n = dates.Length;
        if (open.Length != n || high.Length != n || low.Length != n || close.Length != n || volume.Length != n
            || lines.Length != n || (adjClose is not null && adjClose.Length != n) || (times is not null && times.Length != n))
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
        Times = times;
    }

    /// <summary>
    /// An intraday series from bar start instants (UTC); each row's date is its New York session date.
    /// </summary>
    public static BarSeries Intraday(string ticker, string source, DateTime[] utcTimes, double[] open, double[] high,
        double[] low, double[] close, double[] volume, double[]? adjClose, int[] lines) =>
        new(ticker, source, utcTimes.Select(UsEquitySession.SessionDate).ToArray(), open, high, low, close, volume,
            adjClose, lines, utcTimes);

    /// <summary>Ticker symbol (the file's <c>Name</c> column, or the file name without extension).</summary>
    public string Ticker { get; }

    /// <summary>Where the rows came from (a file path or a stream name).</summary>
    public string Source { get; }

    /// <summary>Row dates (for intraday rows, the New York session date).</summary>
    public DateOnly[] Dates { get; }

    /// <summary>Bar start instants (UTC) of intraday rows, or null for daily bars.</summary>
    public DateTime[]? Times { get; }

    /// <summary>True for intraday bars (rows keyed by instant rather than date).</summary>
    public bool IsIntraday => Times is not null;

    /// <summary>Row <paramref name="row"/>'s sort key: UTC ticks when intraday, the day number when daily.</summary>
    public long Key(int row) => Times is null ? Dates[row].DayNumber : Times[row].Ticks;

    /// <summary>Row <paramref name="row"/>'s date, or instant for intraday rows, as report text.</summary>
    public string Stamp(int row) => Times is null
        ? Dates[row].ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)
        : Times[row].ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);

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
            Pick(Volume), AdjClose is null ? null : Pick(AdjClose), Pick(Lines), Times is null ? null : Pick(Times));
    }

    /// <summary>Where row <paramref name="row"/> came from, as <c>file:line</c>.</summary>
    public string Where(int row) => $"{Source}:{Lines[row]}";
}
