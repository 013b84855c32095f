using System.Net;
using System.Text.Json.Nodes;

namespace Research.Serving.Tests;

/// <summary><c>POST /v1/feedback</c>: realised returns matched to earlier predictions, live rank IC and hit rate as gauges.</summary>
[Collection(ServingCollection.Name)]
public class FeedbackTests(ServingFixture fixture)
{
    private static JsonObject Item(string ticker, string date, double realized) =>
        new() { ["ticker"] = ticker, ["date"] = date, ["realized_return"] = realized };

    [Fact]
    public async Task Feedback_matches_earlier_predictions_once_and_reports_the_rest()
    {
        await using var serving = await TestServing.Start(fixture.PlainModel);
        var predicted = await TestServing.Json(await serving.Post("/v1/predict", TestServing.Body(fixture.Panel, 100, 160).ToJsonString()));
        string date = fixture.Panel.Calendar[159].ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var expected = new[] { "S0", "S1", "S2" }.ToDictionary(t => t, t => predicted.GetProperty("predictions").GetProperty(t).GetProperty("expected_return").GetDouble());

        // Realised returns ranked as the forecasts (IC 1), each with the forecast's sign (hit rate 1).
        var feedback = new JsonArray();
        foreach (var (ticker, e) in expected) feedback.Add(Item(ticker, date, 2 * e));
        feedback.Add(Item("S0", "2016-01-04", 0.01)); // never predicted
        feedback.Add(Item("S1", date, 0.02)); // already matched above
        var response = await serving.Post("/v1/feedback", new JsonObject { ["feedback"] = feedback }.ToJsonString());
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var json = await TestServing.Json(response);
        Assert.Equal(3, json.GetProperty("matched").GetInt32());
        var unmatched = json.GetProperty("unmatched").EnumerateArray().ToList();
        Assert.Equal([3, 4], unmatched.Select(u => u.GetProperty("index").GetInt32()));
        Assert.Equal(["S0", "S1"], unmatched.Select(u => u.GetProperty("ticker").GetString()));
        Assert.Equal("2016-01-04", unmatched[0].GetProperty("date").GetString());
        Assert.All(unmatched, u => Assert.False(string.IsNullOrEmpty(u.GetProperty("reason").GetString())));
        var live = json.GetProperty("live");
        Assert.Equal(3, live.GetProperty("n").GetInt32());
        Assert.Equal(1.0, live.GetProperty("rank_ic").GetDouble(), 12);
        Assert.Equal(1.0, live.GetProperty("hit_rate").GetDouble());

        var metrics = await serving.Client.GetStringAsync("/metrics");
        Assert.Contains("research_serving_live_rank_ic 1\n", metrics);
        Assert.Contains("research_serving_live_hit_rate 1\n", metrics);
        Assert.Contains("research_serving_live_pairs 3\n", metrics);
        Assert.Contains("research_serving_feedback_total{result=\"matched\"} 3", metrics);
        Assert.Contains("research_serving_feedback_total{result=\"unmatched\"} 2", metrics);
    }

    [Fact]
    public async Task Live_gauges_are_nan_before_any_feedback()
    {
        await using var serving = await TestServing.Start(fixture.PlainModel);
        var metrics = await serving.Client.GetStringAsync("/metrics");
        Assert.Contains("research_serving_live_rank_ic NaN", metrics);
        Assert.Contains("research_serving_live_hit_rate NaN", metrics);
    }

    [Theory]
    [InlineData("[]", "$")]
    [InlineData("{}", "feedback")]
    [InlineData("""{"feedback": {}}""", "feedback")]
    [InlineData("""{"feedback": []}""", "feedback")]
    [InlineData("""{"feedback": [1]}""", "feedback[0]")]
    [InlineData("""{"feedback": [{"date": "2017-12-01", "realized_return": 0.1}]}""", "feedback[0].ticker")]
    [InlineData("""{"feedback": [{"ticker": 5, "date": "2017-12-01", "realized_return": 0.1}]}""", "feedback[0].ticker")]
    [InlineData("""{"feedback": [{"ticker": "S0", "date": "2017-12-01", "realized_return": 0.1}, {"ticker": "S0", "date": "12/01/2017", "realized_return": 0.1}]}""", "feedback[1].date")]
    [InlineData("""{"feedback": [{"ticker": "S0", "date": "2017-12-01"}]}""", "feedback[0].realized_return")]
    [InlineData("""{"feedback": [{"ticker": "S0", "date": "2017-12-01", "realized_return": "NaN"}]}""", "feedback[0].realized_return")]
    [InlineData("""{"feedback": [{"ticker": "S0", "date": "2017-12-01", "realized_return": 1e999}]}""", "feedback[0].realized_return")]
    [InlineData("""{"feedback": [{"ticker": "S0", "ticker": "S1", "date": "2017-12-01", "realized_return": 0.1}]}""", "feedback[0].ticker")]
    public async Task Invalid_feedback_is_422_at_its_field_and_nothing_is_applied(string body, string field)
    {
        await using var serving = await TestServing.Start(fixture.PlainModel);
        await Problems.Assert(await serving.Post("/v1/feedback", body), HttpStatusCode.UnprocessableEntity, field);
        Assert.Contains("research_serving_live_pairs 0", await serving.Client.GetStringAsync("/metrics"));
    }
}
