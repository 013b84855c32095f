using Research.Core.Features.Indicators;
using static Research.Core.Data.PriceField;

namespace Research.Core.Features.Catalog;

/// <summary>FinRL's default indicator list (<c>INDICATORS</c> in finrl/config.py) under stockstats' names.</summary>
internal static class StockStatsIndicators
{
    /// <summary>FinRL's default list, in its order.</summary>
    public static readonly string[] FinRlDefaults = ["macd", "boll_ub", "boll_lb", "rsi_30", "cci_30", "dx_30", "close_30_sma", "close_60_sma"];

    private static readonly string[] One = [""];

    /// <summary>A single-output lane kernel: outputs[i] for group[i].</summary>
    private delegate void LaneKernel(Ohlcv[] group, double[] parameters, double[][] outputs);

    public static IEnumerable<IndicatorDefinition> Definitions()
    {
        static IndicatorDefinition D(string name, string description, Data.PriceField[] inputs, IndicatorParameter[] parameters, int lookback,
            IndicatorKernel kernel, LaneKernel? lanes = null) =>
            new(name, "finrl", $"stockstats {name}", description, inputs, One, parameters, _ => lookback, kernel,
                lanes is null ? null : (g, p, o) =>
                {
                    lanes(g, p, [o[0][0], o[1][0], o[2][0], o[3][0]]);
                    return true;
                });
        static IndicatorParameter Period(double v) => new("period", v, "number of bars");

        yield return D("macd", "EMA(12) − EMA(26), pandas adjusted EWM from the first bar", [Close],
            [new("fastperiod", 12, "fast span"), new("slowperiod", 26, "slow span")], 0,
            (b, p, o) => StockStats.Macd(b.Close.Span, o[0].Span, (int)p[0], (int)p[1]),
            (g, p, o) => StockStatsLanes.Run(g, o, [Close], (x, y) => StockStatsLanes.Macd(x[0], y, (int)p[0], (int)p[1])));
        yield return D("boll_ub", "SMA(20) + 2 sample standard deviations, min_periods 1", [Close], [Period(20)], 1,
            (b, p, o) => StockStats.BollingerBand(b.Close.Span, o[0].Span, (int)p[0], upper: true));
        yield return D("boll_lb", "SMA(20) − 2 sample standard deviations, min_periods 1", [Close], [Period(20)], 1,
            (b, p, o) => StockStats.BollingerBand(b.Close.Span, o[0].Span, (int)p[0], upper: false));
        yield return D("rsi_30", "RSI with pandas ewm(alpha=1/30) means from the first bar", [Close], [Period(30)], 0,
            (b, p, o) => StockStats.Rsi(b.Close.Span, o[0].Span, (int)p[0]),
            (g, p, o) => StockStatsLanes.Run(g, o, [Close], (x, y) => StockStatsLanes.Rsi(x[0], y, (int)p[0])));
        yield return D("cci_30", "CCI(30), 0 until the first full window", [High, Low, Close], [Period(30)], 0,
            (b, p, o) => StockStats.Cci(b.High.Span, b.Low.Span, b.Close.Span, o[0].Span, (int)p[0]),
            (g, p, o) => StockStatsLanes.Cci(g, o, (int)p[0]));
        yield return D("dx_30", "DX(30) with pandas ewm(alpha=1/30) smoothing", [High, Low, Close], [Period(30)], 0,
            (b, p, o) => StockStats.Dx(b.High.Span, b.Low.Span, b.Close.Span, o[0].Span, (int)p[0]),
            (g, p, o) => StockStatsLanes.Run(g, o, [High, Low, Close], (x, y) => StockStatsLanes.Dx(x[0], x[1], x[2], y, (int)p[0])));
        yield return D("close_30_sma", "Mean close over 30 bars, min_periods 1", [Close], [Period(30)], 0,
            (b, p, o) => StockStats.Sma(b.Close.Span, o[0].Span, (int)p[0]),
            (g, p, o) => StockStatsLanes.Run(g, o, [Close], (x, y) => StockStatsLanes.Sma(x[0], y, (int)p[0])));
        yield return D("close_60_sma", "Mean close over 60 bars, min_periods 1", [Close], [Period(60)], 0,
            (b, p, o) => StockStats.Sma(b.Close.Span, o[0].Span, (int)p[0]),
            (g, p, o) => StockStatsLanes.Run(g, o, [Close], (x, y) => StockStatsLanes.Sma(x[0], y, (int)p[0])));
    }
}
