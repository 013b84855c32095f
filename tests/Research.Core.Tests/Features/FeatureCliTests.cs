using System.Globalization;
using System.Text.Json;
using Research.Core.Features.Catalog;

namespace Research.Core.Tests.Features;

public class FeatureCliTests
{
    private static (int Code, string Out, string Err) Run(params string[] args) => CliHarness.Run(args);

    [Fact]
    public void List_json_describes_every_indicator()
    {
        var (code, json, err) = Run("features", "list", "--json");
        Assert.True(code == 0, err);
        using var doc = JsonDocument.Parse(json);
        var rows = doc.RootElement.EnumerateArray().ToArray();
        Assert.Equal(IndicatorCatalog.All.Count, rows.Length);
        Assert.True(rows.Sum(r => r.GetProperty("outputs").GetArrayLength()) >= 80);
        var macd = rows.Single(r => r.GetProperty("name").GetString() == "MACD");
        Assert.Equal(33, macd.GetProperty("lookback").GetInt32());
        Assert.Equal("TA-Lib 0.6 TA_MACD", macd.GetProperty("reference").GetString());
        Assert.Equal(["MACD_macd", "MACD_signal", "MACD_hist"], macd.GetProperty("outputs").EnumerateArray().Select(o => o.GetString()!).ToArray());
        Assert.Equal(12, macd.GetProperty("parameters")[0].GetProperty("default").GetDouble());
        Assert.Contains(rows, r => r.GetProperty("reference").GetString() == "stockstats rsi_30");
        var (textCode, text, _) = Run("features", "list");
        Assert.Equal(0, textCode);
        Assert.Contains("BBANDS", text);
    }

    [Fact]
    public void Compute_writes_date_and_one_column_per_output_at_round_trip_precision()
    {
        string dir = TestPaths.NewTempDir();
        string output = Path.Combine(dir, "features.csv");
        string data = Path.Combine(TestPaths.RepoRoot, "tests", "Research.Core.Tests", "Features", "Reference", "AAPL.talib.csv");
        var (code, stdout, err) = Run("features", "compute", "--data", data, "--indicators", "MACD,BBANDS,SMA(period=50),rsi_30", "--out", output);
        Assert.True(code == 0, err);
        Assert.Contains("4 indicators, 8 columns", stdout);
        var lines = File.ReadAllLines(output);
        Assert.Equal("Date,MACD_macd,MACD_signal,MACD_hist,BBANDS_upper,BBANDS_middle,BBANDS_lower,SMA_50,rsi_30", lines[0]);
        Assert.Equal(501, lines.Length);
        var fixture = ReferenceFixture.Load("AAPL.talib.csv");
        var row = lines[100].Split(',');
        Assert.Equal(fixture.Columns["MACD_macd"][99], double.Parse(row[1], CultureInfo.InvariantCulture), 12);
        Assert.Equal("", lines[1].Split(',')[1]); // NaN warm-up as an empty cell
        Assert.Equal(double.Parse(row[7], CultureInfo.InvariantCulture).ToString("R", CultureInfo.InvariantCulture), row[7]);
    }

    [Theory]
    [InlineData("RSI(period=0)", "RSI: period must be at least 2; got 0")]
    [InlineData("RSI(period=5000)", "longer than the series")]
    [InlineData("NOPE", "Unknown indicator 'NOPE'")]
    [InlineData("RSI(length=3)", "no parameter 'length'")]
    public void Bad_indicator_selections_exit_2_with_the_reason(string indicators, string message)
    {
        string dir = TestPaths.NewTempDir();
        string data = Path.Combine(TestPaths.RepoRoot, "tests", "Research.Core.Tests", "Features", "Reference", "KO.talib.csv");
        string output = Path.Combine(dir, "out.csv");
        var (code, _, err) = Run("features", "compute", "--data", data, "--indicators", indicators, "--out", output);
        Assert.Equal(2, code);
        Assert.Contains(message, err);
        Assert.False(File.Exists(output));
    }

    [Fact]
    public void Yahoo_null_rows_propagate_by_default_or_are_dropped_or_forward_filled_on_request()
    {
        string dir = TestPaths.NewTempDir();
        string data = Path.Combine(dir, "yahoo.csv");
        var lines = new List<string> { "Date,Open,High,Low,Close,Adj Close,Volume" };
        for (int i = 0; i < 12; i++)
        {
            string d = new DateOnly(2020, 1, 6).AddDays(i).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            lines.Add(i == 6 ? $"{d},null,null,null,null,null,null" : $"{d},{10 + i},{11 + i},{9 + i},{10 + i},{10 + i},1000");
        }

        File.WriteAllLines(data, lines);
        double[] Column(string nan)
        {
            string output = Path.Combine(dir, $"{nan}.csv");
            var (code, _, err) = Run("features", "compute", "--data", data, "--indicators", "SMA(period=3)", "--out", output, "--nan", nan);
            Assert.True(code == 0, err);
            return File.ReadLines(output).Skip(1).Select(l => l.Split(',')[1]).Select(v => v.Length == 0 ? double.NaN : double.Parse(v, CultureInfo.InvariantCulture)).ToArray();
        }

        var propagate = Column("propagate");
        Assert.Equal(14, propagate[5]);
        Assert.True(propagate.Skip(6).All(double.IsNaN)); // TA-Lib's running sum never recovers from a NaN
        var dropped = Column("drop");
        Assert.True(double.IsNaN(dropped[6]));
        Assert.Equal((14 + 15 + 17) / 3.0, dropped[7], 12); // the window skips the missing day
        var filled = Column("ffill");
        Assert.Equal((15 + 15 + 17) / 3.0, filled[7], 12); // day 6 carries day 5's bar
        Assert.Contains("--nan", Run("features", "compute", "--data", data, "--out", Path.Combine(dir, "x.csv"), "--nan", "zero").Err);
    }

    [Fact]
    public void Unsorted_input_names_the_file_and_line()
    {
        string dir = TestPaths.NewTempDir();
        string data = Path.Combine(dir, "bars.csv");
        File.WriteAllLines(data, ["Date,Open,High,Low,Close,Volume", "2020-01-03,1,2,0.5,1.5,100", "2020-01-02,1,2,0.5,1.5,100"]);
        var (code, _, err) = Run("features", "compute", "--data", data, "--indicators", "SMA(period=2)", "--out", Path.Combine(dir, "o.csv"));
        Assert.Equal(2, code);
        Assert.Contains("line 3", err);
    }
}
