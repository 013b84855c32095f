using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;

namespace Research.Serving.Tests;

/// <summary><c>GET /metrics</c> is valid Prometheus text exposition with the request counter, latency histogram and model info.</summary>
[Collection(ServingCollection.Name)]
public partial class MetricsTests(ServingFixture fixture)
{
    [GeneratedRegex("""^# (HELP|TYPE) ([a-zA-Z_:][a-zA-Z0-9_:]*) (.+)$""")]
    private static partial Regex Comment();

    [GeneratedRegex("""^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{((?:[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\]|\\.)*",?)*)\})? (\S+)(?: -?[0-9]+)?$""")]
    private static partial Regex Sample();

    [GeneratedRegex("""([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)""")]
    private static partial Regex Label();

    private sealed record Line(string Name, Dictionary<string, string> Labels, double Value);

    [Fact]
    public async Task Metrics_parse_line_by_line_and_count_the_routes_just_called()
    {
        await using var serving = await TestServing.Start(fixture.RunModel);
        Assert.Equal(HttpStatusCode.OK, (await serving.Client.GetAsync("/v1/model")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await serving.Post("/v1/predict", TestServing.Body(fixture.Panel, 100, 160).ToJsonString())).StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await serving.Post("/v1/predict", "{}")).StatusCode);

        var response = await serving.Client.GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        var text = await response.Content.ReadAsStringAsync();

        var types = new Dictionary<string, string>(StringComparer.Ordinal);
        var helps = new HashSet<string>(StringComparer.Ordinal);
        var samples = new List<Line>();
        foreach (var raw in text.Split('\n'))
        {
            if (raw.Length == 0) continue;
            if (raw.StartsWith('#'))
            {
                var c = Comment().Match(raw);
                Assert.True(c.Success, $"not a HELP/TYPE line: {raw}");
                if (c.Groups[1].Value == "TYPE")
                {
                    Assert.Contains(c.Groups[3].Value, new[] { "counter", "gauge", "histogram", "summary", "untyped" });
                    types[c.Groups[2].Value] = c.Groups[3].Value;
                }
                else helps.Add(c.Groups[2].Value);
                continue;
            }

            var m = Sample().Match(raw);
            Assert.True(m.Success, $"not a sample line: {raw}");
            var labels = Label().Matches(m.Groups[2].Value).ToDictionary(l => l.Groups[1].Value, l => l.Groups[2].Value);
            Assert.True(double.TryParse(m.Groups[3].Value.Replace("+Inf", "Infinity").Replace("-Inf", "-Infinity"), NumberStyles.Float, CultureInfo.InvariantCulture, out double value), raw);
            samples.Add(new Line(m.Groups[1].Value, labels, value));
        }

        foreach (var s in samples)
        {
            string family = types.ContainsKey(s.Name) ? s.Name : Regex.Replace(s.Name, "_(bucket|sum|count)$", "");
            Assert.True(types.ContainsKey(family), $"{s.Name} has no # TYPE line");
            Assert.Contains(family, helps);
        }

        Assert.Equal("counter", types["research_serving_requests_total"]);
        Assert.Equal("histogram", types["research_serving_prediction_seconds"]);
        Assert.Equal("gauge", types["research_serving_model_info"]);
        double Count(string route, string code) => samples.Single(s => s.Name == "research_serving_requests_total" && s.Labels["route"] == route && s.Labels["code"] == code).Value;
        Assert.Equal(1, Count("/v1/model", "200"));
        Assert.Equal(1, Count("/v1/predict", "200"));
        Assert.Equal(1, Count("/v1/predict", "422"));
        Assert.Equal(1, samples.Single(s => s.Name == "research_serving_prediction_seconds_count").Value);
        Assert.True(samples.Single(s => s.Name == "research_serving_prediction_seconds_sum").Value > 0);
        Assert.Equal(1, samples.Single(s => s.Name == "research_serving_prediction_seconds_bucket" && s.Labels["le"] == "+Inf").Value);
        var info = samples.Single(s => s.Name == "research_serving_model_info");
        Assert.Equal(1, info.Value);
        Assert.Equal(ServedModel.Version(fixture.RunModel), info.Labels["version"]);
        Assert.Equal("cnn_lstm_forecaster", info.Labels["name"]);
        Assert.Equal("0123456789abcdef0123456789abcdef", info.Labels["run_id"]);

        // The scrape itself is counted on the next one.
        var again = await serving.Client.GetStringAsync("/metrics");
        Assert.Contains("research_serving_requests_total{route=\"/metrics\",code=\"200\"} 1", again);
    }
}
