namespace Research.Core.Data;

/// <summary>
/// The ordered bars a panel is laid out on. A daily calendar holds exchange dates (strictly increasing). An intraday
/// calendar holds UTC instants (each bar's start, strictly increasing) and, for each, its session date in
/// America/New_York (<see cref="UsEquitySession"/>), so several bars share a date.
/// </summary>
public sealed class TradingCalendar
{
    private readonly DateOnly[] _dates;
    private readonly DateTime[]? _times;

    /// <summary>Creates a daily calendar; <paramref name="dates"/> must be strictly increasing.</summary>
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

    private TradingCalendar(DateTime[] times, DateOnly[] dates)
    {
        _times = times;
        _dates = dates;
    }

    /// <summary>
    /// Creates an intraday calendar from bar start instants (UTC, strictly increasing); each bar's date is its
    /// session date in New York.
    /// </summary>
    public static TradingCalendar Intraday(DateTime[] utcTimes)
    {
        var dates = new DateOnly[utcTimes.Length];
        for (int i = 0; i < utcTimes.Length; i++)
        {
            if (utcTimes[i].Kind != DateTimeKind.Utc)
                throw new ArgumentException($"Calendar instant {utcTimes[i]:O} at index {i} is not UTC.", nameof(utcTimes));
            if (i > 0 && utcTimes[i] <= utcTimes[i - 1])
            {
                throw new ArgumentException(
                    $"Calendar instants must be strictly increasing: {utcTimes[i - 1]:O} then {utcTimes[i]:O} at index {i}.",
                    nameof(utcTimes));
            }

            dates[i] = UsEquitySession.SessionDate(utcTimes[i]);
        }

        return new TradingCalendar(utcTimes, dates);
    }

    /// <summary>A calendar from sort keys (<see cref="BarSeries.Key"/>): day numbers, or UTC ticks when intraday.</summary>
    public static TradingCalendar FromKeys(long[] keys, bool intraday) => intraday
        ? Intraday(keys.Select(k => new DateTime(k, DateTimeKind.Utc)).ToArray())
        : new TradingCalendar(keys.Select(k => DateOnly.FromDayNumber((int)k)).ToArray());

    /// <summary>The union of the dates of all <paramref name="series"/>.</summary>
    public static TradingCalendar Union(IEnumerable<IEnumerable<DateOnly>> series)
    {
        var set = new SortedSet<DateOnly>();
        foreach (var s in series) set.UnionWith(s);
        return new TradingCalendar([.. set]);
    }

    /// <summary>Number of bars.</summary>
    public int Count => _dates.Length;

    /// <summary>True when the bars are intraday (instants), false for daily bars (dates).</summary>
    public bool IsIntraday => _times is not null;

    /// <summary>The (session) date of bar <paramref name="index"/>.</summary>
    public DateOnly this[int index] => _dates[index];

    /// <summary>The (session) dates, one per bar; intraday bars of one session share a date.</summary>
    public ReadOnlySpan<DateOnly> Dates => _dates;

    /// <summary>Bar start instants (UTC) of an intraday calendar; empty for a daily one.</summary>
    public ReadOnlySpan<DateTime> Times => _times;

    /// <summary>The bar's start instant (UTC) when intraday; the date at midnight (unspecified kind) when daily.</summary>
    public DateTime Time(int index) => _times is null ? _dates[index].ToDateTime(TimeOnly.MinValue) : _times[index];

    /// <summary>The bar's sort key: UTC ticks when intraday, the day number when daily.</summary>
    public long Key(int index) => _times is null ? _dates[index].DayNumber : _times[index].Ticks;

    /// <summary>First (session) date.</summary>
    public DateOnly First => _dates[0];

    /// <summary>Last (session) date.</summary>
    public DateOnly Last => _dates[^1];

    /// <summary>
    /// Bars per year for annualisation: 252 for daily bars; 252 × the mean number of bars per session for intraday
    /// bars (390 for complete regular-hours 1-minute sessions).
    /// </summary>
    public double PeriodsPerYear
    {
        get
        {
            if (_times is null || _dates.Length == 0) return 252;
            int sessions = 1;
            for (int i = 1; i < _dates.Length; i++)
            {
                if (_dates[i] != _dates[i - 1]) sessions++;
            }

            return 252.0 * Math.Round((double)_dates.Length / sessions);
        }
    }

    /// <summary>Index of the first bar dated <paramref name="date"/>, or -1.</summary>
    public int IndexOf(DateOnly date)
    {
        int i = LowerBound(date);
        return i < _dates.Length && _dates[i] == date ? i : -1;
    }

    /// <summary>Index of the first bar dated on or after <paramref name="date"/> (Count when none).</summary>
    public int LowerBound(DateOnly date)
    {
        int lo = 0, hi = _dates.Length;
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            if (_dates[mid] < date) lo = mid + 1;
            else hi = mid;
        }

        return lo;
    }

    /// <summary>The bars in [start, end) as a new calendar.</summary>
    public TradingCalendar Slice(int start, int end) =>
        _times is null ? new(_dates[start..end]) : new(_times[start..end], _dates[start..end]);

    /// <summary>A copy of the (session) dates.</summary>
    public DateOnly[] ToArray() => (DateOnly[])_dates.Clone();

    /// <summary>The calendar restricted to the bars whose keys are not in <paramref name="drop"/>.</summary>
    internal TradingCalendar Without(HashSet<long> drop)
    {
        var keep = Enumerable.Range(0, Count).Where(i => !drop.Contains(Key(i))).ToArray();
        return _times is null ? new(keep.Select(i => _dates[i]).ToArray()) : new(keep.Select(i => _times[i]).ToArray(), keep.Select(i => _dates[i]).ToArray());
    }
}
