using System.Globalization;
using System.Net;
using System.Text;
using Plotly.NET;
using Research.Core.Evaluation.Reporting;

namespace Research.Core.Sweeps;

/// <summary>
/// The sweep's two Plotly.NET pictures, as self-contained HTML pages (plotly.js inlined, works offline): parallel
/// coordinates of the parameters against the metric (one line per trial with a value; choices on an index axis
/// labelled with their values), and the optimisation history (the metric of every trial by id, coloured by status,
/// and the best completed value so far).
/// </summary>
public static class SweepPlots
{
    /// <summary>Parallel coordinates of <paramref name="result"/>'s trials: one axis per parameter, the last the metric.</summary>
    public static GenericChart ParallelCoordinates(SweepResult result, SearchSpace space, string metric)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(space);
        var trials = result.Trials.Where(t => t.IsFinished && double.IsFinite(t.Value)).ToList();
        var dimensions = new List<object>();
        foreach (var p in space.Parameters)
        {
            if (p is ChoiceParameter choice)
            {
                var labels = choice.Values.Select(ParameterValues.Format).ToArray();
                dimensions.Add(new
                {
                    label = p.Key,
                    values = trials.Select(t => t.Trial.Parameters.TryGetValue(p.Key, out var v) ? (object)Index(choice, v) : null).ToArray(),
                    tickvals = Enumerable.Range(0, labels.Length).ToArray(),
                    ticktext = labels,
                });
            }
            else
            {
                dimensions.Add(new
                {
                    label = p.Key,
                    values = trials.Select(t => t.Trial.Has(p.Key) ? (object)t.Trial.Double(p.Key) : null).ToArray(),
                });
            }
        }

        var metricValues = trials.Select(t => t.Value).ToArray();
        dimensions.Add(new { label = metric, values = metricValues });
        var trace = new Trace("parcoords");
        trace.SetProperty("dimensions", dimensions.ToArray());
        trace.SetProperty("line", new
        {
            color = metricValues,
            colorscale = "Viridis",
            reversescale = result.Mode == OptimizationMode.Min,
            showscale = true,
            colorbar = new { title = new { text = metric } },
        });
        return Layout(GenericChart.ofTraceObjects(true, new List<Trace> { trace }),
            string.Create(CultureInfo.InvariantCulture, $"Parameters vs {metric} ({trials.Count} trials with a value)"), null, null);
    }

    /// <summary>The metric of every trial by id (coloured by status) and the best completed value so far.</summary>
    public static GenericChart History(SweepResult result, string metric)
    {
        ArgumentNullException.ThrowIfNull(result);
        var traces = new List<Trace>();
        var colors = new Dictionary<TrialState, string>
        {
            [TrialState.Completed] = "rgba(31, 119, 180, 0.9)",
            [TrialState.Killed] = "rgba(255, 127, 14, 0.8)",
        };
        foreach (var (state, color) in colors)
        {
            var points = result.Trials.Where(t => t.State == state && double.IsFinite(t.Value)).ToList();
            var trace = new Trace("scatter");
            trace.SetProperty("mode", "markers");
            trace.SetProperty("name", state == TrialState.Completed ? "completed" : "stopped early (last value)");
            trace.SetProperty("x", points.Select(t => (object)t.Trial.Id).ToArray());
            trace.SetProperty("y", points.Select(t => (object)t.Value).ToArray());
            trace.SetProperty("marker", new { color, size = 8 });
            traces.Add(trace);
        }

        var bestX = new List<object>();
        var bestY = new List<object>();
        double best = double.NaN;
        foreach (var t in result.Trials.Where(t => t.State == TrialState.Completed && double.IsFinite(t.Value)))
        {
            if (double.IsNaN(best) || (result.Mode == OptimizationMode.Min ? t.Value < best : t.Value > best)) best = t.Value;
            bestX.Add(t.Trial.Id);
            bestY.Add(best);
        }

        var line = new Trace("scatter");
        line.SetProperty("mode", "lines");
        line.SetProperty("line", new { shape = "hv", color = "rgba(214, 39, 40, 1.0)", width = 2 });
        line.SetProperty("name", "best so far");
        line.SetProperty("x", bestX.ToArray());
        line.SetProperty("y", bestY.ToArray());
        traces.Add(line);
        return Layout(GenericChart.ofTraceObjects(true, traces), $"Optimisation history: {metric} per trial", "trial id", metric);
    }

    /// <summary>A self-contained HTML page holding <paramref name="chart"/> under <paramref name="title"/> and a note.</summary>
    public static string Html(GenericChart chart, string title, string note)
    {
        ArgumentNullException.ThrowIfNull(chart);
        string figure = GenericChart.toFigureJson(chart).Replace("<", "\\u003c", StringComparison.Ordinal);
        string heading = WebUtility.HtmlEncode(title);
        var sb = new StringBuilder(4_000_000);
        sb.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>").Append(heading).Append("</title>\n")
            .Append("<style>body { font-family: -apple-system, \"Segoe UI\", Roboto, Helvetica, Arial, sans-serif; margin: 0 auto; max-width: 1100px; padding: 0 16px 32px; color: #1f2933; } p { color: #52606d; font-size: 13px; }</style>\n")
            .Append("<script>\n").Append(Tearsheet.PlotlyJs.Value).Append("\n</script>\n</head>\n<body>\n<h1>").Append(heading).Append("</h1>\n<p>")
            .Append(WebUtility.HtmlEncode(note))
            .Append("</p>\n<div id=\"plot\"></div>\n<script>\n(function () {\n  var fig = ").Append(figure)
            .Append(";\n  Plotly.newPlot('plot', fig.data, fig.layout, {responsive: true, displaylogo: false});\n})();\n</script>\n")
            .Append("</body>\n</html>\n");
        return sb.ToString();
    }

    private static int Index(ChoiceParameter choice, object value)
    {
        for (int i = 0; i < choice.Values.Count; i++)
        {
            if (ParameterValues.AreEqual(choice.Values[i], value)) return i;
        }

        return -1;
    }

    private static GenericChart Layout(GenericChart chart, string title, string? x, string? y)
    {
        var layout = GenericChart.getLayout(chart);
        layout.SetProperty("width", null);
        layout.SetProperty("autosize", true);
        layout.SetProperty("height", 520);
        layout.SetProperty("title", new { text = title });
        if (x is not null) layout.SetProperty("xaxis", new { title = new { text = x } });
        if (y is not null) layout.SetProperty("yaxis", new { title = new { text = y } });
        return GenericChart.setLayout(layout, chart);
    }
}
