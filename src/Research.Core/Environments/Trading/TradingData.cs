using System.Globalization;
using Research.Core.Data;
using Research.Core.Features;
using Research.Core.Models;

namespace Research.Core.Environments.Trading;

/// <summary>
/// What a trading environment reads of the market over its episode's days, laid out date-major so that one day's part
/// of the state is contiguous: closes (D × n), indicator blocks (D × m·n: all tickers of the first indicator, then the
/// next, as FinRL's state orders them), extra blocks such as the forecaster's signals (D × e·n), and a risk indicator
/// per day (turbulence; NaN when absent). Everything at day d is known at d's close. The bars themselves stay in
/// <see cref="Panel"/> (days [<see cref="PanelStart"/>, <see cref="PanelStart"/> + D)) for backtest-grade execution.
/// </summary>
public sealed class TradingData
{
    private TradingData(MarketPanel panel, int panelStart, int days, string[] indicatorNames, double[] indicators,
        string[] extraNames, double[] extras, double[]? risk, string riskName)
    {
        Panel = panel;
        PanelStart = panelStart;
        Days = days;
        Tickers = [.. panel.Tickers];
        Dates = panel.Calendar.Dates.Slice(panelStart, days).ToArray();
        IndicatorNames = indicatorNames;
        ExtraNames = extraNames;
        Indicators = indicators;
        Extras = extras;
        Risk = risk;
        RiskName = riskName;
        int n = Tickers.Length;
        Close = new double[days * n];
        for (int k = 0; k < n; k++)
        {
            var c = panel.Series(PriceField.Close, k);
            double last = 0;
            for (int t = 0; t < panelStart; t++) if (c[t] > 0) last = c[t];
            for (int d = 0; d < days; d++)
            {
                double v = c[panelStart + d];
                if (v > 0) last = v;
                Close[d * n + k] = last;
            }
        }
    }

    /// <summary>The bars (open, high, low, close, volume) the episode's days index into.</summary>
    public MarketPanel Panel { get; }

    /// <summary>Panel index of day 0.</summary>
    public int PanelStart { get; }

    /// <summary>Number of days D (an episode trades D − 1 times).</summary>
    public int Days { get; }

    /// <summary>Tickers, in the state's order.</summary>
    public string[] Tickers { get; }

    /// <summary>Date of each day.</summary>
    public DateOnly[] Dates { get; }

    /// <summary>Close of each day and ticker (D × n); a missing close carries the last valid one (0 before any).</summary>
    public double[] Close { get; }

    /// <summary>Names of the indicator blocks, in state order.</summary>
    public string[] IndicatorNames { get; }

    /// <summary>Indicator values, D × (m·n).</summary>
    public double[] Indicators { get; }

    /// <summary>Names of the extra blocks (the hybrid state's forecaster signals), in state order.</summary>
    public string[] ExtraNames { get; }

    /// <summary>Extra values, D × (e·n).</summary>
    public double[] Extras { get; }

    /// <summary>The risk indicator per day (FinRL's turbulence column), or null.</summary>
    public double[]? Risk { get; }

    /// <summary>Name of the risk indicator column.</summary>
    public string RiskName { get; }

    /// <summary>Number of tickers n.</summary>
    public int TickerCount => Tickers.Length;

    /// <summary>Length of the state: 1 + n·(2 + m + e).</summary>
    public int StateSize => 1 + TickerCount * (2 + IndicatorNames.Length + ExtraNames.Length);

    /// <summary>
    /// Days [<paramref name="start"/>, <paramref name="end"/>) of a panel, with the named feature columns as indicator
    /// blocks (non-finite values enter as 0), a turbulence series on the panel's dates, and the forecaster's signals as
    /// three extra blocks (expected return, probability up, confidence; missing values as 0).
    /// </summary>
    public static TradingData FromPanel(MarketPanel panel, int start, int end, FeatureSet? features = null,
        IReadOnlyList<string>? indicators = null, double[]? turbulence = null, ForecastSignals? forecasts = null)
    {
        if (start < 0 || end > panel.DateCount || end - start < 2) throw new ArgumentOutOfRangeException(nameof(end), $"[{start}, {end}) is not a range of at least 2 of {panel.DateCount} dates.");
        if (features is not null && (features.DateCount != panel.DateCount || features.TickerCount != panel.TickerCount))
        {
            throw new ArgumentException("features must be on the panel's calendar and tickers.", nameof(features));
        }

        int n = panel.TickerCount, N = panel.DateCount, days = end - start;
        string[] names = indicators is not null ? [.. indicators] : features is not null ? [.. features.Names] : [];
        if (names.Length > 0 && features is null) throw new ArgumentException("indicators were named but no features were given.", nameof(indicators));
        var ind = new double[days * names.Length * n];
        for (int i = 0; i < names.Length; i++)
        {
            if (!features!.Names.Contains(names[i])) throw new ArgumentException($"Indicator '{names[i]}' is not among the features ({string.Join(", ", features.Names)}).", nameof(indicators));
            var column = features.Column(names[i]);
            for (int d = 0; d < days; d++)
            {
                for (int k = 0; k < n; k++) ind[(d * names.Length + i) * n + k] = Finite(column[k * N + start + d]);
            }
        }

        if (turbulence is not null && turbulence.Length != N) throw new ArgumentException($"turbulence has {turbulence.Length} values; the panel has {N} dates.", nameof(turbulence));
        string[] extraNames = [];
        double[] extras = [];
        if (forecasts is not null)
        {
            if (forecasts.ExpectedReturn.Length != N * n) throw new ArgumentException($"forecasts have {forecasts.ExpectedReturn.Length} values; expected {n} × {N}.", nameof(forecasts));
            extraNames = ["expected_return", "probability_up", "confidence"];
            extras = new double[days * 3 * n];
            double[][] series = [forecasts.ExpectedReturn, forecasts.ProbabilityUp, forecasts.Confidence];
            for (int d = 0; d < days; d++)
            {
                for (int e = 0; e < 3; e++)
                {
                    for (int k = 0; k < n; k++) extras[(d * 3 + e) * n + k] = Finite(series[e][k * N + start + d]);
                }
            }
        }

        return new TradingData(panel, start, days, names, ind, extraNames, extras, turbulence?[start..end], "turbulence");
    }

    /// <summary>
    /// Reads FinRL's processed layout: header <c>date,tic,open,high,low,close,volume,&lt;indicator columns&gt;[,turbulence]</c>,
    /// rows sorted by date then tic, every date with the same tickers. <paramref name="indicators"/> picks the state's
    /// indicator columns in that order (default: FinRL's eight, those present); <paramref name="riskIndicator"/> names
    /// the risk column (read when present). Errors name the file, line and column.
    /// </summary>
    public static TradingData FromFinRLCsv(string path, IReadOnlyList<string>? indicators = null, string riskIndicator = "turbulence")
    {
        if (!File.Exists(path)) throw new DataFormatException(path, null, null, "file not found");
        using var reader = new StreamReader(path);
        string? header = reader.ReadLine();
        if (header is null) throw new DataFormatException(path, 1, null, "the file is empty; expected a header date,tic,open,high,low,close,volume,...");
        var columns = header.TrimStart('\uFEFF').Split(',').Select(c => c.Trim()).ToArray();
        int Col(string name, bool required)
        {
            int i = Array.IndexOf(columns, name);
            if (i < 0 && required) throw new DataFormatException(path, 1, null, $"the header has no '{name}' column (FinRL's layout: date,tic,open,high,low,close,volume,<indicators>[,turbulence])");
            return i;
        }

        int cDate = Col("date", true), cTic = Col("tic", true), cOpen = Col("open", true), cHigh = Col("high", true), cLow = Col("low", true), cClose = Col("close", true), cVolume = Col("volume", true);
        int cRisk = Col(riskIndicator, false);
        string[] names;
        if (indicators is not null)
        {
            names = [.. indicators];
            foreach (var name in names) Col(name, true);
        }
        else
        {
            names = [.. FinRLDefaults.Where(d => Array.IndexOf(columns, d) >= 0)];
        }

        var indexes = names.Select(nm => Col(nm, true)).ToArray();
        var dates = new List<DateOnly>();
        var tickers = new List<string>();
        var rows = new List<double[]>(); // open, high, low, close, volume, indicators..., risk
        int line = 1, width = 5 + names.Length + 1;
        string? text;
        int tickerAt = 0;
        while ((text = reader.ReadLine()) is not null)
        {
            line++;
            if (text.Length == 0) continue;
            var f = text.Split(',');
            if (f.Length != columns.Length) throw new DataFormatException(path, line, null, $"{f.Length} fields; the header has {columns.Length}");
            if (!DateOnly.TryParseExact(f[cDate].Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            {
                throw new DataFormatException(path, line, cDate + 1, $"date '{f[cDate]}' is not yyyy-MM-dd");
            }

            string tic = f[cTic].Trim();
            if (dates.Count == 0 || date != dates[^1])
            {
                if (dates.Count > 0 && date < dates[^1]) throw new DataFormatException(path, line, cDate + 1, $"date {date:yyyy-MM-dd} comes after {dates[^1]:yyyy-MM-dd}; rows must be sorted by date then tic");
                if (dates.Count > 0 && tickerAt != tickers.Count) throw new DataFormatException(path, line, cDate + 1, $"{dates[^1]:yyyy-MM-dd} has {tickerAt} tickers; every date needs the same {tickers.Count} ({string.Join(", ", tickers)})");
                dates.Add(date);
                tickerAt = 0;
            }

            if (dates.Count == 1)
            {
                if (tickers.Count > 0 && string.CompareOrdinal(tic, tickers[^1]) <= 0) throw new DataFormatException(path, line, cTic + 1, $"tic '{tic}' after '{tickers[^1]}': rows must be sorted by date then tic");
                tickers.Add(tic);
            }
            else if (tickerAt >= tickers.Count || tickers[tickerAt] != tic)
            {
                throw new DataFormatException(path, line, cTic + 1, $"tic '{tic}' where '{(tickerAt < tickers.Count ? tickers[tickerAt] : "(none)")}' was expected: every date needs the tickers {string.Join(", ", tickers)} in that order");
            }

            tickerAt++;
            var row = new double[width];
            int[] sources = [cOpen, cHigh, cLow, cClose, cVolume, .. indexes];
            for (int i = 0; i < sources.Length; i++) row[i] = Number(f[sources[i]], line, sources[i]);
            row[^1] = cRisk >= 0 ? Number(f[cRisk], line, cRisk) : double.NaN;
            rows.Add(row);
        }

        if (dates.Count > 0 && tickerAt != tickers.Count) throw new DataFormatException(path, line, null, $"{dates[^1]:yyyy-MM-dd} has {tickerAt} tickers; every date needs the same {tickers.Count}");
        if (dates.Count < 2) throw new DataFormatException(path, line, null, $"{dates.Count} date(s); an episode needs at least 2");
        int n = tickers.Count, D = dates.Count, m = names.Length;
        var fields = Enumerable.Range(0, 5).Select(_ => new double[n * D]).ToArray();
        var ind = new double[D * m * n];
        var risk = cRisk >= 0 ? new double[D] : null;
        for (int d = 0; d < D; d++)
        {
            for (int k = 0; k < n; k++)
            {
                var row = rows[d * n + k];
                for (int x = 0; x < 5; x++) fields[x][k * D + d] = row[x];
                for (int i = 0; i < m; i++) ind[(d * m + i) * n + k] = row[5 + i];
            }

            if (risk is not null) risk[d] = rows[d * n][^1]; // FinRL reads the day's first row
        }

        var panel = new MarketPanel(new TradingCalendar([.. dates]), [.. tickers], fields[0], fields[1], fields[2], fields[3], fields[4]);
        return new TradingData(panel, 0, D, names, ind, [], [], risk, riskIndicator);

        double Number(string s, int ln, int col)
        {
            if (double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var v)) return v;
            throw new DataFormatException(path, ln, col + 1, $"{columns[col]} value '{s}' is not a number");
        }
    }

    /// <summary>Closes as float32 (the observation's close block), D × n; computed once and shared by every environment over this data.</summary>
    internal float[] CloseF => _closeF ??= Array.ConvertAll(Close, v => (float)v);

    /// <summary>Indicator then extra blocks as float32, D × (m + e)·n (the observation's tail); computed once, shared.</summary>
    internal float[] BlocksF => _blocksF ??= BuildBlocks();

    /// <summary>Per day and ticker: the first indicator is exactly 1 (FinRL's "disable" check); empty without indicators. Shared.</summary>
    internal bool[] FirstIndicatorIsOne => _firstIsOne ??= BuildFirstIsOne();

    /// <summary>FinRL's buy divisor <c>close · (1 + buy_cost)</c> and its reciprocal per day and ticker, computed once per cost rate and shared.</summary>
    internal (double[] Unit, double[] Inverse) BuyUnits(double buyCost)
    {
        lock (_units)
        {
            if (_units.TryGetValue(buyCost, out var cached)) return cached;
            var unit = new double[Close.Length];
            var inverse = new double[Close.Length];
            for (int i = 0; i < unit.Length; i++)
            {
                unit[i] = Close[i] * (1 + buyCost);
                inverse[i] = 1 / unit[i];
            }

            _units[buyCost] = (unit, inverse);
            return (unit, inverse);
        }
    }

    private float[]? _closeF, _blocksF;
    private bool[]? _firstIsOne;
    private readonly Dictionary<double, (double[], double[])> _units = [];

    private float[] BuildBlocks()
    {
        int n = TickerCount, m = IndicatorNames.Length * n, e = ExtraNames.Length * n;
        var blocks = new float[Days * (m + e)];
        for (int d = 0; d < Days; d++)
        {
            for (int i = 0; i < m; i++) blocks[d * (m + e) + i] = (float)Indicators[d * m + i];
            for (int i = 0; i < e; i++) blocks[d * (m + e) + m + i] = (float)Extras[d * e + i];
        }

        return blocks;
    }

    private bool[] BuildFirstIsOne()
    {
        int n = TickerCount, m = IndicatorNames.Length;
        if (m == 0) return [];
        var flags = new bool[Days * n];
        for (int d = 0; d < Days; d++)
        {
            for (int k = 0; k < n; k++) flags[d * n + k] = Indicators[d * m * n + k] == 1.0;
        }

        return flags;
    }

    /// <summary>FinRL's default indicator list (<c>config.INDICATORS</c>).</summary>
    public static IReadOnlyList<string> FinRLDefaults { get; } = ["macd", "boll_ub", "boll_lb", "rsi_30", "cci_30", "dx_30", "close_30_sma", "close_60_sma"];

    private static double Finite(double v) => double.IsFinite(v) ? v : 0;
}
