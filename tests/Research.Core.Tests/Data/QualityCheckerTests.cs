using Research.Core.Data;
using Research.Core.Data.Quality;

namespace Research.Core.Tests.Data;

public class QualityCheckerTests
{
    private static BarSeries Series(string ticker, params (string Date, double O, double H, double L, double C, double V)[] rows) =>
        BarCsvLoader.Load(new StringReader("Date,Open,High,Low,Close,Volume\n" + string.Join("\n",
                rows.Select(r => FormattableString.Invariant($"{r.Date},{F(r.O)},{F(r.H)},{F(r.L)},{F(r.C)},{F(r.V)}")))),
            $"{ticker}.csv", ticker).Single();

    private static string F(double v) => double.IsNaN(v) ? "" : v.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static QualityResult Run(QualityPolicy policy, params BarSeries[] series) => new QualityChecker(policy).Run(series);

    private const double NaN = double.NaN;

    [Fact]
    public void Clean_data_has_no_defects_and_no_repairs()
    {
        var r = Run(QualityPolicy.Default, Series("A", ("2020-01-02", 10, 11, 9, 10.5, 100), ("2020-01-03", 10.5, 11, 10, 10.8, 120)));
        Assert.True(r.Report.IsClean);
        Assert.Empty(r.Report.Repairs);
        Assert.Equal(10.8, r.Panel![PriceField.Close, 0, 1]);
    }

    [Fact]
    public void Missing_open_high_low_are_filled_from_close_and_recorded()
    {
        // Open missing, high present 11, low missing: open := close 10.5, low := min(close, open) = 10.5.
        var r = Run(QualityPolicy.Default, Series("A", ("2020-01-02", 10, 11, 9, 10, 100), ("2020-01-03", NaN, 11, NaN, 10.5, 100)));
        var d = Assert.Single(r.Report.Defects);
        Assert.Equal((DefectKind.MissingField, "Open, Low", 3), (d.Kind, d.Field, d.Line));
        Assert.Equal(2, r.Report.Repairs.Count);
        Assert.All(r.Report.Repairs, x => Assert.Equal(RepairAction.FillFromClose, x.Action));
        Assert.Equal((10.5, 11, 10.5), (r.Panel![PriceField.Open, 0, 1], r.Panel[PriceField.High, 0, 1], r.Panel[PriceField.Low, 0, 1]));
    }

    [Fact]
    public void Missing_high_with_an_open_above_close_covers_the_open()
    {
        var r = Run(QualityPolicy.Default, Series("A", ("2020-01-02", 12, NaN, 9, 10, 100)));
        Assert.Equal(12, r.Panel![PriceField.High, 0, 0]);
        Assert.Contains("max of open and close", r.Report.Repairs.Single().Detail);
    }

    [Fact]
    public void Forward_fill_uses_the_previous_row()
    {
        var p = QualityPolicy.Default with { MissingPrice = RepairAction.ForwardFill };
        var r = Run(p, Series("A", ("2020-01-02", 10, 11, 9, 10, 100), ("2020-01-03", NaN, 11.5, 9.5, 10.5, 100)));
        Assert.Equal(10, r.Panel![PriceField.Open, 0, 1]);
        Assert.Equal(RepairAction.ForwardFill, r.Report.Repairs.Single().Action);
    }

    [Fact]
    public void Drop_day_removes_the_row_and_the_gap_is_then_reported()
    {
        var p = QualityPolicy.Default with { MissingPrice = RepairAction.DropDay, CalendarGaps = RepairAction.Keep };
        var r = Run(p,
            Series("A", ("2020-01-02", 10, 11, 9, 10, 100), ("2020-01-03", NaN, 11, 9, 10, 100), ("2020-01-06", 10, 11, 9, 10, 100)),
            Series("B", ("2020-01-02", 10, 11, 9, 10, 100), ("2020-01-03", 10, 11, 9, 10, 100), ("2020-01-06", 10, 11, 9, 10, 100)));
        Assert.Contains(r.Report.Repairs, x => x.Action == RepairAction.DropDay && x.Ticker == "A");
        var gap = Assert.Single(r.Report.Defects, d => d.Kind == DefectKind.CalendarGap);
        Assert.Contains("dropped by the policy", gap.Detail);
        Assert.True(double.IsNaN(r.Panel![PriceField.Close, 0, 1]));
    }

    [Fact]
    public void Strict_rejects_the_file_and_keeps_the_rest()
    {
        var r = Run(QualityPolicy.Strict, Series("A", ("2020-01-02", 10, 11, 9, 10, 0)), Series("B", ("2020-01-02", 10, 11, 9, 10, 5)));
        Assert.Equal("A.csv", Assert.Single(r.Report.Rejected).Key);
        Assert.Contains("zero volume at line 2", r.Report.Rejected["A.csv"]);
        Assert.Equal(new[] { "B" }, r.Panel!.Tickers);
        Assert.Empty(r.Report.Repairs);
    }

    [Fact]
    public void All_files_rejected_gives_no_panel()
    {
        var r = Run(QualityPolicy.Strict, Series("A", ("2020-01-02", 10, 9, 11, 10, 1)));
        Assert.Null(r.Panel);
        Assert.Equal(DefectKind.HighBelowLow, r.Report.Defects.Single().Kind);
    }

    [Fact]
    public void Range_defects_are_found_and_widened()
    {
        var r = Run(QualityPolicy.Default, Series("A",
            ("2020-01-02", 12, 11, 9, 10, 1),   // open above high
            ("2020-01-03", 10, 11, 9, 8, 1),    // close below low
            ("2020-01-06", 10, 9, 11, 10, 1))); // high below low
        Assert.Equal(new[] { DefectKind.HighBelowLow, DefectKind.OpenOutsideRange, DefectKind.CloseOutsideRange },
            r.Report.Defects.Select(d => d.Kind));
        var p = r.Panel!;
        Assert.Equal(12, p[PriceField.High, 0, 0]);
        Assert.Equal(8, p[PriceField.Low, 0, 1]);
        Assert.Equal((11, 9), (p[PriceField.High, 0, 2], p[PriceField.Low, 0, 2]));
        Assert.All(r.Report.Repairs, x => Assert.Equal(RepairAction.Widen, x.Action));
    }

    [Fact]
    public void Non_positive_prices_are_treated_as_missing()
    {
        var r = Run(QualityPolicy.Default, Series("A", ("2020-01-02", 10, 11, 0, 10.5, 1)));
        var d = r.Report.Defects.Single();
        Assert.Equal((DefectKind.NonPositivePrice, "Low"), (d.Kind, d.Field));
        Assert.Equal(10, r.Panel![PriceField.Low, 0, 0]); // min(close 10.5, open 10)
    }

    [Fact]
    public void Missing_close_drops_the_day_by_default()
    {
        var r = Run(QualityPolicy.Default with { CalendarGaps = RepairAction.Keep },
            Series("A", ("2020-01-02", 10, 11, 9, 10, 1), ("2020-01-03", 10, 11, 9, NaN, 1)));
        Assert.Equal(1, r.Panel!.DateCount);
        Assert.Equal(RepairAction.DropDay, r.Report.Repairs.Single().Action);
    }

    [Fact]
    public void Unsorted_and_duplicate_rows_are_reported_with_lines_and_repaired()
    {
        var s = Series("A", ("2020-01-03", 1.1, 1.1, 1.1, 1.1, 1), ("2020-01-02", 1, 1, 1, 1, 1), ("2020-01-03", 1.2, 1.2, 1.2, 1.2, 1));
        var first = Run(QualityPolicy.Default, s);
        Assert.Equal(new[] { DefectKind.DuplicateDate, DefectKind.UnsortedRows }, first.Report.Defects.Select(d => d.Kind));
        Assert.Equal(4, first.Report.Defects[0].Line);
        Assert.Equal(new[] { 1d, 1.1 }, first.Panel!.Series(PriceField.Close, 0).ToArray());
        var last = Run(QualityPolicy.Default with { DuplicateDates = RepairAction.KeepLast }, s);
        Assert.Equal(new[] { 1d, 1.2 }, last.Panel!.Series(PriceField.Close, 0).ToArray());
    }

    [Fact]
    public void Zero_volume_and_outliers_are_reported_but_not_changed()
    {
        var r = Run(QualityPolicy.Default, Series("A", ("2020-01-02", 10, 10, 10, 10, 5), ("2020-01-03", 13, 13, 13, 13, 0)));
        Assert.Equal(new[] { DefectKind.ZeroVolume, DefectKind.OutlierReturn }, r.Report.Defects.Select(d => d.Kind));
        Assert.Contains("+30.0%", r.Report.Defects[1].Detail);
        Assert.Empty(r.Report.Repairs);
        Assert.Equal(13, r.Panel![PriceField.Close, 0, 1]);
    }

    [Theory]
    [InlineData("forward-fill", 3, 10.0)]
    [InlineData("keep", 3, double.NaN)]
    [InlineData("drop-date", 2, 11.0)]
    public void Calendar_gaps_follow_the_policy(string action, int dates, double secondClose)
    {
        var policy = QualityPolicy.Default with
        {
            CalendarGaps = action switch { "forward-fill" => RepairAction.ForwardFill, "keep" => RepairAction.Keep, _ => RepairAction.DropDate },
        };
        var r = Run(policy,
            Series("A", ("2020-01-02", 10, 10, 10, 10, 1), ("2020-01-06", 11, 11, 11, 11, 1)),
            Series("B", ("2020-01-02", 5, 5, 5, 5, 1), ("2020-01-03", 5, 5, 5, 5, 1), ("2020-01-06", 5, 5, 5, 5, 1)));
        var gap = Assert.Single(r.Report.Defects);
        Assert.Equal((DefectKind.CalendarGap, "A", new DateOnly(2020, 1, 3)), (gap.Kind, gap.Ticker, gap.Date));
        Assert.Equal(dates, r.Panel!.DateCount);
        Assert.Equal(secondClose, r.Panel[PriceField.Close, 0, 1]);
        if (action == "forward-fill") Assert.Equal(0, r.Panel[PriceField.Volume, 0, 1]);
    }

    [Fact]
    public void Late_listing_is_partial_coverage_not_a_run_of_gaps()
    {
        var r = Run(QualityPolicy.Default,
            Series("A", ("2020-01-03", 10, 10, 10, 10, 1)),
            Series("B", ("2020-01-02", 5, 5, 5, 5, 1), ("2020-01-03", 5, 5, 5, 5, 1)));
        Assert.Equal(DefectKind.PartialCoverage, r.Report.Defects.Single().Kind);
        Assert.True(double.IsNaN(r.Panel![PriceField.Close, 0, 0]));
    }

    [Fact]
    public void The_same_ticker_from_two_files_is_an_error()
    {
        var e = Assert.Throws<DataFormatException>(() => Run(QualityPolicy.Default,
            Series("A", ("2020-01-02", 1, 1, 1, 1, 1)), Series("A", ("2020-01-02", 1, 1, 1, 1, 1))));
        Assert.Contains("also loaded from", e.Message);
    }

    [Fact]
    public void Policy_validation_names_the_setting()
    {
        var e = Assert.Throws<ArgumentException>(() => new QualityChecker(QualityPolicy.Default with { ZeroVolume = RepairAction.Widen }));
        Assert.Equal("ZeroVolume", e.ParamName);
        Assert.Throws<ArgumentException>(() => QualityPolicy.Preset("lenient"));
    }
}
