using Research.Core.Data;
using Research.Core.Data.Quality;

namespace Research.Core.Tests.Data;

/// <summary>The report on the embedded DJIA set shows each defect data/README.md lists, and nothing that isn't there.</summary>
public class EmbeddedDatasetTests
{
    private static readonly Lazy<QualityResult> Result = new(() =>
        new QualityChecker(QualityPolicy.Default).Run(BarCsvLoader.LoadFolder(TestPaths.Djia)));

    private static QualityReport Report => Result.Value.Report;

    [Fact]
    public void Shape_of_the_panel()
    {
        var p = Result.Value.Panel!;
        Assert.Equal(31, p.TickerCount);
        Assert.Equal(3020, p.DateCount);
        Assert.Equal(93_612, Report.Rows);
        Assert.Equal((new DateOnly(2006, 1, 3), new DateOnly(2017, 12, 29)), (p.Calendar.First, p.Calendar.Last));
        Assert.Empty(Report.Rejected);
    }

    [Fact]
    public void Missing_fields_on_2017_07_31_and_dis_2012_08_01()
    {
        var missing = Report.Defects.Where(d => d.Kind == DefectKind.MissingField).ToArray();
        Assert.Equal(25, missing.Length);
        Assert.Equal(24, missing.Count(d => d.Date == new DateOnly(2017, 7, 31)));
        Assert.All(missing.Where(d => d.Date == new DateOnly(2017, 7, 31)), d => Assert.StartsWith("Open", d.Field));
        var dis = Assert.Single(missing, d => d.Ticker == "DIS" && d.Date == new DateOnly(2012, 8, 1));
        Assert.Equal("Open, High, Low", dis.Field);
        Assert.Contains(Report.Defects, d => d is { Kind: DefectKind.ZeroVolume, Ticker: "DIS" } && d.Date == new DateOnly(2012, 8, 1));
        Assert.Single(Report.Defects, d => d.Kind == DefectKind.ZeroVolume);
    }

    [Fact]
    public void Calendar_gaps_are_the_two_missing_dates()
    {
        var gaps = Report.Defects.Where(d => d.Kind == DefectKind.CalendarGap).Select(d => (d.Ticker, d.Date.ToString("yyyy-MM-dd"))).ToArray();
        Assert.Equal(new[]
        {
            ("AABA", "2010-04-01"), ("AAPL", "2010-04-01"), ("AMZN", "2010-04-01"), ("CSCO", "2010-04-01"),
            ("GOOGL", "2010-04-01"), ("INTC", "2010-04-01"), ("MRK", "2009-08-11"), ("MSFT", "2010-04-01"),
        }, gaps);
    }

    [Fact]
    public void Every_other_defect_is_real_and_counted()
    {
        // Found by the checker beyond the README's list, each verifiable in the file at the cited line.
        var counts = Report.CountsByKind;
        Assert.Equal(149, counts[DefectKind.OpenOutsideRange]);
        Assert.Equal(2, counts[DefectKind.CloseOutsideRange]);
        Assert.Equal(1, counts[DefectKind.NonPositivePrice]);   // HD 2009-04-17 low 0.0
        Assert.Equal(7, counts[DefectKind.OutlierReturn]);      // |return| > 25%, e.g. AABA 2008-02-01 +48%
        Assert.Equal(193, Report.Defects.Count);
        Assert.DoesNotContain(DefectKind.DuplicateDate, counts.Keys);
        Assert.DoesNotContain(DefectKind.UnsortedRows, counts.Keys);
        Assert.DoesNotContain(DefectKind.HighBelowLow, counts.Keys);
        var lines = File.ReadAllLines(Path.Combine(TestPaths.Djia, "HD.csv"));
        var hd = Report.Defects.Single(d => d.Kind == DefectKind.NonPositivePrice);
        Assert.Equal("2009-04-17,26.16,26.47,0.0,26.1,21671267,HD", lines[hd.Line!.Value - 1]);
    }

    [Fact]
    public void Repaired_panel_is_consistent()
    {
        var p = Result.Value.Panel!;
        for (int k = 0; k < p.TickerCount; k++)
        {
            for (int t = 0; t < p.DateCount; t++)
            {
                double o = p[PriceField.Open, k, t], h = p[PriceField.High, k, t], l = p[PriceField.Low, k, t], c = p[PriceField.Close, k, t];
                Assert.True(l > 0 && l <= o && o <= h && l <= c && c <= h, $"{p.Tickers[k]} {p.Calendar[t]}: {o} {h} {l} {c}");
                Assert.True(p[PriceField.Volume, k, t] >= 0);
            }
        }
    }
}
