namespace Research.Core.Data;

/// <summary>The ordered, distinct trading dates a panel is laid out on.</summary>
public sealed class TradingCalendar
{
    private readonly DateOnly[] _dates;

    /// <summary>Creates a calendar; <paramref name="dates"/> must be strictly increasing.</summary>
    public TradingCalendar(DateOnly[] dates)
    {
        for (int i = 1; i < dates.Length; i++)
        {
            if (dates[i] <= dates[i - 1])
            {
                throw new ArgumentException(
                    $"Calendar dates must be strictly increasing: {dates[i - 1]:yyyy-MM-dd} then {dates[i]:yyyy-MM-dd} at index {i}.",
                    nameof(dates));
            }
        }

        _dates = dates;
    }

    /// <summary>The union of the dates of all <paramref name="series"/>.</summary>
    public static TradingCalendar Union(IEnumerable<IEnumerable<DateOnly>> series)
    {
        var set = new SortedSet<DateOnly>();
        foreach (var s in series) set.UnionWith(s);
        return new TradingCalendar([.. set]);
    }

    /// <summary>Number of dates.</summary>
    public int Count => _dates.Length;

    /// <summary>The date at <paramref name="index"/>.</summary>
    public DateOnly this[int index] => _dates[index];

    /// <summary>The dates.</summary>
    public ReadOnlySpan<DateOnly> Dates => _dates;

    /// <summary>First date.</summary>
    public DateOnly First => _dates[0];

    /// <summary>Last date.</summary>
    public DateOnly Last => _dates[^1];

    /// <summary>Index of <paramref name="date"/>, or -1.</summary>
    public int IndexOf(DateOnly date)
    {
        int i = Array.BinarySearch(_dates, date);
        return i >= 0 ? i : -1;
    }

    /// <summary>Index of the first date on or after <paramref name="date"/> (Count when none).</summary>
    public int LowerBound(DateOnly date)
    {
        int i = Array.BinarySearch(_dates, date);
        return i >= 0 ? i : ~i;
    }

    /// <summary>The dates in [start, end) as a new calendar.</summary>
    public TradingCalendar Slice(int start, int end) => new(_dates[start..end]);

    /// <summary>A copy of the dates.</summary>
    public DateOnly[] ToArray() => (DateOnly[])_dates.Clone();
}
