using Deedle;
using Microsoft.Data.Analysis;

namespace Research.Core.Data;

/// <summary>Conversions of a panel to notebook-friendly frames: Microsoft.Data.Analysis and Deedle.</summary>
public static class PanelFrames
{
    /// <summary>
    /// Long format, one row per (date, ticker): Date, Ticker, Open, High, Low, Close, Volume[, AdjClose]. Missing bars
    /// are included as null values so nothing is dropped silently.
    /// </summary>
    public static Microsoft.Data.Analysis.DataFrame ToDataFrame(this MarketPanel panel)
    {
        int T = panel.DateCount, N = panel.TickerCount, rows = T * N;
        var date = new PrimitiveDataFrameColumn<DateTime>("Date", rows);
        var ticker = new StringDataFrameColumn("Ticker", rows);
        var fields = new List<PriceField> { PriceField.Open, PriceField.High, PriceField.Low, PriceField.Close, PriceField.Volume };
        if (panel.HasAdjClose) fields.Add(PriceField.AdjClose);
        var values = fields.Select(f => new DoubleDataFrameColumn(f.ToString(), rows)).ToArray();
        int r = 0;
        for (int t = 0; t < T; t++)
        {
            var day = panel.Calendar[t].ToDateTime(TimeOnly.MinValue);
            for (int k = 0; k < N; k++, r++)
            {
                date[r] = day;
                ticker[r] = panel.Tickers[k];
                for (int f = 0; f < fields.Count; f++)
                {
                    double v = panel[fields[f], k, t];
                    values[f][r] = double.IsNaN(v) ? null : v;
                }
            }
        }

        return new Microsoft.Data.Analysis.DataFrame([date, ticker, .. values]);
    }

    /// <summary>Wide format for one field: a Date column and one column per ticker (null where a ticker has no bar).</summary>
    public static Microsoft.Data.Analysis.DataFrame ToWideDataFrame(this MarketPanel panel, PriceField field)
    {
        int T = panel.DateCount;
        var date = new PrimitiveDataFrameColumn<DateTime>("Date", T);
        for (int t = 0; t < T; t++) date[t] = panel.Calendar[t].ToDateTime(TimeOnly.MinValue);
        var columns = new List<Microsoft.Data.Analysis.DataFrameColumn> { date };
        for (int k = 0; k < panel.TickerCount; k++)
        {
            var s = panel.Series(field, k);
            var col = new DoubleDataFrameColumn(panel.Tickers[k], T);
            for (int t = 0; t < T; t++) col[t] = double.IsNaN(s[t]) ? null : s[t];
            columns.Add(col);
        }

        return new Microsoft.Data.Analysis.DataFrame(columns);
    }

    /// <summary>A Deedle frame of one field: rows keyed by date, one column per ticker (NaN as missing).</summary>
    public static Frame<DateTime, string> ToDeedleFrame(this MarketPanel panel, PriceField field)
    {
        var keys = new DateTime[panel.DateCount];
        for (int t = 0; t < keys.Length; t++) keys[t] = panel.Calendar[t].ToDateTime(TimeOnly.MinValue);
        var columns = new List<KeyValuePair<string, Series<DateTime, double>>>();
        for (int k = 0; k < panel.TickerCount; k++)
        {
            columns.Add(KeyValuePair.Create(panel.Tickers[k], new Series<DateTime, double>(keys, panel.Series(field, k).ToArray())));
        }

        return Frame.FromColumns(columns);
    }
}
