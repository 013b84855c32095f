using Research.Core.Data;

namespace Research.Core.Models;

/// <summary>
/// A forecaster's predictions for every ticker and date of a panel, each from the window of bars ending at that date
/// (known at its close): expected return, probability of an up move and confidence, ticker-major, NaN where no full
/// window exists or the model does not know the ticker.
/// </summary>
public sealed record ForecastSignals(double[] ExpectedReturn, double[] ProbabilityUp, double[] Confidence)
{
    /// <summary>
    /// Runs <paramref name="forecaster"/> over <paramref name="panel"/>, one batch per date from
    /// <paramref name="firstDate"/> on (earlier dates stay NaN; a server passes the last date to predict only it).
    /// </summary>
    public static ForecastSignals Compute(Forecaster forecaster, MarketPanel panel, int firstDate = 0) =>
        Compute(forecaster, panel, ForecastFeatures.Compute(panel, forecaster.Metadata.Config.Indicators), firstDate);

    /// <summary>
    /// <see cref="Compute(Forecaster, MarketPanel, int)"/> over raw features already computed for <paramref name="panel"/>
    /// by <see cref="ForecastFeatures.Compute(MarketPanel, IReadOnlyList{string})"/> with the model's indicators ([ticker][date × f]).
    /// </summary>
    public static ForecastSignals Compute(Forecaster forecaster, MarketPanel panel, float[][] raw, int firstDate)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(firstDate);
        var m = forecaster.Metadata;
        int n = panel.DateCount, k = panel.TickerCount, f = m.Features.Count, w = m.Window;
        var expected = Nan(k * n);
        var prob = Nan(k * n);
        var confidence = Nan(k * n);
        var embedding = Enumerable.Range(0, k).Select(j => m.Tickers.Count == 0 ? 0 : IndexOf(m.Tickers, panel.Tickers[j])).ToArray();
        var windows = new float[k * w * f];
        var tickers = new int[k];
        var rows = new int[k];
        for (int t = Math.Max(w - 1, firstDate); t < n; t++)
        {
            int count = 0;
            for (int j = 0; j < k; j++)
            {
                if (embedding[j] < 0) continue;
                var window = raw[j].AsSpan((t - w + 1) * f, w * f);
                bool finite = true;
                foreach (var v in window) finite &= float.IsFinite(v);
                if (!finite) continue;
                window.CopyTo(windows.AsSpan(count * w * f));
                tickers[count] = embedding[j];
                rows[count++] = j;
            }

            if (count == 0) continue;
            var predictions = forecaster.PredictBatch(windows.AsSpan(0, count * w * f), tickers.AsSpan(0, count));
            for (int i = 0; i < count; i++)
            {
                int at = rows[i] * n + t;
                expected[at] = predictions[i].ExpectedReturn;
                prob[at] = predictions[i].ProbabilityUp;
                confidence[at] = predictions[i].Confidence;
            }
        }

        return new ForecastSignals(expected, prob, confidence);
    }

    private static double[] Nan(int length)
    {
        var a = new double[length];
        Array.Fill(a, double.NaN);
        return a;
    }

    private static int IndexOf(IReadOnlyList<string> tickers, string ticker)
    {
        for (int i = 0; i < tickers.Count; i++) if (tickers[i] == ticker) return i;
        return -1;
    }
}
