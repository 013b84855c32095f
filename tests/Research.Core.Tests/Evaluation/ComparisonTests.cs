using Microsoft.Data.Analysis;
using Research.Core.Evaluation;

namespace Research.Core.Tests.Evaluation;

public class ComparisonTests
{
    private static MetricsComparison Table()
    {
        var a = PerformanceMetrics.Compute(ReferenceSeries.S1, ReferenceSeries.B1);
        var b = PerformanceMetrics.Compute(ReferenceSeries.Strategy(300));
        var bm = PerformanceMetrics.Compute(ReferenceSeries.B1);
        return MetricsComparison.Build([("mom|v1", a), ("<carry>", b)], ("benchmark", bm), ["sharpe_ratio", "max_drawdown", "beta"]);
    }

    [Fact]
    public void DataFrame_has_a_row_per_run_plus_benchmark()
    {
        DataFrame df = Table().ToDataFrame();
        Assert.Equal(3, df.Rows.Count);
        Assert.Equal(["run", "sharpe_ratio", "max_drawdown", "beta"], df.Columns.Select(c => c.Name));
        Assert.Equal("benchmark", df.Columns["run"][2]);
        Near.Equal(ReferenceSeries.S1Expected["sharpe_ratio"], (double)df.Columns["sharpe_ratio"][0]!, 1e-10);
        Assert.Null(df.Columns["beta"][1]); // no benchmark for that run: NaN shown as null
    }

    [Fact]
    public void Markdown_and_html()
    {
        var t = Table();
        string md = t.ToMarkdown();
        var lines = md.TrimEnd().Split('\n');
        Assert.Equal("| Run | Sharpe ratio | Max drawdown | Beta |", lines[0]);
        Assert.Equal("|---|---:|---:|---:|", lines[1]);
        Assert.Equal("| mom\\|v1 | 3.6098 | -2.00% | 1.6471 |", lines[2]);
        Assert.StartsWith("| *benchmark* |", lines[4]);
        Assert.Contains("| — |", lines[3]);
        string html = t.ToHtml();
        Assert.Contains("<th>&lt;carry&gt;</th>", html);
        Assert.Contains("<tr class=\"benchmark\">", html);
        Assert.Contains("data-value=\"NaN\"", html);
        Assert.Throws<ArgumentException>(() => MetricsComparison.Build([("x", PerformanceMetrics.Compute(ReferenceSeries.S1)), ("x", PerformanceMetrics.Compute(ReferenceSeries.S1))]));
    }

    [Fact]
    public void Text_is_one_aligned_line_per_metric_with_the_benchmark_starred()
    {
        var lines = Table().ToText().TrimEnd('\n').Split('\n');
        Assert.Equal(4, lines.Length);
        Assert.Equal(["metric", "mom|v1", "<carry>", "benchmark*"], lines[0].Split(' ', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal(["Sharpe", "ratio", "3.6098"], lines[1].Split(' ', StringSplitOptions.RemoveEmptyEntries)[..3]);
        Assert.Contains("—", lines[3]);
        Assert.All(lines, l => Assert.Equal(lines[0].Length, l.Length));
    }
}
