using System.Globalization;
using System.Text.Json;
using Research.Core.Evaluation;
using Research.Core.Evaluation.Reporting;
using Research.Core.IO;

namespace Research.Core.Pipeline.Stages;

/// <summary>
/// The run's tearsheet: the primary curve's returns.csv, the market benchmark's benchmark.csv, metadata.json, and a
/// self-contained tearsheet.html with every other curve overlaid. The folder is what <c>research report --run</c> reads.
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

        context.WriteArtifact("returns.csv", ReturnSeriesCsv.Format(primary.Dates, primary.Returns));
        if (benchmark is not null && benchmark != primary)
            context.WriteArtifact("benchmark.csv", ReturnSeriesCsv.Format(benchmark.Dates, benchmark.Returns));

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
        context.WriteArtifact("metadata.json", ArtifactJson.Serialize(metadata));

        var overlays = new Dictionary<string, double[]>();
        if (benchmark is not null && benchmark != primary) overlays[benchmark.Name] = benchmark.Returns;
        foreach (var c in curves)
            if (c != primary && c != benchmark) overlays[c.Name] = c.Returns;

        string path = Path.Combine(context.RunDirectory, "tearsheet.html");
        var data = new TearsheetData
        {
            Title = $"{context.Config.Name}: {primary.Name}",
            Dates = primary.Dates,
            Returns = primary.Returns,
            Benchmarks = overlays,
            Metadata = metadata,
            Options = SummaryStage.Annualised(context.PeriodsPerYear),
        };
        if (context.Backtests.TryGetValue(primary.Name, out var bt)) data = WithBacktest(data, bt, context);
        var result = Tearsheet.Write(path, data);
        context.Artifacts.Add("tearsheet.html");
        context.Log.WriteLine($"  tearsheet of {primary.Name} vs {overlays.Count} other curve(s): {result.Charts.Count} charts -> {path}");
    }

    /// <summary>Adds the engine's exposure, turnover, weights, cost breakdown and trades to the tearsheet.</summary>
    private static TearsheetData WithBacktest(TearsheetData data, Backtesting.BacktestResult bt, RunContext context)
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
        var index = bt.Dates.Select((d, i) => (d, i)).ToDictionary(x => x.d, x => x.i);
        foreach (var f in bt.Fills)
        {
            int i = index[f.Date];
            costs["commission"][i] += f.Costs.Commission;
            costs["spread"][i] += f.Costs.Spread;
            costs["slippage"][i] += f.Costs.Slippage;
            costs["impact"][i] += f.Costs.Impact;
        }

        var traded = bt.Fills.GroupBy(f => f.Symbol).OrderByDescending(g => g.Sum(f => Math.Abs(f.Quantity * f.Price))).First().Key;
        int tk = panel.TickerIndex(traded);
        int start = bt.Options.Start;
        var prices = new Dictionary<string, double[]> { [traded] = panel.Series(Data.PriceField.Close, tk)[start..(start + days)].ToArray() };
        return data with
        {
            Weights = weights,
            Exposure = bt.Daily.Select(d => d.Equity > 0 ? d.GrossExposure / d.Equity : 0).ToArray(),
            Turnover = bt.Daily.Select(d => d.Turnover).ToArray(),
            Costs = costs,
            Trades = bt.Fills.Where(f => f.Symbol == traded).Select(f => new TradeMarker(f.Date, f.Symbol, f.Quantity, f.Price)).ToArray(),
            Prices = prices,
        };
    }
}
