using System.Diagnostics;
using System.Globalization;
using Research.Core.Data.Caching;
using Research.Core.Data.Quality;

namespace Research.Core.Data.Providers;

/// <summary>A fetch: symbols, New York session dates <paramref name="Start"/>..<paramref name="End"/> (both inclusive), a timeframe.</summary>
/// <param name="Symbols">Symbols (upper case, distinct).</param>
/// <param name="Start">First session date.</param>
/// <param name="End">Last session date (inclusive).</param>
/// <param name="Timeframe">Bar timeframe.</param>
public sealed record FetchRequest(IReadOnlyList<string> Symbols, DateOnly Start, DateOnly End, BarTimeframe Timeframe)
{
    /// <summary>The request's UTC range: midnight New York of <see cref="Start"/> to midnight after <see cref="End"/>.</summary>
    public (DateTime Start, DateTime End) UtcRange =>
        (UsEquitySession.ToUtc(Start, TimeOnly.MinValue), UsEquitySession.ToUtc(End.AddDays(1), TimeOnly.MinValue));
}

/// <summary>One symbol's outcome of a fetch.</summary>
/// <param name="Bars">Bars of the symbol in the requested range (cached and new).</param>
/// <param name="First">First bar start in the range (UTC), or null.</param>
/// <param name="Last">Last bar start in the range (UTC), or null.</param>
/// <param name="File">The cache file.</param>
/// <param name="Fetched">Bars received from the provider in this fetch.</param>
/// <param name="Defects">Defects the quality checker (default policy) finds in the range's bars.</param>
public sealed record FetchedSymbol(int Bars, DateTime? First, DateTime? Last, string File, int Fetched, int Defects);

/// <summary>A fetch's outcome.</summary>
/// <param name="Provider">Provider name.</param>
/// <param name="Timeframe">Timeframe.</param>
/// <param name="Requests">HTTP requests sent (retries included).</param>
/// <param name="Retries">Retries.</param>
/// <param name="Symbols">Per-symbol outcome.</param>
/// <param name="BarsFetched">Bars received from the provider.</param>
/// <param name="Elapsed">Wall time.</param>
public sealed record FetchResult(string Provider, BarTimeframe Timeframe, int Requests, int Retries,
    IReadOnlyDictionary<string, FetchedSymbol> Symbols, long BarsFetched, TimeSpan Elapsed);

/// <summary>Progress of a fetch: units are (time chunk × symbol group) requests.</summary>
/// <param name="UnitsDone">Units finished.</param>
/// <param name="Units">Units in all.</param>
/// <param name="Pages">Pages received.</param>
/// <param name="Bars">Bars received.</param>
/// <param name="Elapsed">Time since the start.</param>
public sealed record FetchProgress(int UnitsDone, int Units, int Pages, long Bars, TimeSpan Elapsed)
{
    /// <summary>Bars per second so far.</summary>
    public double BarsPerSecond => Bars / Math.Max(Elapsed.TotalSeconds, 1e-9);

    /// <summary>Estimated time left, from the units' rate.</summary>
    public TimeSpan Eta => UnitsDone == 0 ? TimeSpan.Zero : Elapsed * ((double)(Units - UnitsDone) / UnitsDone);
}

/// <summary>
/// Fetches bars into the <see cref="BarCache"/> incrementally: only the parts of the request no cache record covers are
/// requested, in month-long chunks for intraday bars (a year for daily ones; shorter where the provider caps a request's
/// span), symbols with the same missing chunk in one
/// multi-symbol request. Each chunk is committed when all its pages have arrived (data file, then record, each
/// atomically), so a failure leaves every file as it was before that chunk and a re-run resumes after the last chunk
/// committed. A re-run of a completed fetch makes no request.
/// </summary>
public sealed class BarFetcher(IBarProvider provider, BarCache cache, string source)
{
    /// <summary>Fetches <paramref name="request"/>; <paramref name="progress"/> hears after every page.</summary>
    public async Task<FetchResult> FetchAsync(FetchRequest request, IProgress<FetchProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        var clock = Stopwatch.StartNew();
        var tf = request.Timeframe;
        var (start, end) = request.UtcRange;
        var now = DateTime.UtcNow;
        var state = new Dictionary<string, (BarColumns Bars, List<CoveredRange> Covered, List<string> Requests)>(StringComparer.Ordinal);
        foreach (var symbol in request.Symbols)
        {
            var hit = cache.TryRead(symbol, tf, source);
            state[symbol] = hit is { } h ? (h.Bars, h.Entry.Covered.ToList(), h.Entry.Requests.ToList()) : (BarColumns.Empty, [], []);
        }

        // Units: each chunk of the range, with the symbols that lack some of it (requested for the whole missing span).
        var units = new List<(DateTime Start, DateTime End, string[] Symbols)>();
        foreach (var (a, b) in Chunks(start, end, tf, provider.MaxRequestSpan(tf)))
        {
            var groups = request.Symbols
                .Select(s => (Symbol: s, Missing: Missing(state[s].Covered, a, b)))
                .Where(x => x.Missing is not null)
                .GroupBy(x => x.Missing!.Value);
            foreach (var g in groups) units.Add((g.Key.Start, g.Key.End, g.Select(x => x.Symbol).ToArray()));
        }

        var fetched = request.Symbols.ToDictionary(s => s, _ => 0, StringComparer.Ordinal);
        long bars = 0;
        int pages = 0;
        for (int u = 0; u < units.Count; u++)
        {
            var (a, b, symbols) = units[u];
            var received = symbols.ToDictionary(s => s, _ => new List<ProviderBar>(), StringComparer.Ordinal);
            await foreach (var page in provider.FetchAsync(new BarRequest(symbols, a, b, tf), cancellationToken).ConfigureAwait(false))
            {
                foreach (var (symbol, list) in page.Bars)
                {
                    if (!received.TryGetValue(symbol, out var into))
                        throw new ProviderException(provider.Name, ProviderErrorKind.Payload, null, $"the response holds bars of '{symbol}', which was not requested.");
                    into.AddRange(list);
                }

                pages++;
                bars += page.Count;
                progress?.Report(new FetchProgress(u, units.Count, pages, bars, clock.Elapsed));
            }

            // Commit the chunk: every symbol of the unit, each file atomically.
            var coveredEnd = b < now ? b : now;
            string line = string.Create(CultureInfo.InvariantCulture, $"{a:yyyy-MM-dd'T'HH:mm:ss'Z'}..{b:yyyy-MM-dd'T'HH:mm:ss'Z'} {string.Join(",", symbols)}");
            foreach (var symbol in symbols)
            {
                var (old, covered, requests) = state[symbol];
                var merged = old.Merge(BarColumns.From(received[symbol].Where(x => x.Timestamp.UtcDateTime >= a && x.Timestamp.UtcDateTime < b)));
                if (coveredEnd > a) covered = Add(covered, new CoveredRange(a, coveredEnd));
                requests = [.. requests, line];
                cache.Write(symbol, tf, source, merged, covered, requests);
                state[symbol] = (merged, covered, requests);
                fetched[symbol] += received[symbol].Count;
            }

            progress?.Report(new FetchProgress(u + 1, units.Count, pages, bars, clock.Elapsed));
        }

        var checker = new QualityChecker(QualityPolicy.Default);
        var result = new Dictionary<string, FetchedSymbol>(StringComparer.Ordinal);
        foreach (var symbol in request.Symbols)
        {
            var inRange = state[symbol].Bars.Between(start, end);
            int defects = inRange.Count == 0 ? 0
                : checker.Run([inRange.ToSeries(symbol, cache.DataPath(symbol, tf), !tf.IsDaily)]).Report.Defects.Count;
            result[symbol] = new FetchedSymbol(inRange.Count, inRange.Count > 0 ? inRange.Times[0] : null,
                inRange.Count > 0 ? inRange.Times[^1] : null, cache.DataPath(symbol, tf), fetched[symbol], defects);
        }

        return new FetchResult(provider.Name, tf, provider.Stats.Requests, provider.Stats.Retries, result, bars, clock.Elapsed);
    }

    /// <summary>The range cut at New York month starts (intraday) or year starts (daily), and into whole New York days no longer than <paramref name="maxSpan"/>.</summary>
    internal static IEnumerable<(DateTime Start, DateTime End)> Chunks(DateTime start, DateTime end, BarTimeframe tf, TimeSpan maxSpan)
    {
        var a = start;
        while (a < end)
        {
            var local = UsEquitySession.SessionDate(a);
            var next = tf.IsDaily ? new DateOnly(local.Year + 1, 1, 1) : new DateOnly(local.Year, local.Month, 1).AddMonths(1);
            if (maxSpan.TotalDays >= 1 && maxSpan.TotalDays < next.DayNumber - local.DayNumber)
                next = local.AddDays((int)maxSpan.TotalDays);
            var b = UsEquitySession.ToUtc(next, TimeOnly.MinValue);
            if (b > end) b = end;
            yield return (a, b);
            a = b;
        }
    }

    /// <summary>The smallest span of [a, b) not covered by <paramref name="covered"/>, or null when all of it is.</summary>
    internal static (DateTime Start, DateTime End)? Missing(IReadOnlyList<CoveredRange> covered, DateTime a, DateTime b)
    {
        // Trim covered prefix and suffix; a hole in the middle is requested whole (the merge keeps newer bars).
        bool progressed = true;
        while (progressed && a < b)
        {
            progressed = false;
            foreach (var c in covered)
            {
                if (c.Start <= a && c.End > a) { a = c.End; progressed = true; }
                if (c.Start < b && c.End >= b) { b = c.Start; progressed = true; }
            }
        }

        return a < b ? (a, b) : null;
    }

    /// <summary>Adds a range to a coverage list, merging overlapping and touching ranges.</summary>
    internal static List<CoveredRange> Add(IReadOnlyList<CoveredRange> covered, CoveredRange range)
    {
        var all = covered.Append(range).OrderBy(c => c.Start).ToList();
        var merged = new List<CoveredRange>();
        foreach (var c in all)
        {
            if (merged.Count > 0 && c.Start <= merged[^1].End)
            {
                if (c.End > merged[^1].End) merged[^1] = merged[^1] with { End = c.End };
            }
            else
            {
                merged.Add(c);
            }
        }

        return merged;
    }
}
