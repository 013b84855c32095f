using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Research.Core.Pipeline.Stages;

/// <summary>Prints the side-by-side table of every curve over the test block and writes summary.json.</summary>
public sealed class SummaryStage : IRunStage
{
    /// <inheritdoc />
    public string Name => "summary";

    /// <inheritdoc />
    public void Run(RunContext context)
    {
        double cash = context.Config.Benchmarks.InitialCash;
        var inv = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.AppendLine(string.Create(inv, $"  {"strategy",-26} {"final value",14} {"total",9} {"annual",8} {"max dd",8} {"costs",10} {"turnover",9}"));
        var rows = new List<Dictionary<string, object>>();
        foreach (var c in context.TestCurves)
        {
            double total = c.TotalReturn(cash);
            double years = c.Equity.Length / 252.0;
            double annual = Math.Pow(1 + total, 1 / years) - 1;
            double dd = c.MaxDrawdown();
            sb.AppendLine(string.Create(inv,
                $"  {c.Name,-26} {c.Equity[^1],14:N0} {total,9:P1} {annual,8:P1} {dd,8:P1} {c.Costs,10:N0} {c.Turnover,9:F2}"));
            rows.Add(new Dictionary<string, object>
            {
                ["strategy"] = c.Name, ["final_value"] = c.Equity[^1], ["total_return"] = total, ["annual_return"] = annual,
                ["max_drawdown"] = dd, ["costs"] = c.Costs, ["turnover"] = c.Turnover,
            });
            context.Metrics[$"test.{c.Name}.total_return"] = total;
            context.Metrics[$"test.{c.Name}.max_drawdown"] = dd;
        }

        context.Log.Write(sb.ToString());
        context.WriteArtifact("summary.json", JsonSerializer.Serialize(new { curves = rows, metrics = context.Metrics },
            new JsonSerializerOptions { WriteIndented = true }));
    }
}
