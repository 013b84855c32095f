using System.Globalization;
using Research.Core.Features.Catalog;

namespace Research.Core.Tests.Features;

/// <summary>A reference CSV (Date, OHLCV, then one column per output) produced by the real library; see tests/reference.</summary>
internal sealed class ReferenceFixture
{
    private ReferenceFixture(Ohlcv bars, Dictionary<string, double[]> columns)
    {
        Bars = bars;
        Columns = columns;
    }

    public Ohlcv Bars { get; }

    public Dictionary<string, double[]> Columns { get; }

    public static ReferenceFixture Load(string file)
    {
        var lines = File.ReadAllLines(Path.Combine(TestPaths.RepoRoot, "tests", "Research.Core.Tests", "Features", "Reference", file));
        var header = lines[0].Split(',');
        var data = header.Select(_ => new double[lines.Length - 1]).ToArray();
        for (int r = 1; r < lines.Length; r++)
        {
            var cells = lines[r].Split(',');
            for (int c = 1; c < header.Length; c++)
            {
                data[c][r - 1] = cells[c].Length == 0 ? double.NaN : double.Parse(cells[c], CultureInfo.InvariantCulture);
            }
        }

        var columns = new Dictionary<string, double[]>(StringComparer.Ordinal);
        for (int c = 1; c < header.Length; c++) columns[header[c]] = data[c];
        var bars = Ohlcv.Of(columns["Open"], columns["High"], columns["Low"], columns["Close"], columns["Volume"]);
        return new ReferenceFixture(bars, columns);
    }

    /// <summary>Describes the first difference between <paramref name="actual"/> and the reference column, or null when they agree.</summary>
    public string? Compare(string column, double[] actual, double relative, double absolute)
    {
        var expected = Columns[column];
        for (int i = 0; i < expected.Length; i++)
        {
            double e = expected[i], a = actual[i];
            if (double.IsNaN(e) != double.IsNaN(a)) return $"{column}[{i}]: expected {e.ToString("R", CultureInfo.InvariantCulture)}, got {a.ToString("R", CultureInfo.InvariantCulture)}";
            if (double.IsNaN(e)) continue;
            if (Math.Abs(a - e) > absolute + relative * Math.Abs(e))
            {
                return $"{column}[{i}]: expected {e.ToString("R", CultureInfo.InvariantCulture)}, got {a.ToString("R", CultureInfo.InvariantCulture)}";
            }
        }

        return null;
    }
}
