using Research.Core.Data;

namespace Research.Core.Tests.Data;

public class PanelTests
{
    private static MarketPanel Small()
    {
        var cal = new TradingCalendar([new(2020, 1, 2), new(2020, 1, 3), new(2020, 1, 6)]);
        double[] close = [1, 2, 3, 10, double.NaN, 30];
        return new MarketPanel(cal, ["A", "B"], close, close, close, close, [5, 5, 5, 7, 7, 7]);
    }

    [Fact]
    public void Layout_is_ticker_major()
    {
        var p = Small();
        Assert.Equal(new[] { 10d, double.NaN, 30 }, p.Series(PriceField.Close, 1).ToArray());
        Assert.Equal(new[] { 2d, double.NaN }, p.CrossSection(PriceField.Close, 1));
        Assert.Equal(3, p[PriceField.Close, 0, 2]);
        Assert.Equal(1, p.TickerIndex("b"));
        Assert.Throws<ArgumentException>(() => p.TickerIndex("Z"));
        Assert.Throws<InvalidOperationException>(() => p.Series(PriceField.AdjClose, 0).ToArray());
    }

    [Fact]
    public void Slicing_and_selection_copy_the_right_values()
    {
        var p = Small();
        var s = p.SliceDates(1, 3);
        Assert.Equal(new DateOnly(2020, 1, 3), s.Calendar.First);
        Assert.Equal(new[] { 2d, 3 }, s.Series(PriceField.Close, 0).ToArray());
        var b = p.SelectTickers(["B"]);
        Assert.Equal(new[] { "B" }, b.Tickers);
        Assert.Equal(new[] { 7d, 7, 7 }, b.Series(PriceField.Volume, 0).ToArray());
    }

    [Fact]
    public void Frames_keep_every_cell()
    {
        var p = Small();
        var df = p.ToDataFrame();
        Assert.Equal(6, df.Rows.Count);
        Assert.Equal(new[] { "Date", "Ticker", "Open", "High", "Low", "Close", "Volume" }, df.Columns.Select(c => c.Name));
        Assert.Null(df["Close"][3]); // B on 2020-01-03: no bar → null, not dropped
        var wide = p.ToWideDataFrame(PriceField.Close);
        Assert.Equal(3, wide.Rows.Count);
        Assert.Equal(30d, wide["B"][2]);
        var deedle = p.ToDeedleFrame(PriceField.Close);
        Assert.Equal(3, deedle.RowCount);
        Assert.Equal(2d, deedle.GetColumn<double>("A").Get(new DateTime(2020, 1, 3)));
    }

    [Fact]
    public void Calendar_rejects_unsorted_dates()
    {
        Assert.Throws<ArgumentException>(() => new TradingCalendar([new(2020, 1, 3), new(2020, 1, 2)]));
        var c = new TradingCalendar([new(2020, 1, 2), new(2020, 1, 6)]);
        Assert.Equal(1, c.LowerBound(new DateOnly(2020, 1, 3)));
        Assert.Equal(-1, c.IndexOf(new DateOnly(2020, 1, 3)));
    }
}
