using Research.Core.Models;

namespace Research.Core.Sweeps;

/// <summary>Daily returns of the equal-weight long/short rule on a forecast set: for each date, the mean over tickers
/// of sign(forecast) × realised log return (a zero forecast counts as flat).</summary>
public static class LongShortReturns
{
    /// <summary>The returns, one per date in date order.</summary>
    public static double[] Daily(ForecastSet set)
    {
        ArgumentNullException.ThrowIfNull(set);
        var byDate = new SortedDictionary<int, (double Sum, int Count)>();
        for (int i = 0; i < set.Samples.Count; i++)
        {
            if (!double.IsFinite(set.Actual[i]) || !double.IsFinite(set.Predicted[i])) continue;
            int d = set.Samples[i].Date;
            var (sum, n) = byDate.GetValueOrDefault(d);
            byDate[d] = (sum + Math.Sign(set.Predicted[i]) * set.Actual[i], n + 1);
        }

        return byDate.Values.Select(v => v.Sum / v.Count).ToArray();
    }
}
