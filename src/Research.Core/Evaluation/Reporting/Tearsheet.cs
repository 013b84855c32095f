using System.Globalization;
using System.Net;
using System.Reflection;
using System.Text;
using Plotly.NET;
using Research.Core.IO;

namespace Research.Core.Evaluation.Reporting;

/// <summary>What <see cref="Tearsheet.Write"/> produced.</summary>
/// <param name="Path">The HTML file.</param>
/// <param name="Charts">Ids of the charts drawn, in page order.</param>
/// <param name="Omitted">Ids of the charts left out, with the reason shown on the page.</param>
/// <param name="Report">The strategy's metrics (against the first benchmark, if any).</param>
public sealed record TearsheetResult(string Path, IReadOnlyList<string> Charts,
    IReadOnlyList<KeyValuePair<string, string>> Omitted, PerformanceReport Report);

/// <summary>
/// A run's tearsheet: one self-contained HTML page that works offline. plotly.js (the copy Plotly.NET embeds) is
/// inlined once in the head, and each chart is a Plotly.NET figure drawn into its own <c>div</c>. The page holds:
/// equity vs benchmarks with a linear/log toggle, underwater drawdown, rolling Sharpe and beta, a monthly returns
/// heatmap, yearly returns, the return distribution with VaR and ES marked, exposure and turnover, weights, cost
/// breakdown, trades on price, the metrics table and the run metadata.
/// </summary>
public static class Tearsheet
{
    /// <summary>Every chart id, in page order (the section of chart <c>id</c> is <c>chart-{id}</c>).</summary>
    public static IReadOnlyList<string> ChartIds { get; } =
    [
        "equity", "drawdown", "rolling-sharpe", "rolling-beta", "monthly-heatmap", "yearly-returns", "distribution",
        "exposure-turnover", "weights", "costs", "trades",
    ];

    /// <summary>Renders the page and writes it atomically (temp file beside <paramref name="path"/>, then a move).</summary>
    public static TearsheetResult Write(string path, TearsheetData data)
    {
        var (html, charts, report) = RenderCore(data);
        AtomicFile.WriteAllText(path, html);
        return new TearsheetResult(Path.GetFullPath(path),
            [.. charts.Where(c => c.Chart is not null).Select(c => c.Id)],
            [.. charts.Where(c => c.Chart is null).Select(c => new KeyValuePair<string, string>(c.Id, c.OmittedBecause!))],
            report);
    }

    /// <summary>The page as a string.</summary>
    public static string Render(TearsheetData data) => RenderCore(data).Html;

    private static (string Html, IReadOnlyList<TearsheetChart> Charts, PerformanceReport Report) RenderCore(TearsheetData data)
    {
        data.Validate();
        var (report, comparison) = Metrics(data);
        var charts = TearsheetCharts.Build(data);
        var inv = CultureInfo.InvariantCulture;
        var sb = new StringBuilder(4_000_000);
        string title = WebUtility.HtmlEncode(data.Title);
        sb.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
            .Append("<title>").Append(title).Append(" — tearsheet</title>\n<style>\n").Append(Css).Append("</style>\n")
            .Append("<script>\n").Append(PlotlyJs.Value).Append("\n</script>\n</head>\n<body>\n");
        sb.Append("<header><h1>").Append(title).Append("</h1><p>")
            .Append(string.Create(inv, $"{data.Dates[0]:yyyy-MM-dd} to {data.Dates[^1]:yyyy-MM-dd}, {data.Returns.Length:N0} periods"));
        if (data.Benchmarks.Count > 0)
            sb.Append(", benchmark").Append(data.Benchmarks.Count > 1 ? "s " : " ").Append(WebUtility.HtmlEncode(string.Join(", ", data.Benchmarks.Keys)));
        sb.Append(string.Create(inv, $". Annualised with {data.Options.Periods} periods a year, risk-free {data.Options.RiskFree:0.######} per period."))
            .Append("</p></header>\n");

        sb.Append("<nav>");
        foreach (var c in charts) sb.Append("<a href=\"#chart-").Append(c.Id).Append("\">").Append(WebUtility.HtmlEncode(c.Title)).Append("</a> ");
        sb.Append("<a href=\"#metrics\">Metrics</a> <a href=\"#metadata\">Run metadata</a></nav>\n");

        sb.Append("<div class=\"tables\">\n<section id=\"metrics\"><h2>Metrics</h2>\n").Append(comparison.ToTransposedHtml());
        var dd = report.MaxDrawdownDetails;
        sb.Append("<p class=\"note\">Max drawdown ").Append(MetricCatalog.FormatValue(MetricCatalog.Get("max_drawdown"), dd.MaxDrawdown))
            .Append(": peak ").Append(dd.PeakIndex < 0 ? (dd.TroughIndex < 0 ? "—" : "start") : $"{dd.PeakDate:yyyy-MM-dd}")
            .Append(", trough ").Append(dd.TroughDate?.ToString("yyyy-MM-dd", inv) ?? "—")
            .Append(", recovered ").Append(dd.RecoveryDate?.ToString("yyyy-MM-dd", inv) ?? "not yet").Append(".</p>\n</section>\n");
        sb.Append("<section id=\"metadata\"><h2>Run metadata</h2>\n<table class=\"metadata\">\n<tbody>\n");
        if (data.Metadata.Count == 0) sb.Append("<tr><td colspan=\"2\">No metadata was recorded for this run.</td></tr>\n");
        foreach (var (k, v) in data.Metadata)
            sb.Append("<tr><th>").Append(WebUtility.HtmlEncode(k)).Append("</th><td>").Append(WebUtility.HtmlEncode(v)).Append("</td></tr>\n");
        sb.Append("</tbody>\n</table>\n</section>\n</div>\n");

        foreach (var c in charts)
        {
            sb.Append("<section class=\"chart").Append(c.Chart is null ? " omitted" : "").Append("\" id=\"chart-").Append(c.Id).Append("\">\n<h2>")
                .Append(WebUtility.HtmlEncode(c.Title)).Append("</h2>\n");
            if (c.Chart is null)
            {
                sb.Append("<p class=\"note\">Omitted: ").Append(WebUtility.HtmlEncode(c.OmittedBecause!)).Append("</p>\n</section>\n");
                continue;
            }

            // The figure JSON goes into a script: '<' is written as \u003c so no string in it can close the tag.
            string figure = GenericChart.toFigureJson(c.Chart).Replace("<", "\\u003c", StringComparison.Ordinal);
            sb.Append("<div class=\"chart-plot\" id=\"plot-").Append(c.Id).Append("\"></div>\n<script>\n(function () {\n  var fig = ")
                .Append(figure).Append(";\n  Plotly.newPlot('plot-").Append(c.Id)
                .Append("', fig.data, fig.layout, {responsive: true, displaylogo: false});\n})();\n</script>\n</section>\n");
        }

        sb.Append("<footer>Generated by the Quant Research Workbench. Metrics follow empyrical 0.5.5; see docs/metrics.md.</footer>\n")
            .Append("</body>\n</html>\n");
        return (sb.ToString(), charts, report);
    }

    private static (PerformanceReport Report, MetricsComparison Table) Metrics(TearsheetData d)
    {
        var first = d.Benchmarks.FirstOrDefault();
        var report = PerformanceMetrics.Compute(d.Returns, first.Value ?? default, d.Options, d.Dates, d.Turnover ?? default,
            d.Exposure ?? default, first.Key);
        var rows = new List<(string, PerformanceReport)> { (d.Title, report) };
        foreach (var (name, b) in d.Benchmarks)
        {
            if (name == d.Title) continue;
            rows.Add((name, PerformanceMetrics.Compute(b, default, d.Options, d.Dates)));
        }

        var keys = MetricCatalog.All.Select(m => m.Key)
            .Where(k => (d.Turnover is not null || !k.Contains("turnover", StringComparison.Ordinal))
                        && (d.Exposure is not null || !(k.Contains("exposure", StringComparison.Ordinal) || k == "time_in_market"))
                        && (d.Benchmarks.Count > 0 || !MetricCatalog.Get(k).NeedsBenchmark));
        return (report, MetricsComparison.Build(rows, null, keys));
    }

    /// <summary>plotly.min.js as embedded in Plotly.NET, safe to inline in a script element.</summary>
    internal static readonly Lazy<string> PlotlyJs = new(() =>
    {
        var assembly = typeof(GenericChart).Assembly;
        string name = assembly.GetManifestResourceNames().SingleOrDefault(n => n.EndsWith(".min.js", StringComparison.Ordinal))
                      ?? throw new InvalidOperationException("Plotly.NET carries no embedded plotly.js; cannot write an offline tearsheet.");
        using var stream = assembly.GetManifestResourceStream(name)!;
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd().Replace("</script", "<\\/script", StringComparison.OrdinalIgnoreCase);
    });

    private const string Css = """
        body { font-family: -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif; margin: 0 auto; max-width: 1200px; padding: 0 16px 32px; color: #1f2933; }
        header h1 { margin: 16px 0 4px; font-size: 24px; }
        header p, .note, footer { color: #52606d; font-size: 13px; }
        nav { font-size: 12px; margin: 8px 0 16px; } nav a { margin-right: 10px; color: #2f6fb0; }
        h2 { font-size: 16px; margin: 20px 0 6px; }
        .tables { display: flex; flex-wrap: wrap; gap: 32px; }
        table { border-collapse: collapse; font-size: 13px; }
        th, td { padding: 3px 10px; border-bottom: 1px solid #e4e7eb; text-align: right; }
        th:first-child, table.metadata td { text-align: left; }
        table.metadata td { font-family: ui-monospace, Menlo, Consolas, monospace; word-break: break-all; max-width: 520px; }
        .chart-plot { width: 100%; min-height: 260px; }
        section.chart.omitted { border-left: 3px solid #cbd2d9; padding-left: 10px; }
        footer { margin-top: 32px; }
        """;
}
