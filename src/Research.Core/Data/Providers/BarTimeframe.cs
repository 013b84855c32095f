namespace Research.Core.Data.Providers;

/// <summary>
/// A bar timeframe in Alpaca's spelling (<c>1Min</c>, <c>5Min</c>, <c>15Min</c>, <c>1Hour</c>, <c>1Day</c>): the
/// length of one bar and how many a regular US session holds.
/// </summary>
public readonly record struct BarTimeframe
{
    private BarTimeframe(string name, TimeSpan duration)
    {
        Name = name;
        Duration = duration;
    }

    /// <summary>One-minute bars.</summary>
    public static BarTimeframe Minute1 { get; } = new("1Min", TimeSpan.FromMinutes(1));

    /// <summary>Five-minute bars.</summary>
    public static BarTimeframe Minute5 { get; } = new("5Min", TimeSpan.FromMinutes(5));

    /// <summary>Fifteen-minute bars.</summary>
    public static BarTimeframe Minute15 { get; } = new("15Min", TimeSpan.FromMinutes(15));

    /// <summary>Hourly bars.</summary>
    public static BarTimeframe Hour1 { get; } = new("1Hour", TimeSpan.FromHours(1));

    /// <summary>Daily bars (exchange dates).</summary>
    public static BarTimeframe Day1 { get; } = new("1Day", TimeSpan.FromDays(1));

    /// <summary>Every supported timeframe.</summary>
    public static IReadOnlyList<BarTimeframe> All { get; } = [Minute1, Minute5, Minute15, Hour1, Day1];

    /// <summary>Alpaca's name of the timeframe (also used in cache file names).</summary>
    public string Name { get; }

    /// <summary>The length of one bar.</summary>
    public TimeSpan Duration { get; }

    /// <summary>True for daily bars.</summary>
    public bool IsDaily => Duration >= TimeSpan.FromDays(1);

    /// <summary>Bars in one regular 6.5-hour session (1 for daily bars; 7 for hourly bars, the last one half an hour).</summary>
    public int BarsPerSession => IsDaily ? 1 : (int)Math.Ceiling(TimeSpan.FromHours(6.5) / Duration);

    /// <summary>Bars per year for annualisation: 252 sessions × <see cref="BarsPerSession"/>.</summary>
    public double PeriodsPerYear => 252.0 * BarsPerSession;

    /// <summary>Parses <c>1Min|5Min|15Min|1Hour|1Day</c> (case-insensitive; also <c>1m</c>, <c>1h</c>, <c>1d</c>).</summary>
    public static BarTimeframe Parse(string text)
    {
        foreach (var t in All)
        {
            if (string.Equals(t.Name, text, StringComparison.OrdinalIgnoreCase)) return t;
        }

        return text.ToLowerInvariant() switch
        {
            "1m" => Minute1,
            "5m" => Minute5,
            "15m" => Minute15,
            "1h" or "60m" => Hour1,
            "1d" => Day1,
            _ => throw new ArgumentException(
                $"timeframe '{text}': expected one of {string.Join(", ", All.Select(t => t.Name))}.", nameof(text)),
        };
    }

    /// <inheritdoc/>
    public override string ToString() => Name;
}
