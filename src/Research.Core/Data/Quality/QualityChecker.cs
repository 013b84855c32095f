namespace Research.Core.Data.Quality;

/// <summary>The outcome of a quality check: the report, and the panel built from what the policy kept.</summary>
/// <param name="Report">Every defect, repair and rejection.</param>
/// <param name="Panel">The repaired panel on the union calendar, or null when every file was rejected.</param>
public sealed record QualityResult(QualityReport Report, MarketPanel? Panel);

/// <summary>
/// Checks bar series against each other and one by one, applies an explicit <see cref="QualityPolicy"/>, records every
/// change, and assembles the kept series into a <see cref="MarketPanel"/> on the union of their dates.
/// </summary>
public sealed class QualityChecker
{
    private readonly QualityPolicy _policy;

    /// <summary>Creates a checker for <paramref name="policy"/> (validated).</summary>
    public QualityChecker(QualityPolicy policy) => _policy = policy.Validate();

    /// <summary>Checks, repairs and assembles.</summary>
    public QualityResult Run(IReadOnlyList<BarSeries> series)
    {
        var seen = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var s in series)
        {
            if (!seen.TryAdd(s.Ticker, s.Source))
            {
                throw new DataFormatException(s.Source, null, null,
                    $"ticker '{s.Ticker}' is also loaded from {seen[s.Ticker]}; give each ticker one file.");
            }
        }

        var defects = new List<Defect>();
        var repairs = new List<Repair>();
        var rejected = new Dictionary<string, string>(StringComparer.Ordinal);
        var cleaner = new SeriesCleaner(_policy, defects, repairs);
        int intraday = series.Count(x => x.IsIntraday);
        if (intraday > 0 && intraday < series.Count)
        {
            var odd = series.First(x => !x.IsIntraday);
            throw new DataFormatException(odd.Source, null, null,
                $"daily bars of '{odd.Ticker}' mixed with intraday bars of '{series.First(x => x.IsIntraday).Ticker}'; load one timeframe at a time.");
        }

        var clean = new List<(BarSeries Series, HashSet<long> Dropped)>();
        foreach (var s in series)
        {
            var (c, why, dropped) = cleaner.Clean(s);
            if (c is null) rejected.TryAdd(s.Source, why!);
            else clean.Add((c, dropped));
        }

        clean.RemoveAll(c => rejected.ContainsKey(c.Series.Source)); // reject the file: every series it holds
        var kept = Align(clean, defects, repairs, rejected);
        var panel = kept.Series.Count == 0 ? null : Assemble(kept.Series, kept.Calendar);
        var sorted = defects.OrderBy(d => d.Kind).ThenBy(d => d.Ticker, StringComparer.Ordinal).ThenBy(d => d.Date)
            .ThenBy(d => d.Line).ToArray();
        var report = new QualityReport(_policy, series.Select(s => s.Source).Distinct().ToArray(),
            series.Sum(s => s.Count), sorted, repairs, rejected);
        return new QualityResult(report, panel);
    }

    /// <summary>Finds calendar gaps and partial coverage against the union calendar and applies the gap policy.</summary>
    private (List<BarSeries> Series, TradingCalendar Calendar) Align(List<(BarSeries Series, HashSet<long> Dropped)> clean,
        List<Defect> defects, List<Repair> repairs, Dictionary<string, string> rejected)
    {
        bool intraday = clean.Any(c => c.Series.IsIntraday);
        var union = UnionOf(clean.Select(c => c.Series), intraday);
        var gaps = new Dictionary<long, List<string>>();
        foreach (var (s, dropped) in clean)
        {
            if (s.Count == 0) continue;
            int from = IndexOfKey(union, s.Key(0)), to = IndexOfKey(union, s.Key(s.Count - 1));
            if (from > 0 || to < union.Count - 1)
            {
                defects.Add(new Defect(DefectKind.PartialCoverage, s.Ticker, s.Dates[0], null,
                    $"covers {s.Stamp(0)}..{s.Stamp(s.Count - 1)} of {Stamp(union, 0)}..{Stamp(union, union.Count - 1)} " +
                    $"({from} {(intraday ? "bar" : "date")}(s) before, {union.Count - 1 - to} after: left empty)", s.Source, null));
            }

            int j = 0;
            for (int t = from; t <= to; t++)
            {
                long key = union.Key(t);
                while (j < s.Count && s.Key(j) < key) j++;
                if (j < s.Count && s.Key(j) == key) continue;
                int before = s.Lines[j - 1], after = s.Lines[j];
                string why = dropped.Contains(key) ? "its row was dropped by the policy" : $"no row between lines {before} and {after}";
                defects.Add(new Defect(DefectKind.CalendarGap, s.Ticker, union[t], null,
                    $"{(intraday ? $"bar {Stamp(union, t)}: " : "")}{CountHaving(clean, key)} of {clean.Count} tickers have this {(intraday ? "bar" : "date")}; {why}", s.Source, null));
                if (!gaps.TryGetValue(key, out var list)) gaps[key] = list = [];
                list.Add(s.Ticker);
            }
        }

        var series = clean.Select(c => c.Series).ToList();
        string Text(long key) => intraday ? new DateTime(key, DateTimeKind.Utc).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture)
            : DateOnly.FromDayNumber((int)key).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        DateOnly DateOf(long key) => intraday ? UsEquitySession.SessionDate(new DateTime(key, DateTimeKind.Utc)) : DateOnly.FromDayNumber((int)key);
        switch (_policy.CalendarGaps)
        {
            case RepairAction.Reject:
                foreach (var s in series.Where(s => gaps.Values.Any(g => g.Contains(s.Ticker))))
                {
                    var first = gaps.Where(g => g.Value.Contains(s.Ticker)).Min(g => g.Key);
                    rejected.TryAdd(s.Source, $"lacks {Text(first)}, which other tickers have");
                }

                series.RemoveAll(s => rejected.ContainsKey(s.Source));
                union = UnionOf(series, intraday);
                break;
            case RepairAction.DropDate:
                foreach (var (key, tickers) in gaps.OrderBy(g => g.Key))
                {
                    repairs.Add(new Repair(RepairAction.DropDate, DefectKind.CalendarGap, "*", DateOf(key), null, null, null,
                        $"dropped {Text(key)} from the calendar for every ticker ({string.Join(" ", tickers)} lack it)"));
                }

                union = union.Without([.. gaps.Keys]);
                break;
            case RepairAction.ForwardFill:
                foreach (var (key, tickers) in gaps.OrderBy(g => g.Key))
                {
                    foreach (var t in tickers)
                    {
                        repairs.Add(new Repair(RepairAction.ForwardFill, DefectKind.CalendarGap, t, DateOf(key), null, null, null,
                            intraday ? $"inserted a flat bar at {Text(key)} at the previous close with volume 0" : "inserted a flat bar at the previous close with volume 0"));
                    }
                }

                break;
        }

        return (series, union);
    }

    private static TradingCalendar UnionOf(IEnumerable<BarSeries> series, bool intraday)
    {
        var set = new SortedSet<long>();
        foreach (var s in series)
        {
            for (int i = 0; i < s.Count; i++) set.Add(s.Key(i));
        }

        return TradingCalendar.FromKeys([.. set], intraday);
    }

    private static int IndexOfKey(TradingCalendar calendar, long key)
    {
        int lo = 0, hi = calendar.Count;
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            if (calendar.Key(mid) < key) lo = mid + 1;
            else hi = mid;
        }

        return lo;
    }

    private static string Stamp(TradingCalendar c, int i) => c.IsIntraday
        ? c.Time(i).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture)
        : c[i].ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    private static int CountHaving(List<(BarSeries Series, HashSet<long> Dropped)> clean, long key) =>
        clean.Count(c => HasKey(c.Series, key));

    private static bool HasKey(BarSeries s, long key)
    {
        int lo = 0, hi = s.Count;
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            if (s.Key(mid) < key) lo = mid + 1;
            else hi = mid;
        }

        return lo < s.Count && s.Key(lo) == key;
    }

    /// <summary>Lays the series onto the calendar; forward-fills gaps when the policy says so, else leaves NaN.</summary>
    private MarketPanel Assemble(List<BarSeries> series, TradingCalendar calendar)
    {
        int T = calendar.Count, N = series.Count;
        bool hasAdj = series.All(s => s.AdjClose is not null);
        var o = new double[N * T];
        var h = new double[N * T];
        var l = new double[N * T];
        var c = new double[N * T];
        var v = new double[N * T];
        var a = hasAdj ? new double[N * T] : null;
        Array.Fill(o, double.NaN);
        Array.Fill(h, double.NaN);
        Array.Fill(l, double.NaN);
        Array.Fill(c, double.NaN);
        Array.Fill(v, double.NaN);
        if (a is not null) Array.Fill(a, double.NaN);
        bool fill = _policy.CalendarGaps == RepairAction.ForwardFill;
        for (int k = 0; k < N; k++)
        {
            var s = series[k];
            int j = 0, last = -1, @base = k * T;
            for (int t = 0; t < T; t++)
            {
                long key = calendar.Key(t);
                while (j < s.Count && s.Key(j) < key) j++;
                int at = @base + t;
                if (j < s.Count && s.Key(j) == key)
                {
                    (o[at], h[at], l[at], c[at], v[at]) = (s.Open[j], s.High[j], s.Low[j], s.Close[j], s.Volume[j]);
                    if (a is not null) a[at] = s.AdjClose![j];
                    last = j;
                }
                else if (fill && last >= 0 && j < s.Count)
                {
                    // Inside the ticker's own range: a flat bar at the last close, no volume (so nothing can fill on it).
                    double p = s.Close[last];
                    (o[at], h[at], l[at], c[at], v[at]) = (p, p, p, p, 0);
                    if (a is not null) a[at] = s.AdjClose![last];
                }
            }
        }

        return new MarketPanel(calendar, series.Select(s => s.Ticker).ToArray(), o, h, l, c, v, a);
    }
}
