using System.Text.Json;
using Research.Core.Backtesting;
using Research.Core.Evaluation;
using Research.Core.IO;

namespace Research.Core.Pipeline.Stages;

/// <summary>
/// The run's metrics table: every curve over the test block measured with the empyrical-exact metric set against
/// the market benchmark, printed side by side and written as summary.json and metrics.md.
/// </summary>
public sealed class SummaryStage : IRunStage
{
    /// <inheritdoc />
    public string Name => "summary";

    /// <inheritdoc />
    public void Run(RunContext context)
    {
        if (context.TestCurves.Count == 0) throw new InvalidOperationException("No curves to summarise: the benchmark stage has not run.");
        var benchmark = context.BenchmarkCurve is { } b ? context.TestCurves.Single(c => c.Name == b) : null;
        var runs = new List<(string Name, PerformanceReport Report)>();
        (string, PerformanceReport)? benchmarkRow = null;
        foreach (var curve in context.TestCurves)
        {
            var report = context.Trials.TryGetValue(curve.Name, out var trials)
                ? Measure(curve, benchmark, trials.Length, trials.Length < 2 ? 0 : Math.Pow(NumPy.NanStd(trials, 1), 2), context.PeriodsPerYear)
                : Measure(curve, benchmark, periods: context.PeriodsPerYear);
            context.Reports[curve.Name] = report;
            foreach (var key in MetricCatalog.Headline)
            {
                double v = report[key];
                if (double.IsFinite(v)) context.Metrics[$"test.{curve.Name}.{key}"] = v;
            }

            context.Metrics[$"test.{curve.Name}.costs"] = curve.Costs;
            context.Metrics[$"test.{curve.Name}.turnover"] = curve.Turnover;
            if (curve == benchmark) benchmarkRow = (curve.Name, report);
            else runs.Add((curve.Name, report));
        }

        var table = MetricsComparison.Build(runs, benchmarkRow);
        var test = context.TestCurves[0].Dates;
        context.Log.WriteLine($"  test block {test[0]:yyyy-MM-dd}..{test[^1]:yyyy-MM-dd} ({test.Length} {(context.Data?.Panel.Calendar.IsIntraday == true ? "bars" : "days")}), costs on; * = benchmark");
        context.Log.Write(table.ToText());
        context.WriteArtifact("metrics.md", table.ToMarkdown());
        var curves = context.TestCurves.Select(c => new Dictionary<string, object>
        {
            ["strategy"] = c.Name,
            ["final_value"] = c.Equity[^1],
            ["costs"] = c.Costs,
            ["turnover"] = c.Turnover,
            ["metrics"] = context.Reports[c.Name].Values.ToDictionary(kv => kv.Key, kv => kv.Value),
        }).ToList();
        context.WriteArtifact("summary.json", ArtifactJson.Serialize(
            new { benchmark = context.BenchmarkCurve, curves, metrics = context.Metrics }));
    }

    /// <summary>
    /// The full metric set of <paramref name="curve"/>, with alpha and beta against <paramref name="benchmark"/> when
    /// given, and its Sharpe deflated for <paramref name="trials"/> configurations tried (Sharpe variance <paramref name="trialSharpeVariance"/>).
    /// </summary>
    public static PerformanceReport Measure(EquityCurve curve, EquityCurve? benchmark, int trials = 1, double trialSharpeVariance = 0, int periods = 252) =>
        benchmark is null || benchmark == curve
            ? PerformanceMetrics.Compute(curve.Returns, options: Annualised(periods), dates: curve.Dates, trials: trials, trialSharpeVariance: trialSharpeVariance)
            : PerformanceMetrics.Compute(curve.Returns, benchmark.Returns, Annualised(periods), dates: curve.Dates, benchmarkName: benchmark.Name, trials: trials, trialSharpeVariance: trialSharpeVariance);

    /// <summary>Metric options annualising with <paramref name="periods"/> bars a year (the default's for 252).</summary>
    public static MetricsOptions Annualised(int periods) => periods == MetricsOptions.Default.Periods ? MetricsOptions.Default : MetricsOptions.Default with { Periods = periods };
}
