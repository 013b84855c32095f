using System.Globalization;
using System.Net;
using System.Text;
using Plotly.NET;
using Research.Core.Models;

namespace Research.Core.Evaluation.Reporting;

/// <summary>
/// The permutation test's picture: a histogram of the shuffled-target models' test ICs with the real model's IC as a
/// vertical line, as a Plotly.NET figure or a self-contained HTML page (plotly.js inlined, works offline).
/// </summary>
public static class PermutationHistogram
{
    /// <summary>The figure: null ICs as a histogram, the real IC and the null mean as vertical lines.</summary>
    public static GenericChart Figure(SignificanceResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var inv = CultureInfo.InvariantCulture;
        var nulls = result.NullIcs.Where(double.IsFinite).Select(v => (object)v).ToArray();
        var histogram = new Trace("histogram");
        histogram.SetProperty("x", nulls);
        histogram.SetProperty("nbinsx", Math.Clamp(nulls.Length, 5, 40));
        histogram.SetProperty("name", "shuffled-target models");
        histogram.SetProperty("marker", new { color = "rgba(127, 127, 127, 0.7)" });
        var chart = GenericChart.ofTraceObjects(true, new List<Trace> { histogram });
        var layout = GenericChart.getLayout(chart);
        layout.SetProperty("width", null);
        layout.SetProperty("autosize", true);
        layout.SetProperty("height", 420);
        layout.SetProperty("bargap", 0.05);
        layout.SetProperty("showlegend", false);
        layout.SetProperty("title", new
        {
            text = string.Create(inv, $"Test IC: real model vs {result.Permutations} shuffled-target models (p = {result.PValue:F3})"),
        });
        layout.SetProperty("xaxis", new { title = new { text = "mean daily rank IC, test block" } });
        layout.SetProperty("yaxis", new { title = new { text = "models" } });
        var shapes = new List<object> { VLine(result.RealIc, "rgba(214, 39, 40, 1.0)", "solid") };
        var annotations = new List<object> { Label(result.RealIc, 1.0, string.Create(inv, $"real {result.RealIc:F4}"), "rgba(214, 39, 40, 1.0)") };
        if (double.IsFinite(result.NullMean))
        {
            shapes.Add(VLine(result.NullMean, "rgba(31, 119, 180, 1.0)", "dash"));
            annotations.Add(Label(result.NullMean, 0.9, string.Create(inv, $"null mean {result.NullMean:F4}"), "rgba(31, 119, 180, 1.0)"));
        }

        layout.SetProperty("shapes", shapes.ToArray());
        layout.SetProperty("annotations", annotations.ToArray());
        return GenericChart.setLayout(layout, chart);
    }

    /// <summary>A self-contained HTML page with the figure and the test's numbers.</summary>
    public static string Html(SignificanceResult result, string title)
    {
        var inv = CultureInfo.InvariantCulture;
        string figure = GenericChart.toFigureJson(Figure(result)).Replace("<", "\\u003c", StringComparison.Ordinal);
        string heading = WebUtility.HtmlEncode(title);
        var sb = new StringBuilder(4_000_000);
        sb.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>").Append(heading).Append("</title>\n")
            .Append("<style>body { font-family: -apple-system, \"Segoe UI\", Roboto, Helvetica, Arial, sans-serif; margin: 0 auto; max-width: 1000px; padding: 0 16px 32px; color: #1f2933; } p { color: #52606d; font-size: 13px; }</style>\n")
            .Append("<script>\n").Append(Tearsheet.PlotlyJs.Value).Append("\n</script>\n</head>\n<body>\n<h1>").Append(heading).Append("</h1>\n<p>")
            .Append(WebUtility.HtmlEncode(string.Create(inv,
                $"Real test IC {result.RealIc:F4}; null mean {result.NullMean:F4}, std {result.NullStd:F4} over {result.Permutations} shuffled-target models; " +
                $"one-sided p = (1 + #{{null ≥ real}}) / (N + 1) = {result.PValue:F4}; seed {result.Seed}.")))
            .Append("</p>\n<div id=\"plot-permutations\"></div>\n<script>\n(function () {\n  var fig = ").Append(figure)
            .Append(";\n  Plotly.newPlot('plot-permutations', fig.data, fig.layout, {responsive: true, displaylogo: false});\n})();\n</script>\n")
            .Append("</body>\n</html>\n");
        return sb.ToString();
    }

    private static object VLine(double x, string color, string dash) => new
    {
        type = "line", xref = "x", yref = "paper", x0 = x, x1 = x, y0 = 0, y1 = 1, line = new { color, dash, width = 2 },
    };

    private static object Label(double x, double y, string text, string color) => new
    {
        x, y, xref = "x", yref = "paper", text, showarrow = false, xanchor = "left", font = new { color },
    };
}
