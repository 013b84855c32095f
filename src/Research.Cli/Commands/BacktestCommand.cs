using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Research.Core.Backtesting;
using Research.Core.Backtesting.Costs;
using Research.Core.Backtesting.Strategies;
using Research.Core.Configuration;
using Research.Core.Data;
using Research.Core.Evaluation;
using Research.Core.IO;
using Research.Core.Risk;

namespace Research.Cli.Commands;

/// <summary><c>research backtest</c>: one strategy through the event-driven engine, costs on.</summary>
internal static class BacktestCommand
{
    public static Command Create()
    {
        var strategy = new Option<string>("--strategy") { Description = "sma-cross, buy-and-hold, equal-weight, min-variance or mean-variance.", Required = true };
        var data = new Option<string>("--data") { Description = "A CSV of bars, a ticker of the embedded set (e.g. AAPL), a folder of CSVs, or 'djia' (the embedded set).", Required = true };
        var cash = new Option<double>("--cash") { Description = "Starting cash.", DefaultValueFactory = _ => 100_000 };
        var size = new Option<double>("--size") { Description = "Shares per entry (sma-cross).", DefaultValueFactory = _ => 100 };
        var fast = new Option<int>("--fast") { Description = "Fast SMA window (sma-cross).", DefaultValueFactory = _ => 10 };
        var slow = new Option<int>("--slow") { Description = "Slow SMA window (sma-cross).", DefaultValueFactory = _ => 30 };
        var ticker = new Option<string?>("--ticker") { Description = "Ticker traded by sma-cross when --data holds several (default: the first)." };
        var rebalance = new Option<string>("--rebalance") { Description = "Rebalance frequency: daily, weekly, monthly, quarterly.", DefaultValueFactory = _ => "monthly" };
        var commission = new Option<double>("--commission-pct") { Description = "Commission as a fraction of traded value (0.001 = 0.1%).", DefaultValueFactory = _ => 0.001 };
        var perShare = new Option<double>("--commission-per-share") { Description = "Commission per share instead of --commission-pct (set that to 0), e.g. 0.005.", DefaultValueFactory = _ => 0 };
        var minimum = new Option<double>("--commission-min") { Description = "Minimum commission per fill with --commission-per-share, e.g. 1.", DefaultValueFactory = _ => 0 };
        var adjusted = new Option<bool>("--adjusted") { Description = "Trade on dividend-adjusted prices (needs an Adj Close column, e.g. Yahoo files)." };
        var slippage = new Option<double>("--slippage-pct") { Description = "Slippage as a fraction of the price (0.0005 = 5 bps).", DefaultValueFactory = _ => 0 };
        var spread = new Option<double>("--half-spread-bps") { Description = "Half the bid-ask spread in basis points.", DefaultValueFactory = _ => 0 };
        var impact = new Option<double>("--impact") { Description = "Square-root market impact coefficient η (0: none).", DefaultValueFactory = _ => 0 };
        var participation = new Option<double>("--participation") { Description = "Largest fill as a fraction of the bar's volume.", DefaultValueFactory = _ => 0.1 };
        var fill = new Option<string>("--fill") { Description = "next-open (default) or close (optimistic: fills at the signal bar's close).", DefaultValueFactory = _ => "next-open" };
        var risk = new Option<bool>("--risk") { Description = "Run with the default risk limits (25% per position, leverage 1, 10% ADV)." };
        var json = new Option<bool>("--json") { Description = "Print JSON: final value, every fill, round trips, rejections, interventions, costs, metrics." };
        var cmd = new Command("backtest", "Backtest a strategy with costs on (see docs/backtesting.md).")
        {
            strategy, data, cash, size, fast, slow, ticker, rebalance, commission, perShare, minimum, adjusted, slippage, spread, impact, participation, fill, risk, json,
        };
        CommandAction.Set(cmd, (parse, stdout, _) =>
        {
            var panel = LoadPanel(parse.GetValue(data)!);
            var frequency = ParseEnum<RebalanceFrequency>(parse.GetValue(rebalance)!, "--rebalance");
            string name = parse.GetValue(strategy)!;
            IStrategy s;
            try
            {
                s = name switch
                {
                "sma-cross" => new SmaCross(parse.GetValue(ticker) is { } t ? panel.TickerIndex(t) : 0, parse.GetValue(fast), parse.GetValue(slow), parse.GetValue(size)),
                "buy-and-hold" => new BuyAndHold(),
                "equal-weight" => new EqualWeight(frequency),
                "min-variance" => MeanVariance.MinimumVariance(frequency: frequency),
                "mean-variance" => MeanVariance.MeanVarianceOptimal(frequency: frequency),
                _ => throw new ArgumentException($"--strategy: unknown strategy '{name}' (sma-cross, buy-and-hold, equal-weight, min-variance, mean-variance)."),
                };
            }
            catch (ArgumentOutOfRangeException e) when (e.ParamName is "fast" or "slow" or "size")
            {
                throw new ArgumentException($"--{e.ParamName}: {e.Message.Split(" (Parameter")[0]}", e);
            }
            var costs = CostModel.Zero with
            {
                CommissionPct = parse.GetValue(commission),
                CommissionPerShare = parse.GetValue(perShare),
                CommissionMinimum = parse.GetValue(minimum),
                SlippageValue = parse.GetValue(slippage) * 1e4,
                HalfSpreadBps = parse.GetValue(spread),
                Impact = parse.GetValue(impact) > 0 ? ImpactKind.SquareRoot : ImpactKind.None,
                ImpactCoefficient = parse.GetValue(impact),
            };
            try
            {
                costs.Validate();
            }
            catch (ArgumentOutOfRangeException e)
            {
                throw new ArgumentException($"{OptionFor(e.ParamName)}: must be ≥ 0; got {e.ActualValue}.", e);
            }

            if (costs.CommissionPct > 0 && costs.CommissionPerShare > 0)
            {
                throw new ArgumentException("--commission-per-share: set --commission-pct 0 to charge per share (one commission model at a time).");
            }

            if (parse.GetValue(adjusted) && !panel.HasAdjClose)
            {
                throw new ArgumentException("--adjusted: the data has no adjusted-close column (Adj Close); drop --adjusted or use files that have one.");
            }

            var options = new BacktestOptions
            {
                InitialCash = parse.GetValue(cash),
                Costs = costs,
                ParticipationCap = parse.GetValue(participation),
                Fill = parse.GetValue(fill) switch
                {
                    "next-open" => FillTiming.NextOpen,
                    "close" => FillTiming.SameClose,
                    var f => throw new ArgumentException($"--fill: '{f}' is not next-open or close."),
                },
                Risk = parse.GetValue(risk) ? new RiskLimits() : null,
                DividendAdjusted = parse.GetValue(adjusted),
            };
            BacktestResult result;
            try
            {
                result = Backtester.Run(panel, s, options);
            }
            catch (ArgumentOutOfRangeException e) when (e.ParamName is "InitialCash" or "ParticipationCap" or "fast" or "slow" or "size")
            {
                throw new ArgumentException($"--{Kebab(e.ParamName!)}: {e.Message.Split(" (Parameter")[0]}", e);
            }

            var returns = new ReturnSeries(result.Dates, result.Returns, result.Name);
            var report = PerformanceMetrics.Compute(returns, null);
            if (parse.GetValue(json)) stdout.WriteLine(ToJson(result, report));
            else WriteText(stdout, result, report);
            return 0;
        });
        return cmd;
    }

    private static string OptionFor(string? param) => param switch
    {
        "CommissionPct" => "--commission-pct",
        "CommissionPerShare" => "--commission-per-share",
        "CommissionMinimum" => "--commission-min",
        "SlippageValue" => "--slippage-pct",
        "HalfSpreadBps" => "--half-spread-bps",
        "ImpactCoefficient" => "--impact",
        _ => param ?? "cost",
    };

    private static string Kebab(string s) => string.Concat(s.Select((c, i) => char.IsUpper(c) && i > 0 ? "-" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()))
        .Replace("initial-cash", "cash", StringComparison.Ordinal).Replace("participation-cap", "participation", StringComparison.Ordinal);

    private static T ParseEnum<T>(string value, string option) where T : struct, Enum =>
        Enum.TryParse<T>(value, ignoreCase: true, out var v) ? v : throw new ArgumentException($"{option}: '{value}' is not one of {string.Join(", ", Enum.GetNames<T>().Select(n => n.ToLowerInvariant()))}.");

    internal static MarketPanel LoadPanel(string data)
    {
        string path = data;
        if (string.Equals(data, "djia", StringComparison.OrdinalIgnoreCase)) path = Path.Combine(RepoData(), "djia");
        else if (!File.Exists(data) && !Directory.Exists(data))
        {
            string candidate = Path.Combine(RepoData(), "djia", data.ToUpperInvariant() + ".csv");
            if (!File.Exists(candidate)) throw new FileNotFoundException($"--data: '{data}' is neither a file, a folder, nor a ticker of the embedded set ({Path.Combine(RepoData(), "djia")}).", data);
            path = candidate;
        }

        return MarketDataLoader.Load(new DataConfig { Paths = [Path.GetFullPath(path)], Benchmark = null, Cache = null }, null).Panel;
    }

    private static string RepoData()
    {
        for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "data", "djia");
            if (Directory.Exists(candidate)) return Path.Combine(dir.FullName, "data");
        }

        return Path.Combine(AppContext.BaseDirectory, "data");
    }

    private static void WriteText(TextWriter o, BacktestResult r, PerformanceReport report)
    {
        var ci = CultureInfo.InvariantCulture;
        o.WriteLine(string.Create(ci, $"{r.Name}: {r.Dates[0]:yyyy-MM-dd}..{r.Dates[^1]:yyyy-MM-dd}, final value {r.Equity[^1]:N2} from {r.Options.InitialCash:N2}{(r.Optimistic ? " (OPTIMISTIC: filled at the signal bar's close)" : "")}"));
        o.WriteLine(string.Create(ci, $"{r.Fills.Count} fills, {r.RoundTrips.Count} round trips, {r.Rejections.Count} rejections, {r.Interventions.Count} risk interventions"));
        o.WriteLine(string.Create(ci, $"costs: commission {r.CostTotals.Commission:N2}, spread {r.CostTotals.Spread:N2}, slippage {r.CostTotals.Slippage:N2}, impact {r.CostTotals.Impact:N2}, borrow {r.BorrowFees:N2}"));
        o.WriteLine("date        side      price        size   commission");
        foreach (var f in r.Fills.Take(50)) o.WriteLine(string.Create(ci, $"{f.Date:yyyy-MM-dd}  {f.Side,-4} {f.Price,10:F4} {Math.Abs(f.Quantity),11:N0} {f.Costs.Commission,12:F4}"));
        if (r.Fills.Count > 50) o.WriteLine($"… {r.Fills.Count - 50} more (--json lists all)");
        foreach (var key in MetricCatalog.Headline)
        {
            var info = MetricCatalog.Get(key);
            if (info.NeedsBenchmark) continue;
            o.WriteLine($"{info.Label,-32} {MetricCatalog.FormatValue(info, report[key])}");
        }
    }

    private static string ToJson(BacktestResult r, PerformanceReport report)
    {
        return ArtifactJson.Write(w =>
        {
            static string D(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            w.WriteStartObject();
            w.WriteString("strategy", r.Name);
            w.WriteDouble("initial_cash", r.Options.InitialCash);
            w.WriteDouble("final_value", r.Equity[^1]);
            w.WriteBoolean("optimistic_fills", r.Optimistic);
            w.WriteBoolean("dividend_adjusted", r.Options.DividendAdjusted);
            w.WriteString("start_date", D(r.Dates[0]));
            w.WriteString("end_date", D(r.Dates[^1]));
            w.WriteStartArray("fills");
            foreach (var f in r.Fills)
            {
                w.WriteStartObject();
                w.WriteString("date", D(f.Date));
                w.WriteString("ticker", f.Symbol);
                w.WriteString("side", f.Side);
                w.WriteDouble("price", f.Price);
                w.WriteDouble("size", Math.Abs(f.Quantity));
                w.WriteDouble("commission", f.Costs.Commission);
                w.WriteDouble("reference_price", f.Reference);
                w.WriteDouble("spread_cost", f.Costs.Spread);
                w.WriteDouble("slippage_cost", f.Costs.Slippage);
                w.WriteDouble("impact_cost", f.Costs.Impact);
                w.WriteString("tag", f.Tag);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteStartArray("round_trips");
            foreach (var t in r.RoundTrips)
            {
                w.WriteStartObject();
                w.WriteString("ticker", t.Symbol);
                w.WriteString("entry_date", D(t.Entry));
                w.WriteString("exit_date", D(t.Exit));
                w.WriteDouble("size", t.Quantity);
                w.WriteDouble("entry_price", t.EntryPrice);
                w.WriteDouble("exit_price", t.ExitPrice);
                w.WriteDouble("pnl", t.Pnl);
                w.WriteNumber("holding_days", t.HoldingDays);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteStartArray("rejections");
            foreach (var x in r.Rejections)
            {
                w.WriteStartObject();
                w.WriteString("date", D(x.Date));
                w.WriteDouble("size", x.Order.Quantity);
                w.WriteString("reason", x.Reason);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteStartArray("interventions");
            foreach (var i in r.Interventions)
            {
                w.WriteStartObject();
                w.WriteString("date", D(i.Date));
                w.WriteString("rule", i.Rule);
                w.WriteString("subject", i.Subject);
                w.WriteString("action", i.Action);
                w.WriteString("detail", i.Detail);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteStartObject("costs");
            w.WriteDouble("commission", r.CostTotals.Commission);
            w.WriteDouble("spread", r.CostTotals.Spread);
            w.WriteDouble("slippage", r.CostTotals.Slippage);
            w.WriteDouble("impact", r.CostTotals.Impact);
            w.WriteDouble("borrow", r.BorrowFees);
            w.WriteDouble("interest", r.Interest);
            w.WriteDouble("total", r.CostTotals.Total + r.BorrowFees - r.Interest);
            w.WriteEndObject();
            w.WriteDouble("turnover", r.Turnover);
            w.WriteStartObject("metrics");
            foreach (var (key, value) in report.Values) w.WriteDouble(key, value);
            w.WriteEndObject();
            w.WriteEndObject();
        });
    }
}
