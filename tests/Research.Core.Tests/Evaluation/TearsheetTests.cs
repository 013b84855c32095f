using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Research.Core.Evaluation.Reporting;
using Xunit.Abstractions;

namespace Research.Core.Tests.Evaluation;

public class TearsheetTests(ITestOutputHelper output)
{
    [Fact]
    public void Page_is_self_contained_with_every_chart_and_escaped_text()
    {
        string dir = TestPaths.NewTempDir();
        string path = Path.Combine(dir, "sub", "report.html");
        var result = Tearsheet.Write(path, TearsheetSamples.Full());
        Assert.Equal(Tearsheet.ChartIds, result.Charts);
        Assert.Empty(result.Omitted);
        string html = File.ReadAllText(path);
        Assert.Contains("plotly.js v2.", html);                  // inlined, not fetched
        Assert.DoesNotContain("<script src", html);
        Assert.DoesNotContain("<link", html);                    // no external stylesheet either
        Assert.DoesNotContain("<b>not bold</b>", html);          // metadata is HTML-encoded
        Assert.Contains("&lt;/script&gt;&lt;b&gt;not bold&lt;/b&gt;", html);
        Assert.Contains("momentum &lt;v2&gt; &amp; co", html);
        Assert.Contains("\"yaxis.type\":\"log\"", html);          // the log toggle
        Assert.Single(Directory.GetFiles(Path.Combine(dir, "sub")));       // no temp file left behind
        foreach (var id in Tearsheet.ChartIds) Assert.Contains($"id=\"plot-{id}\"", html);
    }

    [Fact]
    public void Charts_without_their_input_are_omitted_with_a_note()
    {
        string path = Path.Combine(TestPaths.NewTempDir(), "min.html");
        var result = Tearsheet.Write(path, TearsheetSamples.Minimal());
        Assert.Equal(["equity", "drawdown", "monthly-heatmap", "yearly-returns", "distribution"], result.Charts);
        var omitted = result.Omitted.ToDictionary(kv => kv.Key, kv => kv.Value);
        Assert.Equal("fewer than 126 returns (60).", omitted["rolling-sharpe"]);
        Assert.Equal("no benchmark was given.", omitted["rolling-beta"]);
        Assert.Contains("no portfolio weights", omitted["weights"]);
        string html = File.ReadAllText(path);
        Assert.Contains("Omitted: no trades were given.", html);
        Assert.Throws<ArgumentException>(() => Tearsheet.Render(TearsheetSamples.Minimal() with { Returns = [0.1] }));
    }

    [Fact]
    public void Every_chart_draws_in_headless_chromium_without_script_errors()
    {
        string? chromium = Chromium.Require(output);
        if (chromium is null) return;
        string dir = TestPaths.NewTempDir();
        string page = Path.Combine(dir, "report.html");
        Tearsheet.Write(page, TearsheetSamples.Full());

        // Instrumented copy: record errors before anything else runs, and report each plot's state and box at the end.
        string html = File.ReadAllText(page);
        const string catcher = "<script>window.__errors=[];window.addEventListener('error',function(e){window.__errors.push(String(e.message||e.error))});" +
                               "window.addEventListener('unhandledrejection',function(e){window.__errors.push('rejection: '+String(e.reason))});</script>";
        const string reporter = """
            <script>setTimeout(function () {
              var out = {errors: window.__errors, height: document.documentElement.scrollHeight, plots: []};
              document.querySelectorAll('section.chart:not(.omitted) > div.chart-plot').forEach(function (el) {
                var r = el.getBoundingClientRect();
                out.plots.push({id: el.id, svg: el.querySelectorAll('.main-svg').length, traces: el.querySelectorAll('.trace, .hm, image').length,
                                x: r.left + window.scrollX, y: r.top + window.scrollY, w: r.width, h: r.height});
              });
              var pre = document.createElement('pre'); pre.id = 'test-report'; pre.textContent = JSON.stringify(out);
              document.body.appendChild(pre);
            }, 1500);</script>
            """;
        html = html.Replace("<head>\n", "<head>\n" + catcher + "\n", StringComparison.Ordinal).Replace("</body>", reporter + "</body>", StringComparison.Ordinal);
        string instrumented = Path.Combine(dir, "instrumented.html");
        File.WriteAllText(instrumented, html);
        string url = new Uri(instrumented).AbsoluteUri;
        const string size = "--window-size=1280,8000";

        var dom = Chromium.Run(chromium, TimeSpan.FromMinutes(3), size, "--virtual-time-budget=20000", "--dump-dom", url);
        Assert.True(dom.Code == 0, $"chromium --dump-dom exited {dom.Code}: {dom.Stderr[^Math.Min(2000, dom.Stderr.Length)..]}");
        var m = Regex.Match(dom.Stdout, "<pre id=\"test-report\">(.*?)</pre>", RegexOptions.Singleline);
        Assert.True(m.Success, "the page's report script never ran");
        using var report = JsonDocument.Parse(WebUtility.HtmlDecode(m.Groups[1].Value));
        var root = report.RootElement;
        var errors = root.GetProperty("errors").EnumerateArray().Select(e => e.GetString()).ToList();
        Assert.True(errors.Count == 0, "JavaScript errors: " + string.Join("; ", errors));
        Assert.DoesNotContain("Uncaught", dom.Stderr);

        // Every chart's div got a rendered plot in the DOM.
        foreach (var id in Tearsheet.ChartIds)
        {
            int start = dom.Stdout.IndexOf($"id=\"plot-{id}\"", StringComparison.Ordinal);
            Assert.True(start >= 0, $"plot-{id} missing from the DOM");
            int end = dom.Stdout.IndexOf("</section>", start, StringComparison.Ordinal);
            Assert.Contains("class=\"main-svg\"", dom.Stdout[start..end]);
        }

        var plots = root.GetProperty("plots").EnumerateArray().ToList();
        Assert.Equal(Tearsheet.ChartIds.Select(id => "plot-" + id), plots.Select(p => p.GetProperty("id").GetString()));
        Assert.All(plots, p => Assert.True(p.GetProperty("svg").GetInt32() >= 1 && p.GetProperty("h").GetDouble() > 150,
            $"{p.GetProperty("id").GetString()} did not draw: {p}"));
        Assert.True(root.GetProperty("height").GetDouble() < 8000, "the page outgrew the screenshot window");

        // The screenshot of each plot's box is not blank: many non-background pixels and several colours.
        string shot = Path.Combine(dir, "shot.png");
        var sc = Chromium.Run(chromium, TimeSpan.FromMinutes(3), size, "--virtual-time-budget=20000", $"--screenshot={shot}", url);
        Assert.True(sc.Code == 0 && File.Exists(shot), $"chromium --screenshot exited {sc.Code}");
        var png = Png.Read(shot);
        foreach (var p in plots)
        {
            int x0 = (int)p.GetProperty("x").GetDouble(), y0 = (int)p.GetProperty("y").GetDouble();
            int x1 = Math.Min(png.Width, x0 + (int)p.GetProperty("w").GetDouble()), y1 = Math.Min(png.Height, y0 + (int)p.GetProperty("h").GetDouble());
            int inked = 0, total = 0;
            var colours = new HashSet<int>();
            for (int y = y0; y < y1; y += 2)
            {
                for (int x = x0; x < x1; x += 2)
                {
                    var (r, g, b) = png[x, y];
                    total++;
                    if (r < 235 || g < 235 || b < 235) inked++;
                    colours.Add((r >> 4) << 8 | (g >> 4) << 4 | (b >> 4));
                }
            }

            string id = p.GetProperty("id").GetString()!;
            output.WriteLine($"{id}: {inked * 100.0 / total:0.0}% inked, {colours.Count} colours");
            Assert.True(inked > total / 20, $"{id} looks blank in the screenshot ({inked}/{total} inked pixels)");
            Assert.True(colours.Count >= 4, $"{id} has only {colours.Count} colours");
        }
    }
}
