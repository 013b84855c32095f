using System.Globalization;
using Plotly.NET;

namespace Research.Core.Evaluation.Reporting;

/// <summary>One chart of the tearsheet: built as a Plotly.NET figure, or omitted with the reason.</summary>
/// <param name="Id">Stable id (the section is <c>chart-{Id}</c>, the plot div <c>plot-{Id}</c>).</param>
/// <param name="Title">Heading.</param>
/// <param name="Chart">The figure; null when omitted.</param>
/// <param name="OmittedBecause">Why the chart is absent; null when drawn.</param>
internal sealed record TearsheetChart(string Id, string Title, GenericChart? Chart, string? OmittedBecause);

/// <summary>The tearsheet's charts, built with Plotly.NET traces and layouts (plotly.js property names throughout).</summary>
internal static class TearsheetCharts
{
    private const string Red = "rgba(214, 39, 40, 1.0)";
    private const string Green = "rgba(44, 160, 44, 1.0)";

    public static IReadOnlyList<TearsheetChart> Build(TearsheetData d)
    {
        var x = d.Dates.Select(Iso).ToArray();
        var charts = new List<TearsheetChart>
        {
            Equity(d, x),
            new("drawdown", "Underwater (drawdown)", Figure(
                [Trace("scatter", ("x", x), ("y", Percent(Drawdown.Underwater(d.Returns))), ("name", "drawdown"), ("fill", "tozeroy"),
                    ("mode", "lines"), ("line", new { color = Red, width = 1 }))],
                Layout("Drawdown (%)", ("showlegend", false))), null),
            RollingSharpe(d, x),
            RollingBeta(d, x),
            MonthlyHeatmap(d),
            YearlyBars(d),
            Distribution(d),
            ExposureTurnover(d, x),
            Weights(d, x),
            Costs(d, x),
            Trades(d, x),
        };
        return charts;
    }

    private static TearsheetChart Equity(TearsheetData d, string[] x)
    {
        var traces = new List<Trace>
        {
            Trace("scatter", ("x", x), ("y", Values(ReturnMetrics.CumulativeReturns(d.Returns, 1))), ("name", d.Title), ("mode", "lines"),
                ("line", new { width = 2 })),
        };
        foreach (var (name, b) in d.Benchmarks)
        {
            traces.Add(Trace("scatter", ("x", x), ("y", Values(ReturnMetrics.CumulativeReturns(b, 1))), ("name", name), ("mode", "lines"),
                ("line", new { width = 1.5, dash = "dot" })));
        }

        var layout = Layout("Growth of 1", ("updatemenus", new object[]
        {
            new Dictionary<string, object>
            {
                ["type"] = "buttons", ["direction"] = "right", ["x"] = 0, ["xanchor"] = "left", ["y"] = 1.12, ["yanchor"] = "bottom",
                ["showactive"] = true,
                ["buttons"] = new object[]
                {
                    new Dictionary<string, object> { ["label"] = "Linear", ["method"] = "relayout", ["args"] = new object[] { new Dictionary<string, object> { ["yaxis.type"] = "linear" } } },
                    new Dictionary<string, object> { ["label"] = "Log", ["method"] = "relayout", ["args"] = new object[] { new Dictionary<string, object> { ["yaxis.type"] = "log" } } },
                },
            },
        }));
        return new("equity", d.Benchmarks.Count == 0 ? "Equity" : "Equity vs benchmark", Figure(traces, layout), null);
    }

    private static TearsheetChart RollingSharpe(TearsheetData d, string[] x)
    {
        int w = d.RollingWindow;
        const string title = "Rolling Sharpe ratio";
        if (d.Returns.Length < w) return Omitted("rolling-sharpe", title, $"fewer than {w} returns ({d.Returns.Length}).");
        var rs = Rolling.SharpeRatio(d.Returns, w, d.Options.RiskFree, d.Options.Periods);
        return new("rolling-sharpe", $"{title} ({w} periods)", Figure(
            [Trace("scatter", ("x", x[(w - 1)..]), ("y", Values(rs)), ("name", "rolling Sharpe"), ("mode", "lines"))],
            Layout("Sharpe (annualised)", ("showlegend", false),
                ("shapes", new object[] { HLine(RatioMetrics.SharpeRatio(d.Returns, d.Options.RiskFree, d.Options.Periods), "full period") }))), null);
    }

    private static TearsheetChart RollingBeta(TearsheetData d, string[] x)
    {
        int w = d.RollingWindow;
        const string title = "Rolling beta";
        if (d.Benchmarks.Count == 0) return Omitted("rolling-beta", title, "no benchmark was given.");
        if (d.Returns.Length < w) return Omitted("rolling-beta", title, $"fewer than {w} returns ({d.Returns.Length}).");
        var traces = d.Benchmarks.Select(kv => Trace("scatter", ("x", x[(w - 1)..]), ("y", Values(Rolling.Beta(d.Returns, kv.Value, w))),
            ("name", $"vs {kv.Key}"), ("mode", "lines"))).ToList();
        return new("rolling-beta", $"{title} ({w} periods)", Figure(traces, Layout("Beta")), null);
    }

    private static TearsheetChart MonthlyHeatmap(TearsheetData d)
    {
        var monthly = PeriodReturns.Monthly(d.Dates, d.Returns);
        var years = monthly.Select(m => m.Year).Distinct().ToArray();
        var z = years.Select(y => Enumerable.Range(1, 12).Select(mo =>
        {
            var hit = monthly.FirstOrDefault(m => m.Year == y && m.Month == mo);
            return hit.Year == 0 ? (object?)null : Math.Round(hit.Return * 100, 4);
        }).ToArray()).ToArray();
        string[] months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
        var trace = Trace("heatmap", ("z", z), ("x", months), ("y", years.Select(y => y.ToString(CultureInfo.InvariantCulture)).ToArray()),
            ("colorscale", new object[] { new object[] { 0, "#d73027" }, new object[] { 0.5, "#ffffbf" }, new object[] { 1, "#1a9850" } }), ("zmid", 0),
            ("text", z.Select(row => row.Select(v => v is double p ? p.ToString("0.0", CultureInfo.InvariantCulture) : "").ToArray()).ToArray()),
            ("texttemplate", "%{text}"), ("hoverongaps", false),
            ("colorbar", new { title = new { text = "%" } }));
        var layout = Layout("Year", ("yaxis", new { type = "category", autorange = "reversed", title = new { text = "Year" } }),
            ("height", Math.Max(260, 60 + 28 * years.Length)));
        return new("monthly-heatmap", "Monthly returns (%)", Figure([trace], layout), null);
    }

    private static TearsheetChart YearlyBars(TearsheetData d)
    {
        var traces = new List<Trace> { YearTrace(d.Title, PeriodReturns.Yearly(d.Dates, d.Returns)) };
        foreach (var (name, b) in d.Benchmarks) traces.Add(YearTrace(name, PeriodReturns.Yearly(d.Dates, b)));
        return new("yearly-returns", "Yearly returns (%)", Figure(traces,
            Layout("Return (%)", ("barmode", "group"), ("xaxis", new { type = "category" }))), null);

        static Trace YearTrace(string name, IReadOnlyList<PeriodReturn> years) =>
            Trace("bar", ("x", years.Select(y => y.Year.ToString(CultureInfo.InvariantCulture)).ToArray()),
                ("y", years.Select(y => (object?)Math.Round(y.Return * 100, 6)).ToArray()), ("name", name));
    }

    private static TearsheetChart Distribution(TearsheetData d)
    {
        var valid = d.Returns.Where(r => !double.IsNaN(r)).ToArray();
        if (valid.Length == 0) return Omitted("distribution", "Return distribution", "every return is missing.");
        double var = RiskMetrics.ValueAtRisk(valid, d.Options.Cutoff);
        double es = RiskMetrics.ConditionalValueAtRisk(valid, d.Options.Cutoff);
        string pct = (d.Options.Cutoff * 100).ToString("0.##", CultureInfo.InvariantCulture);
        var shapes = new object[] { VLine(var * 100, Red, "dash"), VLine(es * 100, "rgba(148, 103, 189, 1.0)", "dot") };
        var annotations = new object[]
        {
            Label(var * 100, 1.0, $"VaR {pct}%: {var * 100:0.00}%", Red),
            Label(es * 100, 0.88, $"ES {pct}%: {es * 100:0.00}%", "rgba(148, 103, 189, 1.0)"),
        };
        return new("distribution", "Distribution of period returns", Figure(
            [Trace("histogram", ("x", Values(valid.Select(v => v * 100).ToArray())), ("nbinsx", 60), ("name", "returns"),
                ("marker", new { color = "rgba(31, 119, 180, 0.75)" }))],
            Layout("Count", ("showlegend", false), ("shapes", shapes), ("annotations", annotations),
                ("xaxis", new { title = new { text = "Return (%)" } }))), null);
    }

    private static TearsheetChart ExposureTurnover(TearsheetData d, string[] x)
    {
        const string title = "Exposure and turnover";
        if (d.Exposure is null && d.Turnover is null) return Omitted("exposure-turnover", title, "the backtester gave no exposure or turnover series.");
        var traces = new List<Trace>();
        if (d.Exposure is not null)
            traces.Add(Trace("scatter", ("x", x), ("y", Percent(d.Exposure)), ("name", "gross exposure (%)"), ("mode", "lines")));
        if (d.Turnover is not null)
            traces.Add(Trace("bar", ("x", x), ("y", Percent(d.Turnover)), ("name", "turnover (%)"), ("yaxis", "y2"), ("opacity", 0.6)));
        return new("exposure-turnover", title, Figure(traces, Layout("Exposure (%)",
            ("yaxis2", new { title = new { text = "Turnover (%)" }, overlaying = "y", side = "right", showgrid = false }))), null);
    }

    private static TearsheetChart Weights(TearsheetData d, string[] x)
    {
        const string title = "Weights over time";
        if (d.Weights is null || d.Weights.Count == 0) return Omitted("weights", title, "no portfolio weights were given.");
        var traces = d.Weights.Select(kv => Trace("scatter", ("x", x), ("y", Percent(kv.Value)), ("name", kv.Key), ("mode", "lines"),
            ("stackgroup", "weights"), ("line", new { width = 0.5 }))).ToList();
        return new("weights", title, Figure(traces, Layout("Weight (%)")), null);
    }

    private static TearsheetChart Costs(TearsheetData d, string[] x)
    {
        const string title = "Cost breakdown";
        if (d.Costs is null || d.Costs.Count == 0) return Omitted("costs", title, "no cost series were given.");
        var traces = d.Costs.Select(kv =>
        {
            var cum = new double[kv.Value.Length];
            double acc = 0;
            for (int i = 0; i < cum.Length; i++)
            {
                if (!double.IsNaN(kv.Value[i])) acc += kv.Value[i];
                cum[i] = acc;
            }

            return Trace("scatter", ("x", x), ("y", Percent(cum)), ("name", $"{kv.Key} (total {acc * 100:0.00}%)"), ("mode", "lines"),
                ("stackgroup", "costs"));
        }).ToList();
        return new("costs", $"{title} (cumulative, % of equity)", Figure(traces, Layout("Cumulative cost (%)")), null);
    }

    private static TearsheetChart Trades(TearsheetData d, string[] x)
    {
        const string title = "Trades on price";
        if (d.Trades is null || d.Trades.Count == 0) return Omitted("trades", title, "no trades were given.");
        const int maxSymbols = 6;
        var symbols = d.Trades.GroupBy(t => t.Symbol).OrderByDescending(g => g.Count()).Take(maxSymbols).Select(g => g.Key).ToList();
        var traces = new List<Trace>();
        foreach (var s in symbols)
        {
            if (d.Prices is not null && d.Prices.TryGetValue(s, out var p))
                traces.Add(Trace("scatter", ("x", x), ("y", Values(p)), ("name", $"{s} price"), ("mode", "lines"), ("line", new { width = 1 })));
            var buys = d.Trades.Where(t => t.Symbol == s && t.Quantity > 0).ToList();
            var sells = d.Trades.Where(t => t.Symbol == s && t.Quantity < 0).ToList();
            if (buys.Count > 0) traces.Add(Markers($"{s} buy", buys, "triangle-up", Green));
            if (sells.Count > 0) traces.Add(Markers($"{s} sell", sells, "triangle-down", Red));
        }

        int more = d.Trades.Select(t => t.Symbol).Distinct().Count() - symbols.Count;
        return new("trades", more > 0 ? $"{title} (the {maxSymbols} most traded of {symbols.Count + more} symbols)" : title,
            Figure(traces, Layout("Price")), null);

        static Trace Markers(string name, List<TradeMarker> trades, string symbol, string color) =>
            Trace("scatter", ("x", trades.Select(t => Iso(t.Date)).ToArray()), ("y", trades.Select(t => (object?)t.Price).ToArray()),
                ("name", name), ("mode", "markers"), ("marker", new { symbol, color, size = 9 }),
                ("text", trades.Select(t => t.Quantity.ToString("0.####", CultureInfo.InvariantCulture)).ToArray()),
                ("hovertemplate", "%{x}<br>%{y}<br>qty %{text}<extra>" + name + "</extra>"));
    }

    private static TearsheetChart Omitted(string id, string title, string why) => new(id, title, null, why);

    private static Trace Trace(string type, params (string Name, object? Value)[] properties)
    {
        var t = new Trace(type);
        foreach (var (name, value) in properties) t.SetProperty(name, value);
        return t;
    }

    private static (string, object?)[] Base(string yTitle) =>
    [
        ("height", 420), ("margin", new { l = 60, r = 30, t = 40, b = 40 }), ("hovermode", "x unified"),
        ("yaxis", new { title = new { text = yTitle } }), ("legend", new { orientation = "h", y = -0.15 }),
    ];

    private static (string, object?)[] Layout(string yTitle, params (string, object?)[] extra) => [.. Base(yTitle), .. extra];

    private static GenericChart Figure(IEnumerable<Trace> traces, (string Name, object? Value)[] layout)
    {
        var chart = GenericChart.ofTraceObjects(true, traces.ToList());
        var l = GenericChart.getLayout(chart);
        l.SetProperty("width", null);
        l.SetProperty("autosize", true);
        foreach (var (name, value) in layout) l.SetProperty(name, value);
        return GenericChart.setLayout(l, chart);
    }

    private static object HLine(double y, string label) => new
    {
        type = "line", xref = "paper", x0 = 0, x1 = 1, yref = "y", y0 = double.IsFinite(y) ? y : 0, y1 = double.IsFinite(y) ? y : 0,
        line = new { color = "rgba(127, 127, 127, 1.0)", dash = "dash", width = 1 }, name = label,
    };

    private static object VLine(double x, string color, string dash) => new
    {
        type = "line", xref = "x", yref = "paper", x0 = x, x1 = x, y0 = 0, y1 = 1, line = new { color, dash, width = 2 },
    };

    private static object Label(double x, double y, string text, string color) => new
    {
        x, y, xref = "x", yref = "paper", text, showarrow = false, xanchor = "right", font = new { color },
    };

    private static string Iso(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static object?[] Values(double[] v) => [.. v.Select(x => double.IsFinite(x) ? (object?)x : null)];

    private static object?[] Percent(double[] v) => [.. v.Select(x => double.IsFinite(x) ? (object?)(x * 100) : null)];
}
