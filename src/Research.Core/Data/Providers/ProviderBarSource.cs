using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Research.Core.Configuration;
using Research.Core.Data.Caching;
using Research.Core.Data.Quality;

namespace Research.Core.Data.Providers;

/// <summary>
/// Bars from a market-data provider (Alpaca, Yahoo) through the incremental <see cref="BarCache"/>: what the cache
/// lacks of the request is fetched (<see cref="BarFetcher"/>), then the requested range is read back from the cache,
/// filtered to the session hours and run through the quality checker with the repair policy. The data hash covers the
/// bars used (not the cache files, which may hold more). <paramref name="log"/> hears the fetch's progress. Disposing
/// the source disposes the provider's client.
/// </summary>
/// <param name="provider">The provider's client.</param>
/// <param name="cache">The bar cache.</param>
/// <param name="source">The cache's source tag for this provider, feed and adjustment (<see cref="BarProviders.Source"/>).</param>
/// <param name="policy">The quality checker's repair policy.</param>
/// <param name="session">Intraday session filter: <c>regular</c> or <c>extended</c> hours.</param>
/// <param name="panelCache">Panel cache folder, or null.</param>
/// <param name="log">Progress lines, or null.</param>
public sealed class ProviderBarSource(IBarProvider provider, BarCache cache, string source, QualityPolicy policy,
    string session = "regular", string? panelCache = null, TextWriter? log = null) : IMarketDataSource, IDisposable
{
    /// <inheritdoc />
    public void Dispose() => (provider as IDisposable)?.Dispose();

    /// <inheritdoc />
    public string Name => provider.Name;

    /// <summary>The last fetch's outcome (requests, retries, bars), or null before the first.</summary>
    public FetchResult? LastFetch { get; private set; }

    /// <inheritdoc />
    public async Task<MarketData> GetBarsAsync(IReadOnlyList<string> symbols, DateOnly start, DateOnly end, BarTimeframe timeframe,
        CancellationToken cancellationToken = default)
    {
        var clock = Stopwatch.StartNew();
        var list = symbols.Select(s => s.Trim().ToUpperInvariant()).Distinct().ToArray();
        if (list.Length == 0) throw new ArgumentException($"provider '{Name}' needs at least one symbol.", nameof(symbols));
        if (end < start) throw new ArgumentException($"end {end:yyyy-MM-dd} is before start {start:yyyy-MM-dd}.", nameof(end));
        var request = new FetchRequest(list, start, end, timeframe);
        var fetched = await new BarFetcher(provider, cache, source)
            .FetchAsync(request, log is null ? null : new ThrottledProgress(log), cancellationToken).ConfigureAwait(false);
        LastFetch = fetched;
        log?.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  {Name} {timeframe}: {fetched.Requests} request(s), {fetched.Retries} retr{(fetched.Retries == 1 ? "y" : "ies")}, {fetched.BarsFetched:N0} new bar(s) into {cache.Folder} in {fetched.Elapsed.TotalSeconds:F1} s"));

        var (from, to) = request.UtcRange;
        var files = list.Select(s => cache.DataPath(s, timeframe)).ToArray();
        var raw = list.Select((s, i) => BarCache.ReadFile(files[i]).Between(from, to).ToSeries(s, files[i], !timeframe.IsDaily)).ToList();
        var (series, filtered) = MarketDataLoader.SessionFilter(raw, session);
        string policyJson = JsonSerializer.Serialize(policy, ConfigJson.Options);
        string hash = MarketDataLoader.BarsHash(series, PanelCache.FormatVersion, policyJson, session);

        (MarketPanel, string) Build() => MarketDataLoader.Check(series, filtered, policy, session, string.Join(", ", files), "symbol");

        return MarketDataLoader.Assemble(panelCache, hash, files, Build, clock);
    }

    /// <summary>Fetch progress as a log line at most every 2 s (and at the end).</summary>
    private sealed class ThrottledProgress(TextWriter log) : IProgress<FetchProgress>
    {
        private DateTime _last = DateTime.MinValue;

        public void Report(FetchProgress p)
        {
            if (p.UnitsDone < p.Units && DateTime.UtcNow - _last < TimeSpan.FromSeconds(2)) return;
            _last = DateTime.UtcNow;
            log.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  fetch {p.UnitsDone}/{p.Units} requests, {p.Pages} page(s), {p.Bars:N0} bars, {p.BarsPerSecond:N0} bars/s, ETA {p.Eta.TotalSeconds:F0} s"));
        }
    }
}
