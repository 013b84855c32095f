using Research.Core.Tests.Data.Providers;
using Research.Core.Tracking;

namespace Research.Core.Tests.Cli;

/// <summary>
/// The shipped provider configs end to end. <c>experiments/intraday_alpaca.json</c>: <c>research run</c> fetches a month of 1-minute
/// bars of three symbols from an Alpaca-shaped server (credentials and URL from the environment), and the panel flows
/// through features, the forecaster, the RL environments and agents and the backtester, annualised by bars;
/// <c>experiments/yahoo_daily.json</c> does the same with a decade of Yahoo daily bars.
/// </summary>
public class ProviderRunTests
{
    [Fact]
    public async Task A_one_minute_alpaca_panel_runs_through_research_run_end_to_end()
    {
        await using var server = await AlpacaTestServer.StartAsync(["AAPL", "MSFT", "SPY"], new DateOnly(2024, 1, 2), new DateOnly(2024, 1, 31));
        string work = TestPaths.NewTempDir("research-intraday");
        // The shipped config and the default it extends, side by side in a working folder of their own.
        foreach (var name in new[] { "intraday_alpaca.json", "default.json" })
            File.Copy(Path.Combine(TestPaths.RepoRoot, "experiments", name), Path.Combine(work, name));
        string mlruns = Path.Combine(work, "mlruns");

        var (code, stdout, stderr) = Research(server, work, "run", "--config", "intraday_alpaca.json", "--tracking-uri", mlruns, "--quick");

        Assert.True(code == 0, stdout + stderr);
        Assert.Contains("3 tickers × 8,580 dates (2024-01-02..2024-01-31)", stdout); // 22 weekday sessions × 390 regular-hours bars
        Assert.Contains("intraday bars 2024-01-02 14:30Z..2024-01-31 20:59Z, 98,280 bars a year", stdout);
        Assert.Contains("alpaca 1Min:", stdout);
        Assert.DoesNotContain(AlpacaTestServer.SecretKey, stdout + stderr);
        Assert.True(File.Exists(Path.Combine(work, "data", "cache", "AAPL.1Min.parquet")));
        Assert.True(File.Exists(Path.Combine(work, "data", "cache", "AAPL.1Min.json")));

        var store = new FileStore(mlruns);
        var runs = store.SearchRuns([store.GetExperimentByName("intraday-alpaca")!.ExperimentId]);
        var parent = runs.Single(r => r.ParentRunId is null);
        Assert.Equal(RunStatus.Finished, parent.Info.Status);
        Assert.Equal("alpaca", parent.Params["data.provider"]);
        Assert.Equal("1Min", parent.Params["data.timeframe"]);
        Assert.DoesNotContain(parent.Params.Values, v => v.Contains(AlpacaTestServer.SecretKey) || v.Contains(AlpacaTestServer.KeyId));
        foreach (var strategy in new[] { "cnn-lstm-kelly", "rl-ensemble", "equal-weight-engine" })
        {
            Assert.True(parent.Metrics[$"backtest.{strategy}.costs"].Value > 0, strategy); // costs on, trades made
            Assert.True(double.IsFinite(parent.Metrics[$"test.{strategy}.sharpe_ratio"].Value), strategy);
        }

        foreach (var strategy in new[] { "rl-ppo", "rl-a2c", "rl-ddpg" }) // traded through the backtester (a quick agent may stay flat)
            Assert.Equal(parent.Metrics["rl.trials"].Value, parent.Metrics[$"test.{strategy}.trials"].Value);
        Assert.Equal(98_280, parent.Metrics["data.periods_per_year"].Value);

        // Fills and the per-bar accounting carry the bar's instant; the tearsheet draws the intraday curves.
        string runDir = Directory.GetDirectories(Path.Combine(work, "runs")).Single();
        var fills = File.ReadAllLines(Path.Combine(runDir, "fills-cnn-lstm-kelly.csv"));
        Assert.EndsWith(",timestamp", fills[0]);
        Assert.All(fills.Skip(1), f => Assert.Matches(@",2024-01-(2[6-9]|3[01])T(1[4-9]|20):\d\d:00Z$", f)); // the test block, regular hours
        var daily = File.ReadAllLines(Path.Combine(runDir, "daily-cnn-lstm-kelly.csv"));
        Assert.Equal(4 * 390 - 30, daily.Length - 1); // the test block: four sessions after the validation end, less the 30-bar embargo
        Assert.EndsWith(",2024-01-31T20:59:00Z", daily[^1]);
        Assert.True(File.Exists(Path.Combine(runDir, "tearsheet.html")));

        // The second run fetches nothing: the bar cache holds the month.
        int requests = server.Requests;
        var again = Research(server, work, "run", "--config", "intraday_alpaca.json", "--tracking-uri", mlruns, "--quick", "--no-tracking");
        Assert.True(again.Code == 0, again.Out + again.Err);
        Assert.Equal(requests, server.Requests);
        Assert.Contains("alpaca 1Min: 0 request(s)", again.Out);
    }

    [Fact]
    public async Task Yahoo_daily_bars_run_through_research_run_from_the_shipped_config()
    {
        var symbols = new[] { "SPY", "QQQ", "IWM", "TLT", "GLD" }.Select((s, i) => new YahooTestSymbol(s, 100 + i, 50.0 + 40 * i)).ToArray();
        await using var server = await YahooTestServer.StartAsync(symbols);
        string work = TestPaths.NewTempDir("research-yahoo");
        foreach (var name in new[] { "yahoo_daily.json", "default.json" })
            File.Copy(Path.Combine(TestPaths.RepoRoot, "experiments", name), Path.Combine(work, name));
        File.WriteAllText(Path.Combine(work, "local.json"),
            $$"""{ "extends": "yahoo_daily.json", "data": { "baseUrl": "{{server.BaseUrl}}", "requestsPerMinute": 6000 } }""");
        string mlruns = Path.Combine(work, "mlruns");

        var (code, stdout, stderr) = Research(null, work, "run", "--config", "local.json", "--tracking-uri", mlruns, "--quick");

        Assert.True(code == 0, stdout + stderr);
        Assert.Contains("yahoo 1Day: 50 request(s)", stdout); // one chart request per symbol and year of the decade
        int weekdays = Enumerable.Range(0, new DateOnly(2024, 12, 31).DayNumber - new DateOnly(2015, 1, 2).DayNumber + 1)
            .Count(i => new DateOnly(2015, 1, 2).AddDays(i).DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday)); // the fake's sessions
        Assert.Contains($"5 tickers × {weekdays.ToString("N0", System.Globalization.CultureInfo.InvariantCulture)} dates (2015-01-02..2024-12-31)", stdout);
        Assert.DoesNotContain("intraday", stdout);
        var store = new FileStore(mlruns);
        var parent = store.SearchRuns([store.GetExperimentByName("yahoo-daily")!.ExperimentId]).Single(r => r.ParentRunId is null);
        Assert.Equal(RunStatus.Finished, parent.Info.Status);
        Assert.Equal("yahoo", parent.Params["data.provider"]);
        Assert.Equal(252, parent.Metrics["data.periods_per_year"].Value);
        Assert.True(parent.Metrics["backtest.cnn-lstm-kelly.costs"].Value > 0);
        Assert.True(File.Exists(Path.Combine(work, "data", "cache", "SPY.1Day.parquet")));
    }

    private static (int Code, string Out, string Err) Research(AlpacaTestServer? server, string workingDirectory, params string[] args) =>
        CliHarness.RunProcess(new Dictionary<string, string?>
        {
            ["APCA_API_KEY_ID"] = server is null ? null : AlpacaTestServer.KeyId,
            ["APCA_API_SECRET_KEY"] = server is null ? null : AlpacaTestServer.SecretKey,
            ["APCA_API_DATA_URL"] = server?.BaseUrl,
            ["MLFLOW_TRACKING_URI"] = null,
        }, workingDirectory, TimeSpan.FromMinutes(10), args);
}
