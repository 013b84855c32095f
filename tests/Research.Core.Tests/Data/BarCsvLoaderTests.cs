using System.Text;
using Research.Core.Data;

namespace Research.Core.Tests.Data;

public class BarCsvLoaderTests
{
    private static IReadOnlyList<BarSeries> Load(string text, string name = "T.csv") =>
        BarCsvLoader.Load(new StringReader(text), name, "T");

    [Fact]
    public void Reads_the_embedded_layout_with_ticker_from_name_column()
    {
        var s = BarCsvLoader.LoadFile(Path.Combine(TestPaths.Djia, "AAPL.csv")).Single();
        Assert.Equal("AAPL", s.Ticker);
        Assert.Equal(3019, s.Count);
        Assert.Equal(new DateOnly(2006, 1, 3), s.Dates[0]);
        Assert.Equal((10.34, 10.68, 10.32, 10.68, 201853036d), (s.Open[0], s.High[0], s.Low[0], s.Close[0], s.Volume[0]));
        Assert.Equal(2, s.Lines[0]);
        Assert.Null(s.AdjClose);
    }

    [Fact]
    public void Reads_yahoo_layout_with_null_rows_as_missing_values_not_dropped()
    {
        const string csv = "Date,Open,High,Low,Close,Adj Close,Volume\n" +
                           "2020-01-02,10,11,9,10.5,10.25,1000\n" +
                           "2020-01-03,null,null,null,null,null,null\n" +
                           "2020-01-06,10.5,12,10,11,10.75,2000\n";
        var s = Load(csv, "^X.csv").Single();
        Assert.Equal(3, s.Count);
        Assert.NotNull(s.AdjClose);
        Assert.Equal(10.25, s.AdjClose![0]);
        Assert.True(double.IsNaN(s.Close[1]) && double.IsNaN(s.Volume[1]) && double.IsNaN(s.AdjClose[1]));
        Assert.Equal(4, s.Lines[2]);
    }

    [Fact]
    public void Loads_the_embedded_index_files()
    {
        var dji = BarCsvLoader.LoadFile(Path.Combine(TestPaths.Indices, "^DJI.csv")).Single();
        Assert.Equal("^DJI", dji.Ticker);
        Assert.Equal(5759, dji.Count);
        Assert.NotNull(dji.AdjClose);
    }

    [Fact]
    public void Accepts_bom_crlf_semicolons_quotes_and_any_column_order()
    {
        var bytes = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(
            "\"volume\";\"Close\";Low;High;Open;DATE\r\n5;\"1.5\";1;2;1.25;2021-03-01\r\n\r\n6;1.75;1.5;2;1.5;2021-03-02\r\n")).ToArray();
        string path = Path.Combine(TestPaths.NewTempDir(), "ABC.csv");
        File.WriteAllBytes(path, bytes);
        var s = BarCsvLoader.LoadFile(path).Single();
        Assert.Equal("ABC", s.Ticker);
        Assert.Equal(new[] { 1.5, 1.75 }, s.Close);
        Assert.Equal(new[] { 1.25, 1.5 }, s.Open);
        Assert.Equal(new[] { 5d, 6d }, s.Volume);
        Assert.Equal(new[] { 2, 4 }, s.Lines);
    }

    [Fact]
    public void Splits_a_long_format_file_by_name()
    {
        const string csv = "Date,Open,High,Low,Close,Volume,Name\n2020-01-02,1,1,1,1,1,AAA\n2020-01-02,2,2,2,2,2,BBB\n2020-01-03,1,1,1,1,1,AAA\n";
        var all = Load(csv);
        Assert.Equal(new[] { "AAA", "BBB" }, all.Select(s => s.Ticker));
        Assert.Equal(2, all[0].Count);
        Assert.Equal(new[] { 2, 4 }, all[0].Lines);
    }

    [Theory]
    [InlineData("", 1, null, "empty")]
    [InlineData("Date,Open,High,Low,Close,Volume\n", 1, null, "no data rows")]
    [InlineData("Date,Open,High,Low,Clsoe,Volume\n", 1, null, "did you mean 'Close'")]
    [InlineData("Date,Open,High,Low,Close\n", 1, null, "no 'Volume' column")]
    [InlineData("Date,Open,High,Low,Close,Volume\n2020-01-02,1,1,1,abc,1\n", 2, 5, "Close value 'abc' is not a number")]
    [InlineData("Date,Open,High,Low,Close,Volume\n2020-02-30,1,1,1,1,1\n", 2, 1, "not a real calendar date")]
    [InlineData("Date,Open,High,Low,Close,Volume\n02/01/2020,1,1,1,1,1\n", 2, 1, "yyyy-MM-dd")]
    [InlineData("Date,Open,High,Low,Close,Volume\n2020-01-02,1,1,1,1\n", 2, 6, "expected 6 fields")]
    [InlineData("Date;Open;High;Low;Close;Volume\n2020-01-02;1,5;1;1;1;1\n", 2, 2, "decimal separator")]
    [InlineData("Date,Open,High,Low,Close,Volume\n2020-01-02,\"1,1,1,1,1\n", 2, 2, "never closed")]
    [InlineData("Date,Open,Open,Low,Close,Volume\n", 1, 3, "appears twice")]
    public void Bad_input_names_file_line_and_column(string csv, int line, int? column, string message)
    {
        var e = Assert.Throws<DataFormatException>(() => Load(csv, "bad.csv"));
        Assert.Equal("bad.csv", e.Source);
        Assert.Equal(line, e.Line);
        Assert.Equal(column, e.Column);
        Assert.Contains(message, e.Message);
        Assert.StartsWith(column is null ? $"bad.csv:{line}: " : $"bad.csv:{line}:{column}: ", e.Message);
    }

    [Fact]
    public void Invalid_utf8_is_a_clear_error()
    {
        string path = Path.Combine(TestPaths.NewTempDir(), "X.csv");
        File.WriteAllBytes(path, [.. "Date,Open,High,Low,Close,Volume\n2020-01-02,1,1,1,1,"u8, 0xFF, 0xFE, (byte)'\n']);
        var e = Assert.Throws<DataFormatException>(() => BarCsvLoader.LoadFile(path));
        Assert.Contains("UTF-8", e.Message);
    }

    [Fact]
    public void Missing_file_and_folder_are_clear_errors()
    {
        Assert.Contains("file not found", Assert.Throws<DataFormatException>(() => BarCsvLoader.LoadFile("/nope/x.csv")).Message);
        Assert.Contains("folder not found", Assert.Throws<DataFormatException>(() => BarCsvLoader.LoadFolder("/nope")).Message);
        Assert.Contains("no .csv files", Assert.Throws<DataFormatException>(() => BarCsvLoader.LoadFolder(TestPaths.NewTempDir())).Message);
    }

    [Fact]
    public void Streams_a_large_file_keeping_every_row()
    {
        // 2 million rows (~90 MB of text) generated on the fly: the loader must keep all of them, and its
        // memory must grow with the columns kept (~60 bytes a row), not with the text.
        const int rows = 2_000_000;
        GC.Collect();
        long before = GC.GetTotalMemory(true);
        var s = BarCsvLoader.Load(new GeneratedCsv(rows), "big.csv", "BIG").Single();
        long after = GC.GetTotalMemory(true);
        Assert.Equal(rows, s.Count);
        Assert.Equal(rows + 1, s.Lines[^1]);
        Assert.Equal(GeneratedCsv.DateOf(rows - 1), s.Dates[^1]);
        Assert.Equal(100 + (rows - 1) % 1000 / 100.0, s.Close[^1]);
        Assert.True(after - before < rows * 120L, $"retained {(after - before) / 1e6:F0} MB for {rows} rows");
        GC.KeepAlive(s);
    }

    /// <summary>A CSV text reader producing rows on demand (never holding the text).</summary>
    private sealed class GeneratedCsv(int rows) : TextReader
    {
        private int _next = -1;

        public static DateOnly DateOf(int i) => new DateOnly(1900, 1, 1).AddDays(i);

        public override string? ReadLine()
        {
            int i = _next++;
            if (i < 0) return "Date,Open,High,Low,Close,Volume";
            if (i >= rows) return null;
            double c = 100 + i % 1000 / 100.0;
            return FormattableString.Invariant($"{DateOf(i):yyyy-MM-dd},{c},{c + 1},{c - 1},{c},{i}");
        }
    }
}
