namespace Research.Core.Data;

/// <summary>Which part of the US equity trading day intraday bars are kept from.</summary>
public enum SessionHours
{
    /// <summary>The regular session, 09:30–16:00 New York time.</summary>
    Regular,

    /// <summary>Pre-market, regular and after-hours trading, 04:00–20:00 New York time.</summary>
    Extended,
}

/// <summary>
/// US equity session times in America/New_York with its daylight-saving rules (IANA time zone data): the session
/// date of an instant and whether a bar falls in regular or extended hours.
/// </summary>
public static class UsEquitySession
{
    /// <summary>America/New_York.</summary>
    public static TimeZoneInfo NewYork { get; } = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");

    /// <summary>Regular session open, New York time.</summary>
    public static TimeOnly RegularOpen { get; } = new(9, 30);

    /// <summary>Regular session close, New York time.</summary>
    public static TimeOnly RegularClose { get; } = new(16, 0);

    /// <summary>Extended hours start (pre-market), New York time.</summary>
    public static TimeOnly ExtendedOpen { get; } = new(4, 0);

    /// <summary>Extended hours end (after-hours), New York time.</summary>
    public static TimeOnly ExtendedClose { get; } = new(20, 0);

    /// <summary>The New York wall-clock time of a UTC instant.</summary>
    public static DateTime ToNewYork(DateTime utc) =>
        TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc), NewYork);

    /// <summary>The UTC instant of a New York wall-clock time on <paramref name="date"/>.</summary>
    public static DateTime ToUtc(DateOnly date, TimeOnly time) =>
        TimeZoneInfo.ConvertTimeToUtc(date.ToDateTime(time, DateTimeKind.Unspecified), NewYork);

    /// <summary>The session (New York) date of a UTC instant.</summary>
    public static DateOnly SessionDate(DateTime utc) => DateOnly.FromDateTime(ToNewYork(utc));

    /// <summary>True when a bar starting at <paramref name="utc"/> lies in <paramref name="hours"/> on a weekday.</summary>
    public static bool Contains(SessionHours hours, DateTime utc)
    {
        var local = ToNewYork(utc);
        if (local.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday) return false;
        var t = TimeOnly.FromDateTime(local);
        return hours == SessionHours.Regular
            ? t >= RegularOpen && t < RegularClose
            : t >= ExtendedOpen && t < ExtendedClose;
    }
}
