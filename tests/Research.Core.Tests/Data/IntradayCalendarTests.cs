using System.Globalization;
using Research.Core.Configuration;
using Research.Core.Data;
using Research.Core.Data.Caching;
using Research.Core.Data.Quality;

namespace Research.Core.Tests.Data;

public class IntradayCalendarTests
{
    private static DateTime Utc(string s) => DateTime.Parse(s, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);

    [Theory]
    // Spring forward (2024-03-10): the regular open is 14:30Z on the Friday before (EST) and 13:30Z on the Monday after (EDT).
    [InlineData("2024-03-08T14:30:00Z", "2024-03-08", true, true)]
    [InlineData("2024-03-08T13:30:00Z", "2024-03-08", false, true)]
    [InlineData("2024-03-11T13:30:00Z", "2024-03-11", true, true)]
    [InlineData("2024-03-11T19:59:00Z", "2024-03-11", true, true)]
    [InlineData("2024-03-11T20:00:00Z", "2024-03-11", false, true)]
    [InlineData("2024-03-08T20:59:00Z", "2024-03-08", true, true)]
    // Fall back (2024-11-03): 13:30Z is the open on Friday 1 November (EDT) but 08:30 pre-market on Monday 4 November (EST).
    [InlineData("2024-11-01T13:30:00Z", "2024-11-01", true, true)]
    [InlineData("2024-11-04T13:30:00Z", "2024-11-04", false, true)]
    [InlineData("2024-11-04T14:30:00Z", "2024-11-04", true, true)]
    // 00:30Z on Monday is 19:30 on Sunday in New York: Sunday's date, no session.
    [InlineData("2024-11-04T00:30:00Z", "2024-11-03", false, false)]
    // After-hours: 19:59 EST is extended, 20:00 EST is not.
    [InlineData("2024-11-05T00:59:00Z", "2024-11-04", false, true)]
    [InlineData("2024-11-05T01:00:00Z", "2024-11-04", false, false)]
    public void Session_date_and_hours_follow_new_york_daylight_saving(string utc, string date, bool regular, bool extended)
    {
        var t = Utc(utc);
        Assert.Equal(DateOnly.Parse(date, CultureInfo.InvariantCulture), UsEquitySession.SessionDate(t));
        Assert.Equal(regular, UsEquitySession.Contains(SessionHours.Regular, t));
        Assert.Equal(extended, UsEquitySession.Contains(SessionHours.Extended, t));
    }

    [Fact]
    public void New_york_wall_clock_converts_to_utc_across_the_switch()
    {
        Assert.Equal(Utc("2024-03-08T14:30:00Z"), UsEquitySession.ToUtc(new DateOnly(2024, 3, 8), new TimeOnly(9, 30)));
        Assert.Equal(Utc("2024-03-11T13:30:00Z"), UsEquitySession.ToUtc(new DateOnly(2024, 3, 11), new TimeOnly(9, 30)));
        Assert.Equal(Utc("2024-11-04T05:00:00Z"), UsEquitySession.ToUtc(new DateOnly(2024, 11, 4), TimeOnly.MinValue));
    }

    [Fact]
    public void An_intraday_calendar_shares_session_dates_and_annualises_by_bars_per_session()
    {
        var times = Sessions(new DateOnly(2024, 3, 8), new DateOnly(2024, 3, 11)).ToArray();
        var cal = TradingCalendar.Intraday(times);
        Assert.True(cal.IsIntraday);
        Assert.Equal(780, cal.Count);
        Assert.Equal(252.0 * 390, cal.PeriodsPerYear);
        Assert.Equal(0, cal.LowerBound(new DateOnly(2024, 3, 8)));
        Assert.Equal(390, cal.LowerBound(new DateOnly(2024, 3, 9)));
        Assert.Equal(390, cal.IndexOf(new DateOnly(2024, 3, 11)));
        Assert.Equal(-1, cal.IndexOf(new DateOnly(2024, 3, 10)));
        Assert.Equal(Utc("2024-03-11T13:30:00Z"), cal.Time(390));
        Assert.Equal(Utc("2024-03-08T20:59:00Z"), cal.Time(389));
        Assert.Equal(cal.Time(500).Ticks, cal.Key(500));
        var slice = cal.Slice(385, 395);
        Assert.True(slice.IsIntraday);
        Assert.Equal(new DateOnly(2024, 3, 11), slice[5]);
        Assert.Equal(252, new TradingCalendar([new DateOnly(2024, 1, 2), new DateOnly(2024, 1, 3)]).PeriodsPerYear);
        Assert.Contains("strictly increasing", Assert.Throws<ArgumentException>(() => TradingCalendar.Intraday([times[1], times[0]])).Message);
        Assert.Contains("not UTC", Assert.Throws<ArgumentException>(() => TradingCalendar.Intraday([DateTime.SpecifyKind(times[0], DateTimeKind.Local)])).Message);
    }

    [Fact]
    public void Intraday_csvs_load_through_the_checker_onto_one_instant_calendar()
    {
        string dir = TestPaths.NewTempDir();
        var times = Sessions(new DateOnly(2024, 3, 8), new DateOnly(2024, 3, 11)).ToArray();
        Write(Path.Combine(dir, "AAA.1Min.csv"), times, 100);
        // BBB lacks the 10:00 bar of the Monday and repeats 10:01.
        var b = times.Where(t => t != Utc("2024-03-11T14:00:00Z")).Append(Utc("2024-03-11T14:01:00Z")).ToArray();
        Write(Path.Combine(dir, "BBB.1Min.csv"), b, 50);
        var series = BarCsvLoader.LoadPaths([dir]);
        Assert.All(series, s => Assert.True(s.IsIntraday));
        var result = new QualityChecker(QualityPolicy.Default).Run(series);
        var panel = result.Panel!;
        Assert.True(panel.Calendar.IsIntraday);
        Assert.Equal(780, panel.DateCount);
        Assert.Equal(new[] { "AAA", "BBB" }, panel.Tickers);
        Assert.Equal(1, result.Report.CountsByKind[DefectKind.CalendarGap]);
        Assert.Equal(1, result.Report.CountsByKind[DefectKind.DuplicateDate]);
        int gap = Array.IndexOf(times, Utc("2024-03-11T14:00:00Z"));
        Assert.Equal(0, panel[PriceField.Volume, 1, gap]); // forward-filled flat bar
        Assert.Equal(panel[PriceField.Close, 1, gap - 1], panel[PriceField.Close, 1, gap]);
        Assert.Contains(result.Report.Repairs, r => r.Detail.Contains("2024-03-11T14:00:00Z"));

        // The panel cache keeps the instants.
        string path = Path.Combine(dir, "panel.parquet");
        PanelCache.Write(path, "k", panel, "{}");
        var (back, _) = PanelCache.Read(path, "k");
        Assert.True(back.Calendar.IsIntraday);
        Assert.Equal(panel.Calendar.Times.ToArray(), back.Calendar.Times.ToArray());
        Assert.Equal(PanelCache.Checksum(panel), PanelCache.Checksum(back));
    }

    [Fact]
    public void The_session_filter_keeps_regular_hours_and_says_how_many_bars_it_dropped()
    {
        string dir = TestPaths.NewTempDir();
        var day = new DateOnly(2024, 11, 4);
        var times = Enumerable.Range(0, 16 * 60).Select(m => UsEquitySession.ToUtc(day, new TimeOnly(4, 0)).AddMinutes(m)).ToArray();
        Write(Path.Combine(dir, "AAA.1Min.csv"), times, 100);
        var regular = MarketDataLoader.Load(new DataConfig { Paths = [dir], Benchmark = null, Timeframe = "1Min" }, null);
        Assert.Equal(390, regular.Panel.DateCount);
        Assert.Equal(Utc("2024-11-04T14:30:00Z"), regular.Panel.Calendar.Time(0));
        Assert.StartsWith("Session filter (regular hours, New York)", regular.Quality.Text);
        Assert.Contains("dropped 570 bar(s)", regular.Quality.Text);
        var extended = MarketDataLoader.Load(new DataConfig { Paths = [dir], Benchmark = null, Timeframe = "1Min", Session = "extended" }, null);
        Assert.Equal(960, extended.Panel.DateCount);
        Assert.NotEqual(regular.DataHash, extended.DataHash);
    }

    [Fact]
    public void A_timestamp_without_an_offset_is_refused_naming_line_and_column()
    {
        string dir = TestPaths.NewTempDir();
        string path = Path.Combine(dir, "AAA.csv");
        File.WriteAllText(path, "timestamp,open,high,low,close,volume\n2024-03-08T14:30:00Z,1,1,1,1,10\n2024-03-08T14:31:00,1,1,1,1,10\n");
        var e = Assert.Throws<DataFormatException>(() => BarCsvLoader.LoadPaths([path]));
        Assert.Contains(":3:1", e.Message);
        Assert.Contains("has no UTC offset", e.Message);
    }

    /// <summary>Regular-session minute starts of every weekday in [from, to].</summary>
    internal static IEnumerable<DateTime> Sessions(DateOnly from, DateOnly to)
    {
        for (var d = from; d <= to; d = d.AddDays(1))
        {
            if (d.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday) continue;
            var open = UsEquitySession.ToUtc(d, new TimeOnly(9, 30));
            for (int m = 0; m < 390; m++) yield return open.AddMinutes(m);
        }
    }

    private static void Write(string path, IReadOnlyList<DateTime> times, double price)
    {
        var inv = CultureInfo.InvariantCulture;
        var lines = times.Select((t, i) =>
        {
            double c = price * (1 + 0.0001 * Math.Sin(i));
            return string.Create(inv, $"{t:yyyy-MM-dd'T'HH:mm:ss'Z'},{c},{c * 1.001},{c * 0.999},{c},{1000 + i}");
        });
        File.WriteAllText(path, "timestamp,open,high,low,close,volume\n" + string.Join("\n", lines) + "\n");
    }
}
