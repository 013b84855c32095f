using System.Text.Json;
using Research.Core.Evaluation;

namespace Research.Core.Tests.Evaluation;

public class MetricsCliTests
{
    private static (int Code, string Out, string Err) Run(params string[] args) => CliHarness.Run(args);

    private static string WriteSeries(string dir, string name, DateOnly[] dates, double[] values, int skip = 0)
    {
        string path = Path.Combine(dir, name);
        File.WriteAllLines(path, new[] { "date,return" }.Concat(dates.Skip(skip).Zip(values.Skip(skip), (d, v) =>
            $"{d:yyyy-MM-dd},{v.ToString("R", System.Globalization.CultureInfo.InvariantCulture)}")));
        return path;
    }

    [Fact]
    public void Json_has_the_snake_case_keys_and_matches_empyrical()
    {
        string dir = TestPaths.NewTempDir();
        var dates = TearsheetSamples.BusinessDays(new DateOnly(2021, 1, 4), 300);
        string r = WriteSeries(dir, "returns.csv", dates, ReferenceSeries.Strategy(300));
        string b = WriteSeries(dir, "bench.csv", dates, ReferenceSeries.Benchmark(300));
        var (code, json, err) = Run("metrics", "--returns", r, "--benchmark", b, "--json");
        Assert.True(code == 0, err);
        using var doc = JsonDocument.Parse(json);
        var root = doc.RootElement;
        foreach (var key in new[]
                 {
                     "annual_return", "cum_returns_final", "annual_volatility", "sharpe_ratio", "sortino_ratio", "calmar_ratio", "max_drawdown",
                     "omega_ratio", "tail_ratio", "stability_of_timeseries", "downside_risk", "value_at_risk", "conditional_value_at_risk",
                     "alpha", "beta", "information_ratio", "tracking_error", "win_rate", "profit_factor", "avg_win_loss_ratio", "skew",
                     "kurtosis", "probabilistic_sharpe_ratio", "best_day", "worst_day", "max_drawdown_peak_date", "max_drawdown_trough_date",
                     "max_drawdown_recovery_date", "aligned_observations",
                 })
            Assert.True(root.TryGetProperty(key, out _), key);
        Near.Equal(ReferenceSeries.Golden300["sharpe_ratio"], root.GetProperty("sharpe_ratio").GetDouble(), 1e-12);
        Near.Equal(ReferenceSeries.Golden300["alpha"], root.GetProperty("alpha").GetDouble(), 1e-10);
        Assert.Equal(300, root.GetProperty("aligned_observations").GetInt32());
        Assert.Equal("NaN", root.GetProperty("avg_daily_turnover").GetString()); // NaN as the named literal, not null
    }

    [Fact]
    public void Json_writes_infinity_and_nan_as_named_literals()
    {
        string dir = TestPaths.NewTempDir();
        var dates = TearsheetSamples.BusinessDays(new DateOnly(2021, 1, 4), 30);
        // No negative return: nothing below the required return, positive mean → Sortino = +∞, profit factor = +∞.
        var values = Enumerable.Range(0, 30).Select(i => i % 3 == 0 ? 0.0 : 0.001 * (1 + i % 5)).ToArray();
        string r = WriteSeries(dir, "up.csv", dates, values);
        var (code, json, err) = Run("metrics", "--returns", r, "--json");
        Assert.True(code == 0, err);
        Assert.Contains("\"sortino_ratio\": \"Infinity\"", json);
        Assert.Contains("\"max_drawdown_duration\": \"NaN\"", json); // no drawdown at all
        using var doc = JsonDocument.Parse(json);
        var root = doc.RootElement;
        Assert.Equal(double.PositiveInfinity, Research.Core.IO.ArtifactJson.GetDouble(root.GetProperty("sortino_ratio")));
        Assert.Equal(double.PositiveInfinity, Research.Core.IO.ArtifactJson.GetDouble(root.GetProperty("profit_factor")));
        Assert.True(double.IsNaN(Research.Core.IO.ArtifactJson.GetDouble(root.GetProperty("avg_daily_turnover"))));
        Near.Equal(RatioMetrics.SharpeRatio(values), Research.Core.IO.ArtifactJson.GetDouble(root.GetProperty("sharpe_ratio")), 1e-12);
        // Only the dates and the absent benchmark's count are null; no metric is.
        var nulls = root.EnumerateObject().Where(p => p.Value.ValueKind == JsonValueKind.Null).Select(p => p.Name).ToArray();
        Assert.All(nulls, n => Assert.True(n.EndsWith("_date", StringComparison.Ordinal) || n == "aligned_observations", n));
    }

    [Fact]
    public void Benchmark_is_inner_joined_and_the_count_reported()
    {
        string dir = TestPaths.NewTempDir();
        var dates = TearsheetSamples.BusinessDays(new DateOnly(2021, 1, 4), 300);
        var rv = ReferenceSeries.Strategy(300);
        var bv = ReferenceSeries.Benchmark(300);
        string r = WriteSeries(dir, "returns.csv", dates, rv);
        string b = WriteSeries(dir, "bench.csv", dates, bv, skip: 20);
        var table = Run("metrics", "--returns", r, "--benchmark", b);
        Assert.Equal(0, table.Code);
        Assert.Contains("280 dates in common (inner join)", table.Out);
        Assert.Contains("Sharpe ratio", table.Out);
        using var doc = JsonDocument.Parse(Run("metrics", "--returns", r, "--benchmark", b, "--json").Out);
        Assert.Equal(280, doc.RootElement.GetProperty("aligned_observations").GetInt32());
        Near.Equal(BenchmarkMetrics.Beta(rv[20..], bv[20..]), doc.RootElement.GetProperty("beta").GetDouble(), 1e-12);
        Near.Equal(RatioMetrics.SharpeRatio(rv), doc.RootElement.GetProperty("sharpe_ratio").GetDouble(), 1e-12); // all 300 days
    }

    [Fact]
    public void Bad_csv_names_file_line_and_column_with_exit_2()
    {
        string dir = TestPaths.NewTempDir();
        string bad = Path.Combine(dir, "bad.csv");
        File.WriteAllText(bad, "date,return\n2021-01-04,0.01\n2021-01-05,abc\n");
        var (code, _, err) = Run("metrics", "--returns", bad);
        Assert.Equal(2, code);
        Assert.Contains("bad.csv:3:2: return 'abc' is not a number", err);
        Assert.DoesNotContain("   at ", err);
        File.WriteAllText(bad, "date,return\n2021-01-04,0.01\n04/01/2021,0.02\n");
        Assert.Contains("bad.csv:3:1: '04/01/2021' is not a date", Run("metrics", "--returns", bad).Err);
        File.WriteAllText(bad, "date,return\n2021-01-04,0.01\n2021-01-04,0.02\n");
        Assert.Contains("bad.csv:3:1: date 2021-01-04 appears twice", Run("metrics", "--returns", bad).Err);
        Assert.Equal(2, Run("metrics", "--returns", Path.Combine(dir, "missing.csv")).Code);
    }

    [Fact]
    public void Report_from_csvs_and_from_a_run_folder()
    {
        string dir = TestPaths.NewTempDir();
        var dates = TearsheetSamples.BusinessDays(new DateOnly(2021, 1, 4), 200);
        WriteSeries(dir, "returns.csv", dates, ReferenceSeries.Strategy(200));
        WriteSeries(dir, "benchmark.csv", dates, ReferenceSeries.Benchmark(200));
        File.WriteAllText(Path.Combine(dir, "metadata.json"), "{\"run_id\": \"r-42\", \"seed\": 7}");
        var fromRun = Run("report", "--run", dir);
        Assert.True(fromRun.Code == 0, fromRun.Err);
        string html = File.ReadAllText(Path.Combine(dir, "tearsheet.html"));
        Assert.Contains("r-42", html);
        Assert.Contains("id=\"plot-rolling-beta\"", html);

        string outPath = Path.Combine(dir, "out", "r.html");
        var fromCsv = Run("report", "--returns", Path.Combine(dir, "returns.csv"), "--out", outPath);
        Assert.True(fromCsv.Code == 0, fromCsv.Err);
        Assert.Contains("omitted rolling-beta", fromCsv.Out);
        Assert.True(File.Exists(outPath));

        var byId = Run("report", "--run", "run-123", "--tracking-uri", Path.Combine(dir, "no-store"));
        Assert.Equal(2, byId.Code);
        Assert.Contains("--run 'run-123' is neither a run folder nor a run id", byId.Err);
    }
}
