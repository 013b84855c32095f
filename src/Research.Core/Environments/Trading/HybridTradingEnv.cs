using Research.Core.Data;
using Research.Core.Features;
using Research.Core.Models;

namespace Research.Core.Environments.Trading;

/// <summary>
/// The hybrid environment: FinRL's stock trading state plus the forecaster's expected return, probability up and
/// confidence per ticker (three blocks after the indicators), each from the window of bars ending at that day (known at
/// its close). Everything else is <see cref="StockTradingEnv"/>'s.
/// </summary>
public sealed class HybridTradingEnv : StockTradingEnv
{
    /// <summary>The hybrid environment over days [<paramref name="start"/>, <paramref name="end"/>) of a panel.</summary>
    public HybridTradingEnv(MarketPanel panel, int start, int end, TradingEnvConfig config, ForecastSignals forecasts,
        FeatureSet? features = null, IReadOnlyList<string>? indicators = null, double[]? turbulence = null)
        : base(TradingData.FromPanel(panel, start, end, features, indicators, turbulence, forecasts), config)
    {
    }

    /// <summary>The hybrid environment over prepared data (which must carry the forecast blocks).</summary>
    public HybridTradingEnv(TradingData data, TradingEnvConfig config)
        : base(data.ExtraNames.Length == 3 ? data : throw new ArgumentException("The data carries no forecast blocks; build it with TradingData.FromPanel(..., forecasts).", nameof(data)), config)
    {
    }

    /// <inheritdoc />
    public override string Id => "HybridStockTrading";

    /// <summary>Index in the state of the first expected-return value.</summary>
    public int ExpectedReturnOffset => 1 + Data.TickerCount * (2 + Data.IndicatorNames.Length);
}
