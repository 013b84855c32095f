using Research.Core.Features.Catalog;

namespace Research.Core.Tests.Features;

/// <summary>
/// Every TA-Lib indicator of the catalog against TA-Lib 0.6's own output (tests/reference/talib/generate.c over the
/// first 500 days of AAPL and KO from the embedded set): the same NaN warm-up and values within 1e-9 relative.
/// </summary>
public class TaLibParityTests
{
    public static TheoryData<string> Files => new() { "AAPL.talib.csv", "KO.talib.csv" };

    [Theory]
    [MemberData(nameof(Files))]
    public void Every_TA_Lib_indicator_matches_TA_Lib(string file)
    {
        var fixture = ReferenceFixture.Load(file);
        var failures = new List<string>();
        int compared = 0;
        foreach (var d in IndicatorCatalog.All.Where(d => d.Reference.StartsWith("TA-Lib", StringComparison.Ordinal)))
        {
            var outputs = d.Compute(fixture.Bars);
            var columns = d.Columns();
            for (int k = 0; k < columns.Count; k++)
            {
                if (!fixture.Columns.ContainsKey(columns[k]))
                {
                    failures.Add($"{columns[k]}: no reference column");
                    continue;
                }

                bool pattern = d.Group == "pattern";
                var problem = fixture.Compare(columns[k], outputs[k], pattern ? 0 : 1e-9, pattern ? 0 : 1e-9);
                if (problem is not null) failures.Add(problem);
                compared++;
            }
        }

        Assert.True(failures.Count == 0, $"{failures.Count} of {compared} outputs differ:\n" + string.Join("\n", failures));
        Assert.True(compared >= 90, $"only {compared} outputs compared");
    }

    [Fact]
    public void Declared_lookbacks_match_the_first_valid_reference_value()
    {
        var fixture = ReferenceFixture.Load("AAPL.talib.csv");
        foreach (var d in IndicatorCatalog.All.Where(d => d.Reference.StartsWith("TA-Lib", StringComparison.Ordinal)))
        {
            var column = fixture.Columns[d.Columns()[0]];
            int first = Array.FindIndex(column, v => !double.IsNaN(v));
            Assert.True(first == d.Lookback(), $"{d.Name}: TA-Lib's first value is at {first}, the catalog says {d.Lookback()}");
        }
    }
}
