using System.Globalization;
using System.Text;
using Research.Core.Backtesting;

namespace Research.Core.Pipeline.Stages;

/// <summary>Passive benchmark curves over the test block: buy-and-hold, equal weight, and the market index.</summary>
public sealed class BenchmarkStage : IRunStage
{
    /// <inheritdoc />
    public string Name => "benchmarks";

    /// <inheritdoc />
    public void Run(RunContext context)
    {
        var panel = context.RequireData().Panel;
        var test = context.RequireSplit().Test;
        var b = context.Config.Benchmarks;
        context.TestCurves.Add(PassivePortfolios.BuyAndHold(panel, test.Start, test.End, b.InitialCash, b.CostRate));
        context.TestCurves.Add(PassivePortfolios.EqualWeight(panel, test.Start, test.End, b.InitialCash, b.CostRate, b.Rebalance));
        if (context.BenchmarkIndex is { } index && !double.IsNaN(index[test.Start]))
        {
            string name = Path.GetFileNameWithoutExtension(context.Config.Data.Benchmark!).TrimStart('^');
            context.TestCurves.Add(PassivePortfolios.Index(name, index, panel.Calendar, test.Start, test.End, b.InitialCash));
            context.BenchmarkCurve = name;
        }

        context.WriteArtifact("equity.csv", ToCsv(context.TestCurves));
        context.Log.WriteLine($"  {context.TestCurves.Count} curves over the test block ({test.Length} {(context.Data?.Panel.Calendar.IsIntraday == true ? "bars" : "days")}), cost rate {b.CostRate:P2}: equity.csv");
    }

    /// <summary>Date plus one equity column per curve (all curves share dates), round-trip precision.</summary>
    public static string ToCsv(IReadOnlyList<EquityCurve> curves)
    {
        var sb = new StringBuilder();
        sb.Append("Date");
        foreach (var c in curves) sb.Append(',').Append(c.Name);
        sb.Append('\n');
        for (int i = 0; i < curves[0].Dates.Length; i++)
        {
            sb.Append(curves[0].Dates[i].ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
            foreach (var c in curves) sb.Append(',').Append(c.Equity[i].ToString("R", CultureInfo.InvariantCulture));
            sb.Append('\n');
        }

        return sb.ToString();
    }
}
