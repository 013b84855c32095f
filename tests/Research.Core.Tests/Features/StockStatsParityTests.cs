using Research.Core.Features.Catalog;

namespace Research.Core.Tests.Features;

/// <summary>
/// FinRL's default indicators against stockstats' own output (pandas 1.5.3, tests/reference/stockstats/generate.py,
/// first 400 days of AAPL).
/// </summary>
public class StockStatsParityTests
{
    [Theory]
    [InlineData("macd", "macd")]
    [InlineData("boll_ub", "boll_ub")]
    [InlineData("boll_lb", "boll_lb")]
    [InlineData("rsi_30", "rsi_30")]
    [InlineData("cci_30", "cci_30")]
    [InlineData("dx_30", "dx_30")]
    [InlineData("close_30_sma", "close_30_sma")]
    [InlineData("close_60_sma", "close_60_sma")]
    public void FinRL_indicator_matches_stockstats(string indicator, string column)
    {
        var fixture = ReferenceFixture.Load("AAPL.stockstats.csv");
        var output = IndicatorCatalog.Get(indicator).Compute(fixture.Bars)[0];
        var problem = fixture.Compare(column, output, 1e-9, 1e-9);
        Assert.Null(problem);
    }
}
