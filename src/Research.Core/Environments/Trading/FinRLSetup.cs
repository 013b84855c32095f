using Research.Core.Configuration;
using Research.Core.Data;
using Research.Core.Features;

namespace Research.Core.Environments.Trading;

/// <summary>FinRL's usual setting on a panel: its eight default indicators as the state's blocks and its turbulence index as the risk column.</summary>
public static class FinRLSetup
{
    /// <summary>
    /// FinRL's data over days [<paramref name="start"/>, <paramref name="end"/>) of <paramref name="panel"/>: the eight
    /// indicators (stockstats definitions) and turbulence, computed over the whole panel so each day sees its own past.
    /// </summary>
    public static TradingData Data(MarketPanel panel, int start, int end)
    {
        var features = FeaturePipeline.Compute(panel, new FeaturesConfig { Indicators = ["finrl"], Turbulence = true, Vix = null, LogReturns = false, Volatility = [], ZScore = [] });
        var turbulence = features.Series("turbulence", 0).ToArray();
        return TradingData.FromPanel(panel, start, end, features, TradingData.FinRLDefaults, turbulence);
    }
}
