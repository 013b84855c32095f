using System.Globalization;
using System.Text;
using Research.Core.Backtesting;
using Research.Core.Backtesting.Strategies;
using Research.Core.Configuration;

namespace Research.Core.Pipeline.Stages;

/// <summary>
/// Takes the run's strategies through the event-driven engine over the test block, costs always on and the risk
/// manager on by default: the forecaster's test-block predictions (when the forecast stage ran) and any other model's
/// registered <see cref="RunContext.SignalSources"/>, sized as the config says, and an equal-weight monthly rebalance.
/// Their curves join the curves the benchmark, summary and report stages measure; fills, round trips, daily records,
/// interventions and the cost breakdown are written to the run folder, the key numbers to the metrics (and MLflow).
/// </summary>
public sealed class BacktestStage : IRunStage
{
    /// <summary>Curve name of the forecaster-driven strategy.</summary>
    public const string ModelCurve = "cnn-lstm-kelly";

    /// <summary>Curve name of the engine's equal-weight strategy.</summary>
    public const string EqualWeightCurve = "equal-weight-engine";

    /// <inheritdoc />
    public string Name => "backtest";

    /// <inheritdoc />
    public void Run(RunContext context)
    {
        var panel = context.RequireData().Panel;
        var test = context.RequireSplit().Test;
        var cfg = context.Config.Backtest;
        var (options, threshold) = TestOptions(context);
        var sources = new List<SignalSource>();
        if (context.Forecast is { } forecast)
        {
            sources.Add(new SignalSource(cfg.ModelSizing == SignalSizing.Kelly ? ModelCurve : $"cnn-lstm-{System.Text.Json.JsonNamingPolicy.KebabCaseLower.ConvertName(cfg.ModelSizing.ToString())}",
                Signals(panel, forecast), cfg.ModelSizing, cfg.ModelRebalance, cfg.ModelTopK));
        }

        sources.AddRange(context.SignalSources);
        var strategies = sources.Select(s => (IStrategy)s.ToStrategy()).ToList();
        strategies.AddRange(context.Strategies);
        strategies.Add(new Renamed(new EqualWeight(RebalanceFrequency.Monthly), EqualWeightCurve));

        var report = new StringBuilder();
        report.AppendLine(string.Create(CultureInfo.InvariantCulture,
            $"# Backtests over the test block ({panel.Calendar[test.Start]:yyyy-MM-dd}..{panel.Calendar[test.End - 1]:yyyy-MM-dd}), fills at {(cfg.Fill == FillTiming.NextOpen ? "the next open" : "the same close (OPTIMISTIC)")}, costs on, risk manager {(options.Risk is null ? "off" : "on")}{(double.IsNaN(threshold) ? "" : string.Create(CultureInfo.InvariantCulture, $", turbulence threshold {threshold:F1}"))}"));
        var costs = new StringBuilder("strategy,commission,spread,slippage,impact,borrow,interest,total,turnover,fills,rejections,interventions\n");
        foreach (var strategy in strategies)
        {
            var result = Backtester.Run(panel, strategy, options);
            if (!context.Backtests.TryAdd(result.Name, result)) throw new InvalidOperationException($"Two strategies in the backtest stage are named '{result.Name}'.");
            context.TestCurves.Add(result.ToEquityCurve());
            var c = result.CostTotals;
            double total = c.Total + result.BorrowFees - result.Interest;
            string line = string.Create(CultureInfo.InvariantCulture,
                $"{result.Name}: final {result.Equity[^1]:N0} ({result.Equity[^1] / cfg.InitialCash - 1:P2}), {result.Fills.Count:N0} fills, {result.RoundTrips.Count:N0} round trips, turnover {result.Turnover:F1}×, costs {total:N0} (commission {c.Commission:N0}, spread {c.Spread:N0}, slippage {c.Slippage:N0}, impact {c.Impact:N0}, borrow {result.BorrowFees:N0}), {result.Rejections.Count} rejections, {result.Interventions.Count} risk interventions");
            context.Log.WriteLine("  " + line);
            report.AppendLine();
            report.AppendLine("- " + line);
            foreach (var group in result.Interventions.GroupBy(i => i.Rule)) report.AppendLine($"  - {group.Key}: {group.Count()}");
            costs.Append(string.Create(CultureInfo.InvariantCulture,
                $"{result.Name},{c.Commission:R},{c.Spread:R},{c.Slippage:R},{c.Impact:R},{result.BorrowFees:R},{result.Interest:R},{total:R},{result.Turnover:R},{result.Fills.Count},{result.Rejections.Count},{result.Interventions.Count}\n"));
            string prefix = $"backtest.{result.Name}";
            context.Metrics[$"{prefix}.final_value"] = result.Equity[^1];
            context.Metrics[$"{prefix}.costs"] = total;
            context.Metrics[$"{prefix}.commission"] = c.Commission;
            context.Metrics[$"{prefix}.spread"] = c.Spread;
            context.Metrics[$"{prefix}.slippage"] = c.Slippage;
            context.Metrics[$"{prefix}.impact"] = c.Impact;
            context.Metrics[$"{prefix}.turnover"] = result.Turnover;
            context.Metrics[$"{prefix}.fills"] = result.Fills.Count;
            context.Metrics[$"{prefix}.round_trips"] = result.RoundTrips.Count;
            context.Metrics[$"{prefix}.rejections"] = result.Rejections.Count;
            context.Metrics[$"{prefix}.interventions"] = result.Interventions.Count;
            var calendar = context.RequireData().Panel.Calendar;
            context.WriteArtifact($"fills-{result.Name}.csv", FillsCsv(result, calendar));
            context.WriteArtifact($"trades-{result.Name}.csv", TradesCsv(result));
            context.WriteArtifact($"daily-{result.Name}.csv", DailyCsv(result, calendar));
            context.WriteArtifact($"interventions-{result.Name}.csv", InterventionsCsv(result));
        }

        context.WriteArtifact("costs.csv", costs.ToString());
        context.WriteArtifact("backtest.md", report.ToString());
        if (sources.Count > 0) context.PrimaryCurve = sources[0].Name;
    }

    /// <summary>
    /// The backtest options of the run's test block (costs and risk limits from the config) and the turbulence
    /// threshold: a quantile of the training block's turbulence (nothing of the test block sets it; NaN when off).
    /// </summary>
    public static (BacktestOptions Options, double TurbulenceThreshold) TestOptions(RunContext context)
    {
        var split = context.RequireSplit();
        var test = split.Test;
        var cfg = context.Config.Backtest;
        double threshold = double.NaN;
        double[]? turbulence = null;
        if (cfg.Risk && context.RawFeatures is { } raw && raw.Names.Contains("turbulence") && cfg.TurbulenceQuantile is { } q)
        {
            turbulence = raw.Series("turbulence", 0).ToArray();
            var train = turbulence[split.Train.Start..split.Train.End].Where(x => x > 0).Order().ToArray();
            if (train.Length > 0) threshold = train[(int)Math.Round(q * (train.Length - 1))];
        }

        var options = new BacktestOptions
        {
            InitialCash = cfg.InitialCash, Start = test.Start, End = test.End, Fill = cfg.Fill, ParticipationCap = cfg.ParticipationCap,
            DividendAdjusted = cfg.DividendAdjusted, Costs = cfg.Costs(), Risk = cfg.Limits(threshold), Turbulence = turbulence,
            PeriodsPerYear = context.PeriodsPerYear,
        };
        return (options, threshold);
    }

    /// <summary>The forecaster's test-block expected returns as a ticker-major signal matrix over the panel (NaN elsewhere).</summary>
    private static double[] Signals(Data.MarketPanel panel, Models.ForecastResult forecast)
    {
        int n = panel.DateCount;
        var signals = new double[panel.TickerCount * n];
        Array.Fill(signals, double.NaN);
        var set = forecast.TestForecasts;
        for (int i = 0; i < set.Samples.Count; i++)
        {
            var s = set.Samples[i];
            int k = panel.TickerIndex(forecast.Tickers[s.Ticker]);
            signals[k * n + s.Date] = set.Predicted[i];
        }

        return signals;
    }

    /// <summary>The fills; on intraday bars a last column, <c>timestamp</c>, holds the bar's UTC start.</summary>
    private static string FillsCsv(BacktestResult r, Data.TradingCalendar calendar)
    {
        var sb = new StringBuilder("date,ticker,side,size,price,reference,commission,spread,slippage,impact,tag" + (calendar.IsIntraday ? ",timestamp\n" : "\n"));
        foreach (var f in r.Fills)
        {
            sb.Append(string.Create(CultureInfo.InvariantCulture,
                $"{f.Date:yyyy-MM-dd},{f.Symbol},{f.Side},{Math.Abs(f.Quantity)},{f.Price:R},{f.Reference:R},{f.Costs.Commission:R},{f.Costs.Spread:R},{f.Costs.Slippage:R},{f.Costs.Impact:R},{f.Tag}"));
            sb.Append(calendar.IsIntraday ? Stamp(calendar, f.Bar) + "\n" : "\n");
        }

        return sb.ToString();
    }

    private static string Stamp(Data.TradingCalendar calendar, int bar) =>
        bar >= 0 ? string.Create(CultureInfo.InvariantCulture, $",{calendar.Time(bar):yyyy-MM-dd'T'HH:mm:ss'Z'}") : ",";

    private static string TradesCsv(BacktestResult r)
    {
        var sb = new StringBuilder("ticker,entry_date,exit_date,size,entry_price,exit_price,pnl,holding_days\n");
        foreach (var t in r.RoundTrips)
        {
            sb.Append(string.Create(CultureInfo.InvariantCulture,
                $"{t.Symbol},{t.Entry:yyyy-MM-dd},{t.Exit:yyyy-MM-dd},{t.Quantity},{t.EntryPrice:R},{t.ExitPrice:R},{t.Pnl:R},{t.HoldingDays}\n"));
        }

        return sb.ToString();
    }

    /// <summary>The per-bar accounting; on intraday bars a last column, <c>timestamp</c>, holds the bar's UTC start.</summary>
    private static string DailyCsv(BacktestResult r, Data.TradingCalendar calendar)
    {
        var sb = new StringBuilder("date,cash,equity,gross_exposure,net_exposure,turnover,pnl,costs,realized_pnl,unrealized_pnl" + (calendar.IsIntraday ? ",timestamp\n" : "\n"));
        for (int i = 0; i < r.Daily.Count; i++)
        {
            var d = r.Daily[i];
            sb.Append(string.Create(CultureInfo.InvariantCulture,
                $"{d.Date:yyyy-MM-dd},{d.Cash:R},{d.Equity:R},{d.GrossExposure:R},{d.NetExposure:R},{d.Turnover:R},{d.Pnl:R},{d.Costs:R},{d.RealizedPnl:R},{d.UnrealizedPnl:R}"));
            sb.Append(calendar.IsIntraday ? Stamp(calendar, r.Options.Start + i) + "\n" : "\n");
        }

        return sb.ToString();
    }

    private static string InterventionsCsv(BacktestResult r)
    {
        var sb = new StringBuilder("date,rule,subject,action,detail\n");
        foreach (var i in r.Interventions) sb.Append($"{i.Date:yyyy-MM-dd},{i.Rule},{i.Subject},\"{i.Action}\",\"{i.Detail.Replace("\"", "'", StringComparison.Ordinal)}\"\n");
        return sb.ToString();
    }

    private sealed class Renamed(IStrategy inner, string name) : IStrategy
    {
        public string Name => name;

        public void OnBar(StrategyContext context) => inner.OnBar(context);
    }
}
