using System.Globalization;
using System.Text.Json;
using Research.Core.Evaluation;
using Research.Core.Evaluation.Reporting;
using Research.Core.IO;

namespace Research.Core.Pipeline.Stages;

/// <summary>
/// The run's tearsheet: the primary curve's returns.csv, the market benchmark's benchmark.csv, metadata.json, and a
/// self-contained tearsheet.html with every other curve overlaid. The folder is what <c>research report --run</c> reads.
/// On intraday bars the tearsheet is daily, as pyfolio's is: each session's bar returns compound to the session's return
/// (costs and turnover add up, exposure, weights and prices are the session's last), annualised by 252 sessions.
/// </summary>
public sealed class ReportStage : IRunStage
{
    /// <inheritdoc />
    public string Name => "report";

    /// <inheritdoc />
    public void Run(RunContext context)
    {
        var curves = context.TestCurves;
        if (curves.Count == 0) throw new InvalidOperationException("No curves to report: the benchmark stage has not run.");
        var primary = context.PrimaryCurve is { } p
            ? curves.FirstOrDefault(c => c.Name == p) ?? throw new InvalidOperationException($"The primary curve '{p}' is not among the run's curves.")
            : curves.FirstOrDefault(c => c.Name != context.BenchmarkCurve) ?? curves[0];
        var benchmark = context.BenchmarkCurve is { } b ? curves.Single(c => c.Name == b) : null;

        var sessions = context.Data?.Panel.Calendar.IsIntraday == true ? SessionBars.Of(primary.Dates) : null;
        var dates = sessions?.Dates ?? primary.Dates;
        double[] Returns(double[] r) => sessions is null ? r : sessions.Compound(r);
        context.WriteArtifact("returns.csv", ReturnSeriesCsv.Format(dates, Returns(primary.Returns)));
        if (benchmark is not null && benchmark != primary)
            context.WriteArtifact("benchmark.csv", ReturnSeriesCsv.Format(dates, Returns(benchmark.Returns)));

        var inv = CultureInfo.InvariantCulture;
        var metadata = new Dictionary<string, string>
        {
            ["experiment"] = context.Config.Name,
            ["config"] = context.ConfigPath,
            ["seed"] = context.Config.Seed.ToString(inv),
            ["quick"] = context.Config.Quick ? "true" : "false",
            ["strategy"] = primary.Name,
            ["test_period"] = $"{primary.Dates[0]:yyyy-MM-dd}..{primary.Dates[^1]:yyyy-MM-dd}",
            ["costs_paid"] = primary.Costs.ToString("N0", inv),
            ["curves"] = string.Join(", ", curves.Select(c => c.Name)),
        };
        if (sessions is not null) metadata["bars"] = $"intraday, {primary.Dates.Length:N0} bars compounded to {dates.Length} session returns";
        context.WriteArtifact("metadata.json", ArtifactJson.Serialize(metadata));

        var overlays = new Dictionary<string, double[]>();
        if (benchmark is not null && benchmark != primary) overlays[benchmark.Name] = Returns(benchmark.Returns);
        foreach (var c in curves)
            if (c != primary && c != benchmark) overlays[c.Name] = Returns(c.Returns);

        string path = Path.Combine(context.RunDirectory, "tearsheet.html");
        var data = new TearsheetData
        {
            Title = $"{context.Config.Name}: {primary.Name}",
            Dates = dates,
            Returns = Returns(primary.Returns),
            Benchmarks = overlays,
            Metadata = metadata,
            Options = SummaryStage.Annualised(sessions is null ? context.PeriodsPerYear : 252),
        };
        if (context.Backtests.TryGetValue(primary.Name, out var bt)) data = WithBacktest(data, bt, context, sessions);
        var result = Tearsheet.Write(path, data);
        context.Artifacts.Add("tearsheet.html");
        context.Log.WriteLine($"  tearsheet of {primary.Name} vs {overlays.Count} other curve(s): {result.Charts.Count} charts -> {path}");
    }

    /// <summary>Adds the engine's exposure, turnover, weights, cost breakdown and trades to the tearsheet.</summary>
    private static TearsheetData WithBacktest(TearsheetData data, Backtesting.BacktestResult bt, RunContext context, SessionBars? sessions)
    {
        var panel = context.RequireData().Panel;
        int days = bt.Dates.Length;
        var weights = new Dictionary<string, double[]>();
        for (int k = 0; k < panel.TickerCount; k++)
        {
            var w = bt.WeightSeries(k);
            if (w.Any(x => x != 0)) weights[panel.Tickers[k]] = w;
        }

        var costs = new Dictionary<string, double[]>
        {
            ["commission"] = new double[days], ["spread"] = new double[days], ["slippage"] = new double[days], ["impact"] = new double[days],
        };
        foreach (var f in bt.Fills)
        {
            int i = f.Bar - bt.Options.Start;
            costs["commission"][i] += f.Costs.Commission;
            costs["spread"][i] += f.Costs.Spread;
            costs["slippage"][i] += f.Costs.Slippage;
            costs["impact"][i] += f.Costs.Impact;
        }

        var traded = bt.Fills.GroupBy(f => f.Symbol).OrderByDescending(g => g.Sum(f => Math.Abs(f.Quantity * f.Price))).First().Key;
        int tk = panel.TickerIndex(traded);
        int start = bt.Options.Start;
        var prices = new Dictionary<string, double[]> { [traded] = panel.Series(Data.PriceField.Close, tk)[start..(start + days)].ToArray() };
        var exposure = bt.Daily.Select(d => d.Equity > 0 ? d.GrossExposure / d.Equity : 0).ToArray();
        var turnover = bt.Daily.Select(d => d.Turnover).ToArray();
        double[] Last(double[] a) => sessions is null ? a : sessions.Last(a);
        double[] Sum(double[] a) => sessions is null ? a : sessions.Sum(a);
        return data with
        {
            Weights = weights.ToDictionary(kv => kv.Key, kv => Last(kv.Value)),
            Exposure = Last(exposure),
            Turnover = Sum(turnover),
            Costs = costs.ToDictionary(kv => kv.Key, kv => Sum(kv.Value)),
            Trades = bt.Fills.Where(f => f.Symbol == traded).Select(f => new TradeMarker(f.Date, f.Symbol, f.Quantity, f.Price)).ToArray(),
            Prices = prices.ToDictionary(kv => kv.Key, kv => Last(kv.Value)),
        };
    }

    /// <summary>The sessions of an intraday block: each session date and the index of its first bar.</summary>
    private sealed class SessionBars
    {
        private readonly int[] _starts;

        private SessionBars(DateOnly[] dates, int[] starts, int count)
        {
            Dates = dates;
            _starts = [.. starts, count];
        }

        /// <summary>The session dates, strictly increasing.</summary>
        public DateOnly[] Dates { get; }

        /// <summary>The sessions of bars dated <paramref name="barDates"/> (non-decreasing).</summary>
        public static SessionBars Of(DateOnly[] barDates)
        {
            var starts = Enumerable.Range(0, barDates.Length).Where(i => i == 0 || barDates[i] != barDates[i - 1]).ToArray();
            return new SessionBars(starts.Select(i => barDates[i]).ToArray(), starts, barDates.Length);
        }

        /// <summary>Each session's return: its bars' returns compounded (NaN bars count as flat).</summary>
        public double[] Compound(double[] r) => Reduce(r, (a, b) => { double g = 1; for (int i = a; i < b; i++) if (double.IsFinite(r[i])) g *= 1 + r[i]; return g - 1; });

        /// <summary>Each session's total.</summary>
        public double[] Sum(double[] x) => Reduce(x, (a, b) => { double t = 0; for (int i = a; i < b; i++) t += x[i]; return t; });

        /// <summary>Each session's last value.</summary>
        public double[] Last(double[] x) => Reduce(x, (_, b) => x[b - 1]);

        private double[] Reduce(double[] x, Func<int, int, double> f)
        {
            if (x.Length != _starts[^1]) throw new ArgumentException($"{x.Length} values for {_starts[^1]} bars.", nameof(x));
            var r = new double[Dates.Length];
            for (int s = 0; s < r.Length; s++) r[s] = f(_starts[s], _starts[s + 1]);
            return r;
        }
    }
}
