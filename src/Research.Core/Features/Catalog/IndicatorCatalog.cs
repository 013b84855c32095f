using Research.Core.Data;
using Research.Core.Features.Indicators;
using static Research.Core.Data.PriceField;

namespace Research.Core.Features.Catalog;

/// <summary>
/// Every indicator the workbench computes, by name: TA-Lib's (same names, defaults, lookbacks) and FinRL's default
/// set under stockstats' names. <c>research features list</c> prints this table.
/// </summary>
public static class IndicatorCatalog
{
    private static readonly Lazy<IReadOnlyList<IndicatorDefinition>> AllLazy = new(Build);

    /// <summary>All indicators, TA-Lib's first (in TA-Lib's group order), then FinRL's.</summary>
    public static IReadOnlyList<IndicatorDefinition> All => AllLazy.Value;

    /// <summary>The indicator named <paramref name="name"/> (case-insensitive for TA-Lib names); throws listing close matches.</summary>
    public static IndicatorDefinition Get(string name)
    {
        var exact = All.FirstOrDefault(d => d.Name == name) ?? All.FirstOrDefault(d => string.Equals(d.Name, name, StringComparison.OrdinalIgnoreCase));
        if (exact is not null) return exact;
        var near = All.Where(d => d.Name.Contains(name, StringComparison.OrdinalIgnoreCase) || name.Contains(d.Name, StringComparison.OrdinalIgnoreCase))
            .Select(d => d.Name).Take(5).ToArray();
        throw new ArgumentException($"Unknown indicator '{name}'{(near.Length > 0 ? $" (did you mean {string.Join(", ", near)}?)" : "")}; `research features list` shows all {All.Count}.", nameof(name));
    }

    /// <summary>The number of output columns over all indicators.</summary>
    public static int OutputCount => All.Sum(d => d.Outputs.Count);

    private static IndicatorParameter P(string name, double value, string description) => new(name, value, description);

    private static IndicatorParameter Period(double value) => P("period", value, "number of bars");

    private static int I(double v) => (int)v;

    private static IndicatorDefinition Ta(string name, string group, string description, PriceField[] inputs, string[] outputs,
        IndicatorParameter[] parameters, Func<double[], int> lookback, IndicatorKernel kernel, IndicatorLaneKernel? lanes = null) =>
        new(name, group, $"TA-Lib 0.6 TA_{name}", description, inputs, outputs, parameters, lookback, kernel, lanes);

    private static readonly string[] One = [""];

    private static IReadOnlyList<IndicatorDefinition> Build()
    {
        var list = new List<IndicatorDefinition>();

        // Overlap studies.
        void Ma(string name, string description, double period, Func<int, int> lookback, Action<ReadOnlyMemory<double>, Memory<double>, int> f,
            IndicatorLaneKernel? lanes = null) =>
            list.Add(Ta(name, "overlap", description, [Close], One, [Period(period)], p => lookback(I(p[0])), (b, p, o) => f(b.Close, o[0], I(p[0])), lanes));
        Ma("SMA", "Simple moving average", 30, p => MovingAverages.SmaLookback(p), (x, o, p) => MovingAverages.Sma(x.Span, o.Span, p));
        Ma("EMA", "Exponential moving average, SMA-seeded", 30, p => MovingAverages.EmaLookback(p), (x, o, p) => MovingAverages.Ema(x.Span, o.Span, p),
            TaLibLaneKernels.Ema);
        Ma("WMA", "Linearly weighted moving average", 30, p => MovingAverages.WmaLookback(p), (x, o, p) => MovingAverages.Wma(x.Span, o.Span, p));
        Ma("DEMA", "Double exponential moving average", 30, p => MovingAverages.DemaLookback(p), (x, o, p) => MovingAverages.Dema(x.Span, o.Span, p));
        Ma("TEMA", "Triple exponential moving average", 30, p => MovingAverages.TemaLookback(p), (x, o, p) => MovingAverages.Tema(x.Span, o.Span, p));
        Ma("TRIMA", "Triangular moving average", 30, p => MovingAverages.TrimaLookback(p), (x, o, p) => MovingAverages.Trima(x.Span, o.Span, p));
        Ma("KAMA", "Kaufman adaptive moving average", 30, p => MovingAverages.KamaLookback(p), (x, o, p) => MovingAverages.Kama(x.Span, o.Span, p),
            TaLibLaneKernels.Kama);
        list.Add(Ta("T3", "overlap", "Tillson T3 moving average", [Close], One, [Period(5), P("vfactor", 0.7, "volume factor in [0, 1]")],
            p => MovingAverages.T3Lookback(I(p[0])), (b, p, o) => MovingAverages.T3(b.Close.Span, o[0].Span, I(p[0]), p[1]), TaLibLaneKernels.T3));
        list.Add(Ta("MAMA", "overlap", "MESA adaptive moving average and its following average", [Close], ["mama", "fama"],
            [P("fastlimit", 0.5, "upper alpha"), P("slowlimit", 0.05, "lower alpha")],
            _ => CycleIndicators.ShortLookback, (b, p, o) => CycleIndicators.Mama(b.Close.Span, o[0].Span, o[1].Span, p[0], p[1])));
        list.Add(Ta("BBANDS", "overlap", "Bollinger bands: MA ± k population standard deviations", [Close], ["upper", "middle", "lower"],
            [Period(5), P("nbdevup", 2, "deviations above"), P("nbdevdn", 2, "deviations below"), P("matype", 0, "moving average type (0 SMA, 1 EMA, …, TA_MAType)")],
            p => OverlapStudies.BbandsLookback(I(p[0]), (MaType)I(p[3])),
            (b, p, o) => OverlapStudies.Bbands(b.Close.Span, o[0].Span, o[1].Span, o[2].Span, I(p[0]), p[1], p[2], (MaType)I(p[3]))));
        list.Add(Ta("SAR", "overlap", "Parabolic stop and reverse", [High, Low], One,
            [P("acceleration", 0.02, "acceleration step"), P("maximum", 0.2, "acceleration cap")],
            _ => OverlapStudies.SarLookback(), (b, p, o) => OverlapStudies.Sar(b.High.Span, b.Low.Span, o[0].Span, p[0], p[1]), TaLibLaneKernels.Sar));
        list.Add(Ta("MIDPOINT", "overlap", "(highest + lowest close) / 2", [Close], One, [Period(14)],
            p => OverlapStudies.MidLookback(I(p[0])), (b, p, o) => OverlapStudies.Midpoint(b.Close.Span, o[0].Span, I(p[0]))));
        list.Add(Ta("MIDPRICE", "overlap", "(highest high + lowest low) / 2", [High, Low], One, [Period(14)],
            p => OverlapStudies.MidLookback(I(p[0])), (b, p, o) => OverlapStudies.Midprice(b.High.Span, b.Low.Span, o[0].Span, I(p[0]))));
        list.Add(Ta("HT_TRENDLINE", "overlap", "Hilbert transform instantaneous trendline", [Close], One, [],
            _ => CycleIndicators.LongLookback, (b, _, o) => CycleIndicators.HtTrendline(b.Close.Span, o[0].Span)));

        // Momentum.
        list.Add(Ta("MACD", "momentum", "EMA(fast) − EMA(slow), its EMA signal and histogram", [Close], ["macd", "signal", "hist"],
            [P("fastperiod", 12, "fast EMA"), P("slowperiod", 26, "slow EMA"), P("signalperiod", 9, "signal EMA")],
            p => Momentum.MacdLookback(I(p[0]), I(p[1]), I(p[2])),
            (b, p, o) => Momentum.Macd(b.Close.Span, o[0].Span, o[1].Span, o[2].Span, I(p[0]), I(p[1]), I(p[2])), TaLibLaneKernels.Macd));
        list.Add(Ta("RSI", "momentum", "Relative strength index, Wilder smoothing", [Close], One, [Period(14)],
            p => Momentum.RsiLookback(I(p[0])), (b, p, o) => Momentum.Rsi(b.Close.Span, o[0].Span, I(p[0])), TaLibLaneKernels.Rsi));
        list.Add(Ta("STOCH", "momentum", "Slow stochastic %K and %D", [High, Low, Close], ["slowk", "slowd"],
            [P("fastk_period", 5, "%K window"), P("slowk_period", 3, "%K smoothing"), P("slowk_matype", 0, "MA type"), P("slowd_period", 3, "%D smoothing"), P("slowd_matype", 0, "MA type")],
            p => Stochastics.StochLookback(I(p[0]), I(p[1]), (MaType)I(p[2]), I(p[3]), (MaType)I(p[4])),
            (b, p, o) => Stochastics.Stoch(b.High.Span, b.Low.Span, b.Close.Span, o[0].Span, o[1].Span, I(p[0]), I(p[1]), (MaType)I(p[2]), I(p[3]), (MaType)I(p[4])),
            TaLibLaneKernels.Stoch));
        list.Add(Ta("STOCHF", "momentum", "Fast stochastic %K and %D", [High, Low, Close], ["fastk", "fastd"],
            [P("fastk_period", 5, "%K window"), P("fastd_period", 3, "%D smoothing"), P("fastd_matype", 0, "MA type")],
            p => Stochastics.StochFLookback(I(p[0]), I(p[1]), (MaType)I(p[2])),
            (b, p, o) => Stochastics.StochF(b.High.Span, b.Low.Span, b.Close.Span, o[0].Span, o[1].Span, I(p[0]), I(p[1]), (MaType)I(p[2]))));
        list.Add(Ta("STOCHRSI", "momentum", "Fast stochastic of RSI", [Close], ["fastk", "fastd"],
            [Period(14), P("fastk_period", 5, "%K window"), P("fastd_period", 3, "%D smoothing"), P("fastd_matype", 0, "MA type")],
            p => Stochastics.StochRsiLookback(I(p[0]), I(p[1]), I(p[2]), (MaType)I(p[3])),
            (b, p, o) => Stochastics.StochRsi(b.Close.Span, o[0].Span, o[1].Span, I(p[0]), I(p[1]), I(p[2]), (MaType)I(p[3]))));
        list.Add(Ta("CCI", "momentum", "Commodity channel index", [High, Low, Close], One, [Period(14)],
            p => Momentum.CciLookback(I(p[0])), (b, p, o) => Momentum.Cci(b.High.Span, b.Low.Span, b.Close.Span, o[0].Span, I(p[0]))));
        void Dmi(string name, string description, Func<int, int> lookback, Action<Ohlcv, Memory<double>, int> f, bool needsClose = true,
            IndicatorLaneKernel? lanes = null) =>
            list.Add(Ta(name, "momentum", description, needsClose ? [High, Low, Close] : [High, Low], One, [Period(14)],
                p => lookback(I(p[0])), (b, p, o) => f(b, o[0], I(p[0])), lanes));
        Dmi("ADX", "Average directional index", Directional.AdxLookback, (b, o, p) => Directional.Adx(b.High.Span, b.Low.Span, b.Close.Span, o.Span, p),
            lanes: TaLibLaneKernels.Adx);
        Dmi("ADXR", "Average directional movement rating", Directional.AdxrLookback, (b, o, p) => Directional.Adxr(b.High.Span, b.Low.Span, b.Close.Span, o.Span, p));
        Dmi("DX", "Directional movement index", Directional.DiLookback, (b, o, p) => Directional.Dx(b.High.Span, b.Low.Span, b.Close.Span, o.Span, p),
            lanes: TaLibLaneKernels.Dx);
        Dmi("PLUS_DI", "Plus directional indicator", Directional.DiLookback, (b, o, p) => Directional.PlusDi(b.High.Span, b.Low.Span, b.Close.Span, o.Span, p));
        Dmi("MINUS_DI", "Minus directional indicator", Directional.DiLookback, (b, o, p) => Directional.MinusDi(b.High.Span, b.Low.Span, b.Close.Span, o.Span, p));
        Dmi("PLUS_DM", "Plus directional movement (Wilder sum)", Directional.DmLookback, (b, o, p) => Directional.PlusDm(b.High.Span, b.Low.Span, o.Span, p), needsClose: false);
        Dmi("MINUS_DM", "Minus directional movement (Wilder sum)", Directional.DmLookback, (b, o, p) => Directional.MinusDm(b.High.Span, b.Low.Span, o.Span, p), needsClose: false);
        list.Add(Ta("AROON", "momentum", "Aroon down and up", [High, Low], ["down", "up"], [Period(14)],
            p => Directional.AroonLookback(I(p[0])), (b, p, o) => Directional.Aroon(b.High.Span, b.Low.Span, o[0].Span, o[1].Span, I(p[0])),
            TaLibLaneKernels.Aroon));
        list.Add(Ta("AROONOSC", "momentum", "Aroon oscillator", [High, Low], One, [Period(14)],
            p => Directional.AroonLookback(I(p[0])), (b, p, o) => Directional.AroonOsc(b.High.Span, b.Low.Span, o[0].Span, I(p[0]))));
        list.Add(Ta("MFI", "momentum", "Money flow index", [High, Low, Close, Volume], One, [Period(14)],
            p => Momentum.MfiLookback(I(p[0])), (b, p, o) => Momentum.Mfi(b.High.Span, b.Low.Span, b.Close.Span, b.Volume.Span, o[0].Span, I(p[0])),
            TaLibLaneKernels.Mfi));
        list.Add(Ta("WILLR", "momentum", "Williams' %R", [High, Low, Close], One, [Period(14)],
            p => Momentum.WillrLookback(I(p[0])), (b, p, o) => Momentum.Willr(b.High.Span, b.Low.Span, b.Close.Span, o[0].Span, I(p[0])),
            TaLibLaneKernels.Willr));
        void Change(string name, string description, Action<ReadOnlyMemory<double>, Memory<double>, int> f) =>
            list.Add(Ta(name, "momentum", description, [Close], One, [Period(10)], p => Momentum.MomLookback(I(p[0])), (b, p, o) => f(b.Close, o[0], I(p[0]))));
        Change("ROC", "Rate of change ×100", (x, o, p) => Momentum.Roc(x.Span, o.Span, p));
        Change("ROCP", "Rate of change as a fraction", (x, o, p) => Momentum.Rocp(x.Span, o.Span, p));
        Change("ROCR", "Rate of change ratio", (x, o, p) => Momentum.Rocr(x.Span, o.Span, p));
        Change("ROCR100", "Rate of change ratio ×100", (x, o, p) => Momentum.Rocr100(x.Span, o.Span, p));
        Change("MOM", "Momentum: x[t] − x[t − period]", (x, o, p) => Momentum.Mom(x.Span, o.Span, p));
        list.Add(Ta("CMO", "momentum", "Chande momentum oscillator", [Close], One, [Period(14)],
            p => Momentum.RsiLookback(I(p[0])), (b, p, o) => Momentum.Cmo(b.Close.Span, o[0].Span, I(p[0]))));
        IndicatorParameter[] po = [P("fastperiod", 12, "fast MA"), P("slowperiod", 26, "slow MA"), P("matype", 0, "MA type")];
        list.Add(Ta("PPO", "momentum", "Percentage price oscillator", [Close], One, po,
            p => Momentum.PpoLookback(I(p[0]), I(p[1]), (MaType)I(p[2])), (b, p, o) => Momentum.Ppo(b.Close.Span, o[0].Span, I(p[0]), I(p[1]), (MaType)I(p[2]))));
        list.Add(Ta("APO", "momentum", "Absolute price oscillator", [Close], One, po,
            p => Momentum.PpoLookback(I(p[0]), I(p[1]), (MaType)I(p[2])), (b, p, o) => Momentum.Apo(b.Close.Span, o[0].Span, I(p[0]), I(p[1]), (MaType)I(p[2]))));
        list.Add(Ta("TRIX", "momentum", "1-day rate of change of a triple EMA", [Close], One, [Period(30)],
            p => Momentum.TrixLookback(I(p[0])), (b, p, o) => Momentum.Trix(b.Close.Span, o[0].Span, I(p[0])), TaLibLaneKernels.Trix));
        list.Add(Ta("ULTOSC", "momentum", "Ultimate oscillator", [High, Low, Close], One,
            [P("timeperiod1", 7, "short"), P("timeperiod2", 14, "medium"), P("timeperiod3", 28, "long")],
            p => Momentum.UltOscLookback(I(p[0]), I(p[1]), I(p[2])), (b, p, o) => Momentum.UltOsc(b.High.Span, b.Low.Span, b.Close.Span, o[0].Span, I(p[0]), I(p[1]), I(p[2])),
            TaLibLaneKernels.UltOsc));
        list.Add(Ta("BOP", "momentum", "Balance of power", [Open, High, Low, Close], One, [],
            _ => 0, (b, _, o) => Momentum.Bop(b.Open.Span, b.High.Span, b.Low.Span, b.Close.Span, o[0].Span)));

        // Volatility.
        list.Add(Ta("ATR", "volatility", "Average true range, Wilder smoothing", [High, Low, Close], One, [Period(14)],
            p => Volatility.AtrLookback(I(p[0])), (b, p, o) => Volatility.Atr(b.High.Span, b.Low.Span, b.Close.Span, o[0].Span, I(p[0])),
            TaLibLaneKernels.Atr));
        list.Add(Ta("NATR", "volatility", "ATR as a percentage of the close", [High, Low, Close], One, [Period(14)],
            p => Volatility.AtrLookback(I(p[0])), (b, p, o) => Volatility.Natr(b.High.Span, b.Low.Span, b.Close.Span, o[0].Span, I(p[0]))));
        list.Add(Ta("TRANGE", "volatility", "True range", [High, Low, Close], One, [],
            _ => Volatility.TRangeLookback(), (b, _, o) => Volatility.TRange(b.High.Span, b.Low.Span, b.Close.Span, o[0].Span)));

        // Volume.
        list.Add(Ta("OBV", "volume", "On-balance volume", [Close, Volume], One, [],
            _ => 0, (b, _, o) => VolumeIndicators.Obv(b.Close.Span, b.Volume.Span, o[0].Span)));
        list.Add(Ta("AD", "volume", "Chaikin accumulation/distribution line", [High, Low, Close, Volume], One, [],
            _ => 0, (b, _, o) => VolumeIndicators.Ad(b.High.Span, b.Low.Span, b.Close.Span, b.Volume.Span, o[0].Span)));
        list.Add(Ta("ADOSC", "volume", "Chaikin A/D oscillator", [High, Low, Close, Volume], One,
            [P("fastperiod", 3, "fast EMA"), P("slowperiod", 10, "slow EMA")],
            p => VolumeIndicators.AdoscLookback(I(p[0]), I(p[1])),
            (b, p, o) => VolumeIndicators.Adosc(b.High.Span, b.Low.Span, b.Close.Span, b.Volume.Span, o[0].Span, I(p[0]), I(p[1]))));

        // Statistics.
        list.Add(Ta("STDDEV", "statistics", "Population standard deviation × nbdev", [Close], One, [Period(5), P("nbdev", 1, "multiplier")],
            p => Statistics.Lookback(I(p[0])), (b, p, o) => Statistics.StdDev(b.Close.Span, o[0].Span, I(p[0]), p[1])));
        list.Add(Ta("VAR", "statistics", "Population variance", [Close], One, [Period(5), P("nbdev", 1, "unused, as TA-Lib")],
            p => Statistics.Lookback(I(p[0])), (b, p, o) => Statistics.Var(b.Close.Span, o[0].Span, I(p[0]))));
        void Reg(string name, string description, Statistics.RegressionOutput what) =>
            list.Add(Ta(name, "statistics", description, [Close], One, [Period(14)],
                p => Statistics.Lookback(I(p[0])), (b, p, o) => Statistics.LinearReg(b.Close.Span, o[0].Span, I(p[0]), what)));
        Reg("LINEARREG", "Least-squares line's value at the last bar", Statistics.RegressionOutput.Value);
        Reg("LINEARREG_SLOPE", "Least-squares slope per bar", Statistics.RegressionOutput.Slope);
        Reg("LINEARREG_ANGLE", "Least-squares slope angle in degrees", Statistics.RegressionOutput.Angle);
        Reg("LINEARREG_INTERCEPT", "Least-squares line's value at the window's first bar", Statistics.RegressionOutput.Intercept);
        Reg("TSF", "Time series forecast: the line one bar ahead", Statistics.RegressionOutput.Forecast);
        list.Add(Ta("BETA", "statistics", "Beta of low's returns on high's returns (TA-Lib's default inputs)", [High, Low], One, [Period(5)],
            p => Statistics.BetaLookback(I(p[0])), (b, p, o) => Statistics.Beta(b.High.Span, b.Low.Span, o[0].Span, I(p[0]))));
        list.Add(Ta("CORREL", "statistics", "Pearson correlation of high and low (TA-Lib's default inputs)", [High, Low], One, [Period(30)],
            p => Statistics.Lookback(I(p[0])), (b, p, o) => Statistics.Correl(b.High.Span, b.Low.Span, o[0].Span, I(p[0]))));
        list.Add(Ta("MAX", "statistics", "Highest close over the window", [Close], One, [Period(30)],
            p => Statistics.Lookback(I(p[0])), (b, p, o) => Statistics.Max(b.Close.Span, o[0].Span, I(p[0]))));
        list.Add(Ta("MIN", "statistics", "Lowest close over the window", [Close], One, [Period(30)],
            p => Statistics.Lookback(I(p[0])), (b, p, o) => Statistics.Min(b.Close.Span, o[0].Span, I(p[0]))));
        list.Add(Ta("SUM", "statistics", "Sum over the window", [Close], One, [Period(30)],
            p => Statistics.Lookback(I(p[0])), (b, p, o) => Statistics.Sum(b.Close.Span, o[0].Span, I(p[0]))));
        list.Add(Ta("AVGDEV", "statistics", "Mean absolute deviation", [Close], One, [Period(14)],
            p => Statistics.Lookback(I(p[0])), (b, p, o) => Statistics.AvgDev(b.Close.Span, o[0].Span, I(p[0]))));

        // Price transforms.
        list.Add(Ta("AVGPRICE", "price", "(O + H + L + C) / 4", [Open, High, Low, Close], One, [], _ => 0,
            (b, _, o) => PriceTransforms.AvgPrice(b.Open.Span, b.High.Span, b.Low.Span, b.Close.Span, o[0].Span)));
        list.Add(Ta("MEDPRICE", "price", "(H + L) / 2", [High, Low], One, [], _ => 0,
            (b, _, o) => PriceTransforms.MedPrice(b.High.Span, b.Low.Span, o[0].Span)));
        list.Add(Ta("TYPPRICE", "price", "(H + L + C) / 3", [High, Low, Close], One, [], _ => 0,
            (b, _, o) => PriceTransforms.TypPrice(b.High.Span, b.Low.Span, b.Close.Span, o[0].Span)));
        list.Add(Ta("WCLPRICE", "price", "(H + L + 2C) / 4", [High, Low, Close], One, [], _ => 0,
            (b, _, o) => PriceTransforms.WclPrice(b.High.Span, b.Low.Span, b.Close.Span, o[0].Span)));

        // Cycle indicators.
        list.Add(Ta("HT_DCPERIOD", "cycle", "Hilbert transform dominant cycle period", [Close], One, [], _ => CycleIndicators.ShortLookback,
            (b, _, o) => CycleIndicators.HtDcPeriod(b.Close.Span, o[0].Span)));
        list.Add(Ta("HT_DCPHASE", "cycle", "Hilbert transform dominant cycle phase", [Close], One, [], _ => CycleIndicators.LongLookback,
            (b, _, o) => CycleIndicators.HtDcPhase(b.Close.Span, o[0].Span)));
        list.Add(Ta("HT_PHASOR", "cycle", "Hilbert transform phasor components", [Close], ["inphase", "quadrature"], [], _ => CycleIndicators.ShortLookback,
            (b, _, o) => CycleIndicators.HtPhasor(b.Close.Span, o[0].Span, o[1].Span)));
        list.Add(Ta("HT_SINE", "cycle", "Hilbert transform sine wave and lead sine", [Close], ["sine", "leadsine"], [], _ => CycleIndicators.LongLookback,
            (b, _, o) => CycleIndicators.HtSine(b.Close.Span, o[0].Span, o[1].Span)));
        list.Add(Ta("HT_TRENDMODE", "cycle", "Hilbert transform trend (1) vs cycle (0) mode", [Close], One, [], _ => CycleIndicators.LongLookback,
            (b, _, o) => CycleIndicators.HtTrendMode(b.Close.Span, o[0].Span)));

        // Candlestick patterns.
        foreach (var (name, lookback, description) in Candlesticks.Patterns)
        {
            bool star = name is "CDLMORNINGSTAR" or "CDLEVENINGSTAR";
            list.Add(Ta(name, "pattern", description, [Open, High, Low, Close], One, star ? [P("penetration", 0.3, "how far the third candle closes into the first's body")] : [],
                _ => lookback, (b, p, o) => Candlesticks.Recognize(name, b.Open.Span, b.High.Span, b.Low.Span, b.Close.Span, o[0].Span, star ? p[0] : 0.3)));
        }

        list.AddRange(StockStatsIndicators.Definitions());
        return list;
    }
}
