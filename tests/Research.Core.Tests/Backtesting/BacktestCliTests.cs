using System.Text.Json;

namespace Research.Core.Tests.Backtesting;

public class BacktestCliTests
{
    private static (int Code, string Out, string Err) Run(params string[] args) => CliHarness.Run(args);

    [Fact]
    public void Sma_cross_json_lists_final_value_fills_round_trips_and_metrics()
    {
        string data = Path.Combine(TestPaths.Djia, "AAPL.csv");
        var (code, json, err) = Run("backtest", "--strategy", "sma-cross", "--fast", "10", "--slow", "30", "--data", data, "--cash", "100000",
            "--size", "100", "--commission-pct", "0.001", "--slippage-pct", "0.0005", "--json");
        Assert.True(code == 0, err);
        using var doc = JsonDocument.Parse(json);
        var root = doc.RootElement;
        var fills = root.GetProperty("fills").EnumerateArray().ToArray();
        Assert.True(fills.Length > 10);
        var first = fills[0];
        foreach (var key in new[] { "date", "side", "price", "size", "commission" }) Assert.True(first.TryGetProperty(key, out _), key);
        Assert.Equal("buy", first.GetProperty("side").GetString());
        Assert.Equal(100, first.GetProperty("size").GetDouble());
        // Price = reference × (1 + 5 bps); commission = 0.1% of the traded value.
        double reference = first.GetProperty("reference_price").GetDouble();
        Assert.Equal(reference * 1.0005, first.GetProperty("price").GetDouble(), 9);
        Assert.Equal(0.001 * 100 * reference * 1.0005, first.GetProperty("commission").GetDouble(), 9);
        Assert.Equal(fills.Length / 2, root.GetProperty("round_trips").GetArrayLength());
        Assert.False(root.GetProperty("optimistic_fills").GetBoolean());
        Assert.True(root.GetProperty("metrics").TryGetProperty("sharpe_ratio", out _));
        double final = root.GetProperty("final_value").GetDouble();
        Assert.Equal(final / 100_000 - 1, root.GetProperty("metrics").GetProperty("cum_returns_final").GetDouble(), 9);
    }

    [Fact]
    public void Close_fills_are_flagged_and_bad_options_are_named()
    {
        var (code, text, _) = Run("backtest", "--strategy", "sma-cross", "--data", "AAPL", "--fill", "close");
        Assert.Equal(0, code);
        Assert.Contains("OPTIMISTIC", text);
        Assert.Contains("--slow", Run("backtest", "--strategy", "sma-cross", "--data", "AAPL", "--fast", "30", "--slow", "10").Err);
        Assert.Contains("--commission-pct", Run("backtest", "--strategy", "sma-cross", "--data", "AAPL", "--commission-pct", "-1").Err);
        Assert.Contains("--fill", Run("backtest", "--strategy", "sma-cross", "--data", "AAPL", "--fill", "tomorrow").Err);
        Assert.Contains("ticker of the embedded set", Run("backtest", "--strategy", "sma-cross", "--data", "NOPE").Err);
    }

    [Fact]
    public void Per_share_commission_with_a_minimum_and_the_adjusted_option()
    {
        // 100 shares × $0.005 = $0.50 < the $1 minimum: every fill pays $1.
        var (code, json, err) = Run("backtest", "--strategy", "sma-cross", "--data", "AAPL", "--commission-pct", "0", "--commission-per-share", "0.005",
            "--commission-min", "1", "--json");
        Assert.True(code == 0, err);
        using var doc = JsonDocument.Parse(json);
        var fills = doc.RootElement.GetProperty("fills").EnumerateArray().ToArray();
        Assert.NotEmpty(fills);
        Assert.All(fills, f => Assert.Equal(1, f.GetProperty("commission").GetDouble()));
        Assert.Equal(fills.Length, doc.RootElement.GetProperty("costs").GetProperty("commission").GetDouble());
        Assert.False(doc.RootElement.GetProperty("dividend_adjusted").GetBoolean());
        Assert.Contains("--commission-per-share", Run("backtest", "--strategy", "sma-cross", "--data", "AAPL", "--commission-per-share", "0.005").Err);
        Assert.Contains("--commission-min", Run("backtest", "--strategy", "sma-cross", "--data", "AAPL", "--commission-pct", "0", "--commission-min", "-1").Err);
        Assert.Contains("--adjusted", Run("backtest", "--strategy", "sma-cross", "--data", "AAPL", "--adjusted").Err);
    }
}
