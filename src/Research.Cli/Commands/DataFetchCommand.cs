using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Research.Core.Data.Caching;
using Research.Core.Data.Providers;

namespace Research.Cli.Commands;

/// <summary>
/// <c>research data fetch</c>: historical bars from Alpaca or Yahoo into the incremental bar cache, with a progress
/// bar and a summary (or the JSON object with <c>--json</c>).
/// </summary>
internal static class DataFetchCommand
{
    /// <summary>Exit code when the provider refuses or fails (credentials, parameters, rate limit, outage, payload).</summary>
    public const int ProviderFailed = 3;

    public static Command Create()
    {
        var provider = new Option<string>("--provider") { Description = "alpaca or yahoo.", Required = true };
        provider.AcceptOnlyFromAmong([.. BarProviders.Names]);
        var symbols = new Option<string>("--symbols") { Description = "Comma-separated symbols, e.g. AAPL,MSFT.", Required = true };
        var start = new Option<string>("--start") { Description = "First session date, yyyy-MM-dd (New York).", Required = true };
        var end = new Option<string>("--end") { Description = "Last session date, yyyy-MM-dd (inclusive).", Required = true };
        var timeframe = new Option<string>("--timeframe") { Description = "1Min, 5Min, 15Min, 1Hour or 1Day.", Required = true };
        var feed = new Option<string>("--feed") { Description = "Alpaca feed: iex or sip.", DefaultValueFactory = _ => "iex" };
        feed.AcceptOnlyFromAmong("iex", "sip");
        var adjustment = new Option<string>("--adjustment") { Description = "Alpaca adjustment: raw, split, dividend or all.", DefaultValueFactory = _ => "raw" };
        adjustment.AcceptOnlyFromAmong("raw", "split", "dividend", "all");
        var output = new Option<string>("--out") { Description = "Cache folder.", DefaultValueFactory = _ => "data/cache" };
        var format = new Option<string>("--format") { Description = "parquet or csv.", DefaultValueFactory = _ => "parquet" };
        format.AcceptOnlyFromAmong("parquet", "csv");
        var baseUrl = new Option<string?>("--base-url") { Description = "The provider's base URL (default Alpaca's, or APCA_API_DATA_URL; Yahoo's)." };
        var json = new Option<bool>("--json") { Description = "Print the summary as one JSON object." };
        var cmd = new Command("fetch",
            "Fetch historical bars into the cache (only what it lacks). Alpaca credentials: APCA_API_KEY_ID / APCA_API_SECRET_KEY or user secrets. Exit 0 done, 2 bad arguments, 3 the provider failed.")
        {
            provider, symbols, start, end, timeframe, feed, adjustment, output, format, baseUrl, json,
        };
        CommandAction.Set(cmd, (parse, stdout, stderr) =>
        {
            var tf = BarTimeframe.Parse(parse.GetValue(timeframe)!);
            var list = parse.GetValue(symbols)!.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
                .Select(s => s.ToUpperInvariant()).Distinct().ToArray();
            if (list.Length == 0) throw new ArgumentException("--symbols: name at least one symbol.");
            foreach (var s in list)
            {
                if (s.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '^' or '=')))
                    throw new ArgumentException($"--symbols: '{s}' is not a ticker symbol.");
            }

            var from = Date(parse.GetValue(start)!, "--start");
            var to = Date(parse.GetValue(end)!, "--end");
            if (to < from) throw new ArgumentException($"--end {to:yyyy-MM-dd} is before --start {from:yyyy-MM-dd}.");
            string name = parse.GetValue(provider)!, f = parse.GetValue(feed)!, adj = parse.GetValue(adjustment)!;
            var cache = new BarCache(parse.GetValue(output)!, parse.GetValue(format) == "csv" ? BarFileFormat.Csv : BarFileFormat.Parquet);
            try
            {
                using var stop = new CancellationTokenSource();
                ConsoleCancelEventHandler cancel = (_, e) =>
                {
                    e.Cancel = true;
                    stop.Cancel();
                };
                Console.CancelKeyPress += cancel;
                try
                {
                    var p = BarProviders.Create(name, parse.GetValue(baseUrl), f, adj, UserSecrets.Load());
                    using var _ = p as IDisposable;
                    var bar = new ProgressBar(stderr, list.Length);
                    var result = new BarFetcher(p, cache, BarProviders.Source(name, f, adj))
                        .FetchAsync(new FetchRequest(list, from, to, tf), bar, stop.Token).GetAwaiter().GetResult();
                    bar.Done(result);
                    if (parse.GetValue(json)) stdout.WriteLine(JsonSerializer.Serialize(ToJson(result)));
                    else Summary(stdout, result);
                    return 0;
                }
                finally
                {
                    Console.CancelKeyPress -= cancel;
                }
            }
            catch (ProviderException e)
            {
                stderr.WriteLine($"error: {e.Message}");
                return ProviderFailed;
            }
            catch (OperationCanceledException)
            {
                stderr.WriteLine("interrupted: chunks already committed stay in the cache; run the same fetch again to resume.");
                return 130;
            }
        });
        return cmd;
    }

    /// <summary>The <c>--json</c> object: provider, timeframe, requests, retries, and per symbol bars, first, last, file.</summary>
    internal static object ToJson(FetchResult r) => new Dictionary<string, object>
    {
        ["provider"] = r.Provider,
        ["timeframe"] = r.Timeframe.Name,
        ["requests"] = r.Requests,
        ["retries"] = r.Retries,
        ["symbols"] = r.Symbols.ToDictionary(kv => kv.Key, kv => (object)new Dictionary<string, object?>
        {
            ["bars"] = kv.Value.Bars,
            ["first"] = Stamp(kv.Value.First),
            ["last"] = Stamp(kv.Value.Last),
            ["file"] = kv.Value.File,
            ["fetched"] = kv.Value.Fetched,
            ["defects"] = kv.Value.Defects,
        }),
    };

    private static string? Stamp(DateTime? t) => t?.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static void Summary(TextWriter stdout, FetchResult r)
    {
        var inv = CultureInfo.InvariantCulture;
        stdout.WriteLine(string.Create(inv,
            $"{r.Provider} {r.Timeframe}: {r.Symbols.Count} symbol(s), {r.Requests} request(s), {r.Retries} retr{(r.Retries == 1 ? "y" : "ies")}, {r.BarsFetched:N0} bar(s) fetched in {r.Elapsed.TotalSeconds:F1} s ({r.BarsFetched / Math.Max(r.Elapsed.TotalSeconds, 1e-9):N0} bars/s)"));
        stdout.WriteLine(string.Create(inv, $"{"symbol",-8} {"bars",9} {"first",-20} {"last",-20} {"new",9} {"defects",7}  file"));
        foreach (var (s, x) in r.Symbols)
        {
            stdout.WriteLine(string.Create(inv, $"{s,-8} {x.Bars,9:N0} {Stamp(x.First) ?? "-",-20} {Stamp(x.Last) ?? "-",-20} {x.Fetched,9:N0} {x.Defects,7}  {x.File}"));
        }
    }

    private static DateOnly Date(string text, string option) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)
            ? d
            : throw new ArgumentException($"{option} '{text}' is not a date in the yyyy-MM-dd format.");

    /// <summary>
    /// A progress bar on stderr: requests done of all (each a chunk × symbol group), pages, bars, bars/s and ETA; redrawn
    /// in place on a terminal, else a line every 2 s.
    /// </summary>
    private sealed class ProgressBar(TextWriter stderr, int symbols) : IProgress<FetchProgress>
    {
        private readonly bool _terminal = !Console.IsErrorRedirected && ReferenceEquals(stderr, Console.Error);
        private DateTime _last = DateTime.MinValue;

        public void Report(FetchProgress p)
        {
            if (DateTime.UtcNow - _last < TimeSpan.FromSeconds(_terminal ? 0.2 : 2)) return;
            _last = DateTime.UtcNow;
            Draw(p);
        }

        public void Done(FetchResult r)
        {
            if (_terminal) stderr.WriteLine();
        }

        private void Draw(FetchProgress p)
        {
            const int width = 24;
            int filled = p.Units == 0 ? width : (int)Math.Round(width * (double)p.UnitsDone / p.Units);
            string line = string.Create(CultureInfo.InvariantCulture,
                $"[{new string('#', filled)}{new string('-', width - filled)}] {p.UnitsDone}/{p.Units} requests · {symbols} symbol(s) × {p.Pages} page(s) · {p.Bars:N0} bars · {p.BarsPerSecond:N0} bars/s · ETA {p.Eta.TotalSeconds:F0} s");
            if (_terminal) stderr.Write("\r" + line.PadRight(Console.WindowWidth > 0 ? Math.Min(Console.WindowWidth - 1, 140) : 0));
            else stderr.WriteLine(line);
        }
    }
}
