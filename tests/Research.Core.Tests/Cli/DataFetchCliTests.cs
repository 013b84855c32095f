using System.Globalization;
using System.Text.Json;
using Research.Core.Data;
using Research.Core.Data.Providers;
using Research.Core.Tests.Data.Providers;

namespace Research.Core.Tests.Cli;

/// <summary>
/// <c>research data fetch</c> as a script sees it: a child process, credentials and base URL from the environment
/// (as Alpaca's SDKs read them), the <c>--json</c> contract, the CSV layout, and the exit codes 0, 2 and 3.
/// </summary>
public class DataFetchCliTests
{
    private static readonly DateOnly Jan2 = new(2024, 1, 2), Jan5 = new(2024, 1, 5);

    /// <summary>Runs the CLI in a child process with only the given APCA_* variables and no user secrets (HOME is a temp folder).</summary>
    private static (int Code, string Out, string Err) Research(IReadOnlyDictionary<string, string> env, params string[] args)
    {
        var all = new Dictionary<string, string?>
        {
            ["APCA_API_KEY_ID"] = null, ["APCA_API_SECRET_KEY"] = null, ["APCA_API_DATA_URL"] = null,
            ["HOME"] = TestPaths.NewTempDir("research-home"),
        };
        foreach (var (k, v) in env) all[k] = v;
        return CliHarness.RunProcess(all, null, TimeSpan.FromMinutes(2), args);
    }

    private static Dictionary<string, string> Credentials(AlpacaTestServer server, string key = AlpacaTestServer.KeyId) => new()
    {
        ["APCA_API_KEY_ID"] = key,
        ["APCA_API_SECRET_KEY"] = AlpacaTestServer.SecretKey,
        ["APCA_API_DATA_URL"] = server.BaseUrl,
    };

    [Fact]
    public async Task Alpaca_fetch_prints_the_json_contract_and_a_rerun_makes_no_request()
    {
        await using var server = await AlpacaTestServer.StartAsync(["AAPL", "MSFT"], Jan2, Jan5);
        string output = TestPaths.NewTempDir();
        string[] args = ["data", "fetch", "--provider", "alpaca", "--symbols", "AAPL,msft", "--start", "2024-01-02", "--end", "2024-01-05",
            "--timeframe", "5Min", "--feed", "iex", "--adjustment", "raw", "--out", output, "--json"];
        var (code, stdout, stderr) = Research(Credentials(server), args);

        Assert.True(code == 0, stderr);
        using var doc = JsonDocument.Parse(stdout); // stdout is exactly one JSON object
        var root = doc.RootElement;
        Assert.Equal(["provider", "timeframe", "requests", "retries", "symbols"], root.EnumerateObject().Select(p => p.Name));
        Assert.Equal("alpaca", root.GetProperty("provider").GetString());
        Assert.Equal("5Min", root.GetProperty("timeframe").GetString());
        Assert.Equal(server.Requests, root.GetProperty("requests").GetInt32());
        Assert.Equal(0, root.GetProperty("retries").GetInt32());
        var (from, to) = new FetchRequest(["AAPL"], Jan2, Jan5, BarTimeframe.Minute5).UtcRange;
        foreach (var symbol in new[] { "AAPL", "MSFT" })
        {
            var s = root.GetProperty("symbols").GetProperty(symbol);
            var expected = server.Expected(symbol, BarTimeframe.Minute5, from, to);
            Assert.Equal(expected.Count, s.GetProperty("bars").GetInt32());
            Assert.Equal("2024-01-02T09:00:00Z", s.GetProperty("first").GetString()); // 04:00 New York, extended hours
            Assert.Equal(expected[^1].Timestamp.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture), s.GetProperty("last").GetString());
            string file = s.GetProperty("file").GetString()!;
            Assert.Equal($"{symbol}.5Min.parquet", Path.GetFileName(file));
            Assert.True(File.Exists(file));
        }

        Assert.Contains("requests", stderr); // the progress line
        Assert.DoesNotContain(AlpacaTestServer.SecretKey, stdout + stderr);
        Assert.DoesNotContain(AlpacaTestServer.KeyId, stdout + stderr);

        int before = server.Requests;
        var again = Research(Credentials(server), args);
        Assert.Equal(0, again.Code);
        Assert.Equal(before, server.Requests);
        using var second = JsonDocument.Parse(again.Out);
        Assert.Equal(0, second.RootElement.GetProperty("requests").GetInt32());
        foreach (var symbol in new[] { "AAPL", "MSFT" })
        {
            var (a, b) = (root.GetProperty("symbols").GetProperty(symbol), second.RootElement.GetProperty("symbols").GetProperty(symbol));
            foreach (var field in new[] { "bars", "first", "last", "file" }) Assert.Equal(a.GetProperty(field).ToString(), b.GetProperty(field).ToString());
            Assert.Equal(0, b.GetProperty("fetched").GetInt32());
        }

        // Without --json: the summary table.
        var human = Research(Credentials(server), args[..^1]);
        Assert.Equal(0, human.Code);
        Assert.StartsWith("alpaca 5Min: 2 symbol(s), 0 request(s), 0 retries", human.Out);
        Assert.Contains("AAPL", human.Out);
    }

    [Fact]
    public async Task Yahoo_csv_format_writes_one_symbol_timeframe_csv_with_utc_timestamps()
    {
        await using var server = await YahooTestServer.StartAsync();
        string output = TestPaths.NewTempDir();
        var (code, stdout, stderr) = Research(new Dictionary<string, string>(), "data", "fetch", "--provider", "yahoo", "--symbols", "AAPL,SPY",
            "--start", "2024-01-02", "--end", "2024-01-31", "--timeframe", "1Day", "--out", output, "--format", "csv",
            "--base-url", server.BaseUrl, "--json");

        Assert.True(code == 0, stderr);
        using var doc = JsonDocument.Parse(stdout);
        var aapl = doc.RootElement.GetProperty("symbols").GetProperty("AAPL");
        string file = aapl.GetProperty("file").GetString()!;
        Assert.Equal(Path.Combine(output, "AAPL.1Day.csv"), file);
        var lines = File.ReadAllLines(file);
        Assert.StartsWith("timestamp,open,high,low,close,volume", lines[0]);
        Assert.Equal(aapl.GetProperty("bars").GetInt32(), lines.Length - 1);
        Assert.All(lines.Skip(1), l => Assert.Matches(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z,[0-9.]+,", l));
        Assert.True(File.Exists(Path.Combine(output, "SPY.1Day.csv")));
        Assert.False(File.Exists(Path.Combine(output, "AAPL.1Day.parquet")));

        // The file is a local source in its own right.
        var local = await new LocalBarSource([output], Core.Data.Quality.QualityPolicy.Default)
            .GetBarsAsync(["AAPL"], Jan2, new DateOnly(2024, 1, 31), BarTimeframe.Day1);
        Assert.Equal(lines.Length - 1, local.Panel.DateCount);
    }

    [Theory]
    [InlineData("--timeframe", "2Min", "2Min")]
    [InlineData("--start", "2024-13-01", "--start '2024-13-01'")]
    [InlineData("--end", "2023-12-01", "--end 2023-12-01 is before --start 2024-01-02")]
    [InlineData("--provider", "polygon", "polygon")]
    [InlineData("--symbols", "AAPL,MS FT", "'MS FT' is not a ticker symbol")]
    [InlineData("--format", "feather", "feather")]
    public void Bad_arguments_exit_2_naming_the_option(string option, string value, string message)
    {
        var args = new Dictionary<string, string>
        {
            ["--provider"] = "alpaca", ["--symbols"] = "AAPL", ["--start"] = "2024-01-02", ["--end"] = "2024-01-05", ["--timeframe"] = "1Min",
            ["--out"] = TestPaths.NewTempDir(),
        };
        args[option] = value;
        var (code, stdout, stderr) = Research(new Dictionary<string, string>(), ["data", "fetch", .. args.SelectMany(kv => new[] { kv.Key, kv.Value })]);
        Assert.True(code == 2, stderr);
        Assert.Contains(message, stderr);
        Assert.Equal("", stdout);
        Assert.DoesNotContain("   at ", stderr);
    }

    [Fact]
    public async Task Missing_or_rejected_credentials_exit_3_with_a_clear_error_and_nothing_cached()
    {
        await using var server = await AlpacaTestServer.StartAsync(["AAPL"], Jan2, Jan5);
        string output = TestPaths.NewTempDir();
        string[] args = ["data", "fetch", "--provider", "alpaca", "--symbols", "AAPL", "--start", "2024-01-02", "--end", "2024-01-05",
            "--timeframe", "1Min", "--out", output, "--base-url", server.BaseUrl];

        var missing = Research(new Dictionary<string, string>(), args);
        Assert.Equal(3, missing.Code);
        Assert.Contains("no credentials: set APCA_API_KEY_ID and APCA_API_SECRET_KEY", missing.Err);
        Assert.Equal(0, server.Requests); // refused before any request

        var rejected = Research(Credentials(server, key: "PKWRONG000000000"), args);
        Assert.Equal(3, rejected.Code);
        Assert.Contains("credentials rejected", rejected.Err);
        Assert.Contains("request is not authorized", rejected.Err); // Alpaca's own message, quoted
        Assert.DoesNotContain("PKWRONG000000000", rejected.Err);
        Assert.DoesNotContain(AlpacaTestServer.SecretKey, rejected.Err);
        Assert.Empty(Directory.GetFiles(output, "*", SearchOption.AllDirectories));
    }
}
