using Research.Core.Data;

namespace Research.Core.Models;

/// <summary>
/// The forecaster's per-ticker inputs, each computed at date t from bars up to t only: log returns over 1, 5 and 20
/// days, 20-day volatility of daily log returns, the day's high-low and open-close log ranges, a 20-day z-score of
/// log volume, and the daily return relative to the cross-sectional mean. NaN until 20 days of history exist or where
/// an input is missing or non-positive.
/// </summary>
public static class ForecastFeatures
{
    /// <summary>Feature names, in column order.</summary>
    public static IReadOnlyList<string> Names { get; } =
        ["ret_1d", "ret_5d", "ret_20d", "vol_20d", "range_hl", "range_oc", "volume_z20", "ret_1d_rel"];

    /// <summary>Feature names with the columns of <paramref name="indicators"/> (catalog selections) appended.</summary>
    public static IReadOnlyList<string> NamesWith(IReadOnlyList<string> indicators) =>
        indicators.Count == 0 ? Names : [.. Names, .. Features.FeaturePipeline.Expand(indicators).SelectMany(s => s.Columns)];

    /// <summary>
    /// The base features with the outputs of catalog indicators (<paramref name="indicators"/>, e.g. <c>rsi_30</c>)
    /// appended per ticker; every indicator is causal, so the value at t still uses bars up to t only.
    /// </summary>
    public static float[][] Compute(MarketPanel panel, IReadOnlyList<string> indicators)
    {
        var baseFeatures = Compute(panel);
        if (indicators.Count == 0) return baseFeatures;
        var specs = Features.FeaturePipeline.Expand(indicators);
        int n = panel.DateCount, f0 = Names.Count, f = NamesWith(indicators).Count;
        var result = new float[panel.TickerCount][];
        for (int k = 0; k < panel.TickerCount; k++)
        {
            var (_, columns) = Features.FeaturePipeline.ComputeIndicators(Features.Catalog.Ohlcv.FromPanel(panel, k), specs);
            var x = new float[n * f];
            for (int t = 0; t < n; t++)
            {
                Array.Copy(baseFeatures[k], t * f0, x, t * f, f0);
                for (int j = 0; j < columns.Count; j++) x[t * f + f0 + j] = (float)columns[j][t];
            }

            result[k] = x;
        }

        return result;
    }

    /// <summary>Days of history before the first valid value.</summary>
    public const int Lookback = 20;

    /// <summary>
    /// Index of the first date whose feature row can be complete: the base features' <see cref="Lookback"/> or the
    /// largest lookback of <paramref name="indicators"/> at their parameters, whichever is later. A window of w rows
    /// ending at the last of n bars is complete only when n ≥ w + this.
    /// </summary>
    public static int WarmUp(IReadOnlyList<string> indicators) =>
        indicators.Count == 0 ? Lookback : Math.Max(Lookback, Features.FeaturePipeline.Expand(indicators).Max(s => s.Definition.Lookback(s.Parameters)));

    /// <summary>Raw (unnormalised) features as [ticker][date × feature] (row-major per ticker).</summary>
    public static float[][] Compute(MarketPanel panel)
    {
        int n = panel.DateCount, f = Names.Count;
        var r1 = new double[panel.TickerCount][];
        for (int k = 0; k < panel.TickerCount; k++)
        {
            var c = panel.Series(PriceField.Close, k);
            r1[k] = new double[n];
            r1[k][0] = double.NaN;
            for (int t = 1; t < n; t++) r1[k][t] = c[t] > 0 && c[t - 1] > 0 ? Math.Log(c[t] / c[t - 1]) : double.NaN;
        }

        var marketMean = new double[n];
        for (int t = 0; t < n; t++)
        {
            double sum = 0;
            int count = 0;
            for (int k = 0; k < panel.TickerCount; k++)
            {
                if (double.IsFinite(r1[k][t]))
                {
                    sum += r1[k][t];
                    count++;
                }
            }

            marketMean[t] = count > 0 ? sum / count : double.NaN;
        }

        var result = new float[panel.TickerCount][];
        for (int k = 0; k < panel.TickerCount; k++)
        {
            var o = panel.Series(PriceField.Open, k);
            var h = panel.Series(PriceField.High, k);
            var l = panel.Series(PriceField.Low, k);
            var c = panel.Series(PriceField.Close, k);
            var v = panel.Series(PriceField.Volume, k);
            var x = new float[n * f];
            Array.Fill(x, float.NaN);
            for (int t = Lookback; t < n; t++)
            {
                int row = t * f;
                double s = 0, s2 = 0, lv = 0, lv2 = 0;
                bool ok = true;
                for (int j = t - Lookback + 1; j <= t; j++)
                {
                    double r = r1[k][j];
                    if (!double.IsFinite(r) || !(v[j] >= 0)) { ok = false; break; }
                    s += r;
                    s2 += r * r;
                    double logv = Math.Log(v[j] + 1);
                    lv += logv;
                    lv2 += logv * logv;
                }

                if (!ok || !(c[t - 5] > 0) || !(c[t - Lookback] > 0) || !(h[t] > 0) || !(l[t] > 0) || !(o[t] > 0)) continue;
                const int m = Lookback;
                double vol = Math.Sqrt(Math.Max(0, (s2 - s * s / m) / (m - 1)));
                double lvMean = lv / m, lvSd = Math.Sqrt(Math.Max(0, (lv2 - lv * lv / m) / (m - 1)));
                x[row] = (float)r1[k][t];
                x[row + 1] = (float)Math.Log(c[t] / c[t - 5]);
                x[row + 2] = (float)Math.Log(c[t] / c[t - Lookback]);
                x[row + 3] = (float)vol;
                x[row + 4] = (float)Math.Log(h[t] / l[t]);
                x[row + 5] = (float)Math.Log(c[t] / o[t]);
                x[row + 6] = lvSd > 0 ? (float)((Math.Log(v[t] + 1) - lvMean) / lvSd) : 0f;
                x[row + 7] = (float)(r1[k][t] - marketMean[t]);
            }

            result[k] = x;
        }

        return result;
    }

    /// <summary>Log return from t to t + <paramref name="horizon"/> per [ticker][date] (NaN where it runs past the data).</summary>
    public static float[][] Targets(MarketPanel panel, int horizon)
    {
        var result = new float[panel.TickerCount][];
        for (int k = 0; k < panel.TickerCount; k++)
        {
            var c = panel.Series(PriceField.Close, k);
            var y = new float[panel.DateCount];
            for (int t = 0; t < y.Length; t++)
                y[t] = t + horizon < y.Length && c[t] > 0 && c[t + horizon] > 0 ? (float)Math.Log(c[t + horizon] / c[t]) : float.NaN;
            result[k] = y;
        }

        return result;
    }
}
