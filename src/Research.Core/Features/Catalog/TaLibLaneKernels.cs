using Research.Core.Features.Indicators;
using static Research.Core.Data.PriceField;

namespace Research.Core.Features.Catalog;

/// <summary>
/// The lane kernels (four tickers per vector) of TA-Lib's recursive indicators, as the catalog registers them. Each
/// declines parameters outside the per-ticker kernel's range (that path then reports them) and series too short for
/// a value.
/// </summary>
internal static class TaLibLaneKernels
{
    private static int I(double v) => (int)v;

    /// <summary>RSI(period).</summary>
    public static bool Rsi(Ohlcv[] g, double[] p, double[][][] o)
    {
        int period = I(p[0]);
        return period >= 2 && TaLibLanes.Run(g, o, [Close], Momentum.RsiLookback(period), (x, y) => TaLibLanes.Rsi(x[0], y[0], period));
    }

    /// <summary>ATR(period).</summary>
    public static bool Atr(Ohlcv[] g, double[] p, double[][][] o)
    {
        int period = I(p[0]);
        return period >= 1 && TaLibLanes.Run(g, o, [High, Low, Close], Volatility.AtrLookback(period), (x, y) => TaLibLanes.Atr(x[0], x[1], x[2], y[0], period));
    }

    /// <summary>MFI(period).</summary>
    public static bool Mfi(Ohlcv[] g, double[] p, double[][][] o)
    {
        int period = I(p[0]);
        return period >= 2 && TaLibLanes.Run(g, o, [High, Low, Close, Volume], Momentum.MfiLookback(period),
            (x, y) => TaLibLanes.Mfi(x[0], x[1], x[2], x[3], y[0], period));
    }

    /// <summary>ULTOSC(timeperiod1, timeperiod2, timeperiod3).</summary>
    public static bool UltOsc(Ohlcv[] g, double[] p, double[][][] o)
    {
        int[] periods = [I(p[0]), I(p[1]), I(p[2])];
        Array.Sort(periods);
        return periods[0] >= 1 && TaLibLanes.Run(g, o, [High, Low, Close], Momentum.UltOscLookback(periods[0], periods[1], periods[2]),
            (x, y) => TaLibLanes.UltOsc(x[0], x[1], x[2], y[0], periods[0], periods[1], periods[2]));
    }

    /// <summary>DX(period).</summary>
    public static bool Dx(Ohlcv[] g, double[] p, double[][][] o)
    {
        int period = I(p[0]);
        return period >= 2 && TaLibLanes.Run(g, o, [High, Low, Close], Directional.DiLookback(period),
            (x, y) => DirectionalLanes.DxAdx(x[0], x[1], x[2], y[0], [], period));
    }

    /// <summary>ADX(period).</summary>
    public static bool Adx(Ohlcv[] g, double[] p, double[][][] o)
    {
        int period = I(p[0]);
        return period >= 2 && TaLibLanes.Run(g, o, [High, Low, Close], Directional.AdxLookback(period),
            (x, y) => DirectionalLanes.DxAdx(x[0], x[1], x[2], [], y[0], period));
    }

    /// <summary>EMA(period).</summary>
    public static bool Ema(Ohlcv[] g, double[] p, double[][][] o)
    {
        int period = I(p[0]);
        return period >= 2 && TaLibLanes.Run(g, o, [Close], MovingAverages.EmaLookback(period), (x, y) => EmaLanes.Ema(x[0], y[0], period));
    }

    /// <summary>MACD(fastperiod, slowperiod, signalperiod).</summary>
    public static bool Macd(Ohlcv[] g, double[] p, double[][][] o)
    {
        int fast = I(p[0]), slow = I(p[1]), signal = I(p[2]);
        if (fast < 2 || slow < 2 || signal < 1) return false;
        if (slow < fast) (fast, slow) = (slow, fast);
        return TaLibLanes.Run(g, o, [Close], Momentum.MacdLookback(fast, slow, signal), (x, y) => EmaLanes.Macd(x[0], y[0], y[1], y[2], fast, slow, signal));
    }

    /// <summary>TRIX(period).</summary>
    public static bool Trix(Ohlcv[] g, double[] p, double[][][] o)
    {
        int period = I(p[0]);
        return period >= 1 && TaLibLanes.Run(g, o, [Close], Momentum.TrixLookback(period), (x, y) => EmaLanes.Trix(x[0], y[0], period));
    }

    /// <summary>T3(period, vfactor).</summary>
    public static bool T3(Ohlcv[] g, double[] p, double[][][] o)
    {
        int period = I(p[0]);
        double vFactor = p[1];
        return period >= 2 && vFactor is >= 0 and <= 1
            && TaLibLanes.Run(g, o, [Close], MovingAverages.T3Lookback(period), (x, y) => EmaLanes.T3(x[0], y[0], period, vFactor));
    }

    /// <summary>KAMA(period).</summary>
    public static bool Kama(Ohlcv[] g, double[] p, double[][][] o)
    {
        int period = I(p[0]);
        return period >= 2 && TaLibLanes.Run(g, o, [Close], MovingAverages.KamaLookback(period), (x, y) => EmaLanes.Kama(x[0], y[0], period));
    }

    /// <summary>WILLR(period), for groups whose highs and lows hold no NaN and no zero.</summary>
    public static bool Willr(Ohlcv[] g, double[] p, double[][][] o)
    {
        int period = I(p[0]);
        return period >= 2 && CleanRanges(g) && TaLibLanes.Run(g, o, [High, Low, Close], Momentum.WillrLookback(period),
            (x, y) => RangeLanes.Willr(x[0], x[1], x[2], y[0], period));
    }

    /// <summary>STOCH with SMA smoothing (matypes 0), for groups whose highs and lows hold no NaN and no zero.</summary>
    public static bool Stoch(Ohlcv[] g, double[] p, double[][][] o)
    {
        int fastK = I(p[0]), slowK = I(p[1]), slowD = I(p[3]);
        if (fastK < 1 || slowK < 1 || slowD < 1 || (MaType)I(p[2]) != MaType.Sma || (MaType)I(p[4]) != MaType.Sma || !CleanRanges(g)) return false;
        return TaLibLanes.Run(g, o, [High, Low, Close], Stochastics.StochLookback(fastK, slowK, MaType.Sma, slowD, MaType.Sma),
            (x, y) => RangeLanes.Stoch(x[0], x[1], x[2], y[0], y[1], fastK, slowK, slowD));
    }

    /// <summary>AROON(period), for groups whose highs and lows hold no NaN and no zero.</summary>
    public static bool Aroon(Ohlcv[] g, double[] p, double[][][] o)
    {
        int period = I(p[0]);
        return period >= 2 && CleanRanges(g) && TaLibLanes.Run(g, o, [High, Low], Directional.AroonLookback(period),
            (x, y) => RangeLanes.Aroon(x[0], x[1], y[0], y[1], period));
    }

    /// <summary>SAR(acceleration, maximum).</summary>
    public static bool Sar(Ohlcv[] g, double[] p, double[][][] o)
    {
        double acceleration = p[0], maximum = p[1];
        return acceleration >= 0 && maximum >= 0 && TaLibLanes.Run(g, o, [High, Low], OverlapStudies.SarLookback(),
            (x, y) => SarLanes.Sar(x[0], x[1], y[0], acceleration, maximum));
    }

    /// <summary>Whether the group's highs and lows are all numbers other than zero (see <see cref="RangeLanes"/>).</summary>
    private static bool CleanRanges(Ohlcv[] g)
    {
        foreach (var b in g)
        {
            if (!RangeLanes.Clean(b.High.Span) || !RangeLanes.Clean(b.Low.Span)) return false;
        }

        return true;
    }
}
