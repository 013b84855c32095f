namespace Research.Core.Models;

/// <summary>One reliability bin of the probability head.</summary>
/// <param name="Lower">Bin lower edge.</param>
/// <param name="Upper">Bin upper edge.</param>
/// <param name="Count">Forecasts in the bin.</param>
/// <param name="MeanProbability">Mean forecast probability.</param>
/// <param name="ObservedFrequency">Fraction of up moves.</param>
public sealed record ReliabilityBin(double Lower, double Upper, int Count, double MeanProbability, double ObservedFrequency);

/// <summary>Out-of-sample quality of one set of forecasts.</summary>
/// <param name="Name">Model or baseline.</param>
/// <param name="Count">Forecasts scored.</param>
/// <param name="Mse">Mean squared error of the return.</param>
/// <param name="Mae">Mean absolute error.</param>
/// <param name="DirectionalAccuracy">Share of non-zero forecasts whose sign matches a non-zero outcome (NaN when no forecast has a direction).</param>
/// <param name="IcMean">Mean daily Spearman rank correlation between forecasts and outcomes across tickers.</param>
/// <param name="IcTStat">t-statistic of the daily IC (mean / (sd / √days)).</param>
/// <param name="IcDays">Days with a defined IC.</param>
/// <param name="Brier">Brier score of the up-move probability.</param>
/// <param name="Reliability">Ten reliability bins.</param>
public sealed record ForecastMetrics(string Name, int Count, double Mse, double Mae, double DirectionalAccuracy, double IcMean,
    double IcTStat, int IcDays, double Brier, IReadOnlyList<ReliabilityBin> Reliability)
{
    /// <summary>Scores forecasts <paramref name="predicted"/> with probabilities <paramref name="probability"/> against <paramref name="actual"/>, grouped by <paramref name="dates"/> for the IC.</summary>
    public static ForecastMetrics Compute(string name, ReadOnlySpan<double> predicted, ReadOnlySpan<double> probability,
        ReadOnlySpan<double> actual, ReadOnlySpan<int> dates)
    {
        int n = predicted.Length;
        if (probability.Length != n || actual.Length != n || dates.Length != n)
            throw new ArgumentException("predictions, probabilities, outcomes and dates must have equal lengths.", nameof(actual));
        double se = 0, ae = 0, brier = 0;
        int hits = 0, signed = 0;
        var binCount = new int[10];
        var binP = new double[10];
        var binUp = new double[10];
        for (int i = 0; i < n; i++)
        {
            double e = predicted[i] - actual[i];
            se += e * e;
            ae += Math.Abs(e);
            double up = actual[i] > 0 ? 1 : 0;
            brier += (probability[i] - up) * (probability[i] - up);
            if (actual[i] != 0 && predicted[i] != 0)
            {
                signed++;
                if (Math.Sign(predicted[i]) == Math.Sign(actual[i])) hits++;
            }

            int b = Math.Clamp((int)(probability[i] * 10), 0, 9);
            binCount[b]++;
            binP[b] += probability[i];
            binUp[b] += up;
        }

        var bins = Enumerable.Range(0, 10).Select(b => new ReliabilityBin(b / 10.0, (b + 1) / 10.0, binCount[b],
            binCount[b] > 0 ? binP[b] / binCount[b] : double.NaN, binCount[b] > 0 ? binUp[b] / binCount[b] : double.NaN)).ToList();
        var (icMean, icT, icDays) = DailyIc(predicted, actual, dates);
        return new ForecastMetrics(name, n, n > 0 ? se / n : double.NaN, n > 0 ? ae / n : double.NaN,
            signed > 0 ? (double)hits / signed : double.NaN, icMean, icT, icDays, n > 0 ? brier / n : double.NaN, bins);
    }

    /// <summary>Mean, t-statistic and count of the daily Spearman IC (days with at least 3 names and non-constant ranks).</summary>
    public static (double Mean, double TStat, int Days) DailyIc(ReadOnlySpan<double> predicted, ReadOnlySpan<double> actual, ReadOnlySpan<int> dates)
    {
        var byDate = new SortedDictionary<int, List<int>>();
        for (int i = 0; i < dates.Length; i++)
        {
            if (!byDate.TryGetValue(dates[i], out var list)) byDate[dates[i]] = list = [];
            list.Add(i);
        }

        var ics = new List<double>();
        foreach (var (_, idx) in byDate)
        {
            if (idx.Count < 3) continue;
            var pv = new double[idx.Count];
            var av = new double[idx.Count];
            for (int j = 0; j < idx.Count; j++)
            {
                pv[j] = predicted[idx[j]];
                av[j] = actual[idx[j]];
            }

            var p = Ranks(pv);
            var a = Ranks(av);
            double ic = Pearson(p, a);
            if (double.IsFinite(ic)) ics.Add(ic);
        }

        if (ics.Count == 0) return (double.NaN, double.NaN, 0);
        double mean = ics.Average();
        double sd = ics.Count > 1 ? Math.Sqrt(ics.Sum(x => (x - mean) * (x - mean)) / (ics.Count - 1)) : double.NaN;
        return (mean, sd > 0 ? mean / (sd / Math.Sqrt(ics.Count)) : double.NaN, ics.Count);
    }

    /// <summary>Average ranks (ties share their mean rank), 1-based.</summary>
    public static double[] Ranks(double[] values)
    {
        var order = Enumerable.Range(0, values.Length).OrderBy(i => values[i]).ToArray();
        var ranks = new double[values.Length];
        for (int i = 0; i < order.Length;)
        {
            int j = i;
            while (j + 1 < order.Length && values[order[j + 1]] == values[order[i]]) j++;
            double rank = (i + j) / 2.0 + 1;
            for (int k = i; k <= j; k++) ranks[order[k]] = rank;
            i = j + 1;
        }

        return ranks;
    }

    private static double Pearson(double[] x, double[] y)
    {
        double mx = x.Average(), my = y.Average(), sxy = 0, sxx = 0, syy = 0;
        for (int i = 0; i < x.Length; i++)
        {
            sxy += (x[i] - mx) * (y[i] - my);
            sxx += (x[i] - mx) * (x[i] - mx);
            syy += (y[i] - my) * (y[i] - my);
        }

        return sxx > 0 && syy > 0 ? sxy / Math.Sqrt(sxx * syy) : double.NaN;
    }
}
