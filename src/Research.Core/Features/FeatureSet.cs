using Microsoft.Data.Analysis;
using Research.Core.Data;

namespace Research.Core.Features;

/// <summary>
/// Features on a panel's calendar: for each feature name a ticker-major array (all dates of ticker 0, then ticker 1, …),
/// like <see cref="MarketPanel"/>. Panel-wide features (turbulence, VIX) repeat the same series for every ticker.
/// </summary>
public sealed class FeatureSet
{
    private readonly Dictionary<string, double[]> _columns;

    /// <summary>Creates a set; every column has tickers × dates values.</summary>
    public FeatureSet(TradingCalendar calendar, IReadOnlyList<string> tickers, IReadOnlyList<string> names, Dictionary<string, double[]> columns)
    {
        foreach (var name in names)
        {
            if (!columns.TryGetValue(name, out var c)) throw new ArgumentException($"No values for feature '{name}'.", nameof(columns));
            if (c.Length != calendar.Count * tickers.Count)
            {
                throw new ArgumentException($"Feature '{name}' has {c.Length} values; expected {tickers.Count} × {calendar.Count}.", nameof(columns));
            }
        }

        Calendar = calendar;
        Tickers = tickers;
        Names = names;
        _columns = columns;
    }

    /// <summary>The dates.</summary>
    public TradingCalendar Calendar { get; }

    /// <summary>The tickers, in column order.</summary>
    public IReadOnlyList<string> Tickers { get; }

    /// <summary>Feature names, in order.</summary>
    public IReadOnlyList<string> Names { get; }

    /// <summary>Number of dates.</summary>
    public int DateCount => Calendar.Count;

    /// <summary>Number of tickers.</summary>
    public int TickerCount => Tickers.Count;

    /// <summary>The whole ticker-major array of feature <paramref name="name"/>.</summary>
    public ReadOnlySpan<double> Column(string name) => _columns.TryGetValue(name, out var c)
        ? c
        : throw new ArgumentException($"No feature '{name}' (have {string.Join(", ", Names)}).", nameof(name));

    /// <summary>One ticker's series of feature <paramref name="name"/>.</summary>
    public ReadOnlySpan<double> Series(string name, int ticker) => Column(name).Slice(ticker * DateCount, DateCount);

    /// <summary>A long DataFrame (Date, Ticker, one column per feature) for notebooks; <paramref name="ticker"/> restricts it to one ticker.</summary>
    public DataFrame ToDataFrame(string? ticker = null)
    {
        var tickers = ticker is null ? Enumerable.Range(0, TickerCount).ToArray() : [IndexOf(ticker)];
        int rows = tickers.Length * DateCount;
        var date = new DateTimeDataFrameColumn("Date", rows);
        var tick = new StringDataFrameColumn("Ticker", rows);
        var columns = new List<DataFrameColumn> { date, tick };
        var values = Names.Select(n => new DoubleDataFrameColumn(n, rows)).ToArray();
        int r = 0;
        foreach (int k in tickers)
        {
            for (int t = 0; t < DateCount; t++, r++)
            {
                date[r] = Calendar.Dates[t].ToDateTime(TimeOnly.MinValue);
                tick[r] = Tickers[k];
                for (int f = 0; f < Names.Count; f++)
                {
                    double v = _columns[Names[f]][k * DateCount + t];
                    values[f][r] = double.IsNaN(v) ? null : v;
                }
            }
        }

        columns.AddRange(values);
        return new DataFrame(columns);
    }

    /// <summary>Pearson correlation between features over every finite (ticker, date) pair from dates [start, end).</summary>
    public double[,] Correlation(int start, int end)
    {
        int m = Names.Count;
        var r = new double[m, m];
        for (int a = 0; a < m; a++)
        {
            for (int b = a; b < m; b++)
            {
                double sx = 0, sy = 0, sxx = 0, syy = 0, sxy = 0;
                int n = 0;
                var x = _columns[Names[a]];
                var y = _columns[Names[b]];
                for (int k = 0; k < TickerCount; k++)
                {
                    for (int t = start; t < end; t++)
                    {
                        double u = x[k * DateCount + t], v = y[k * DateCount + t];
                        if (!double.IsFinite(u) || !double.IsFinite(v)) continue;
                        n++;
                        sx += u;
                        sy += v;
                        sxx += u * u;
                        syy += v * v;
                        sxy += u * v;
                    }
                }

                double cov = sxy - sx * sy / n, vx = sxx - sx * sx / n, vy = syy - sy * sy / n;
                r[a, b] = r[b, a] = n > 1 && vx > 0 && vy > 0 ? cov / Math.Sqrt(vx * vy) : double.NaN;
            }
        }

        return r;
    }

    private int IndexOf(string ticker)
    {
        for (int k = 0; k < TickerCount; k++)
        {
            if (string.Equals(Tickers[k], ticker, StringComparison.OrdinalIgnoreCase)) return k;
        }

        throw new ArgumentException($"Ticker '{ticker}' is not in the feature set.", nameof(ticker));
    }
}
