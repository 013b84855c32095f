using System.Net;
using System.Text.Json.Nodes;

namespace Research.Serving.Tests;

/// <summary><c>POST /v1/predict/batch</c>: one response per body in order, the same as single predicts, with the batch limit.</summary>
[Collection(ServingCollection.Name)]
public class BatchTests(ServingFixture fixture)
{
    private static string Batch(params JsonObject[] bodies) => new JsonObject { ["requests"] = new JsonArray([.. bodies.Select(b => b.DeepClone())]) }.ToJsonString();

    [Fact]
    public async Task Each_response_equals_the_single_predict_of_its_body()
    {
        await using var serving = await TestServing.Start(fixture.PlainModel);
        var bodies = new[] { TestServing.Body(fixture.Panel, 100, 160), TestServing.Body(fixture.Panel, 150, 230, ["S1", "S2"]) };
        var response = await serving.Post("/v1/predict/batch", Batch(bodies[0], bodies[1]));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var json = await TestServing.Json(response);
        Assert.Equal("responses", Assert.Single(json.EnumerateObject()).Name);
        var responses = json.GetProperty("responses").EnumerateArray().ToArray();
        Assert.Equal(2, responses.Length);
        for (int i = 0; i < bodies.Length; i++)
        {
            var single = await TestServing.Json(await serving.Post("/v1/predict", bodies[i].ToJsonString()));
            Assert.Equal(single.GetRawText(), responses[i].GetRawText());
        }
    }

    [Fact]
    public async Task More_bodies_than_max_batch_is_413_and_an_empty_or_missing_batch_is_422()
    {
        await using var serving = await TestServing.Start(fixture.PlainModel, new ServingOptions { MaxBatch = 2 });
        var body = TestServing.Body(fixture.Panel, 100, 160);
        Assert.Equal(HttpStatusCode.OK, (await serving.Post("/v1/predict/batch", Batch(body, body))).StatusCode);
        await Problems.Assert(await serving.Post("/v1/predict/batch", Batch(body, body, body)), HttpStatusCode.RequestEntityTooLarge, "requests");
        await Problems.Assert(await serving.Post("/v1/predict/batch", Batch()), HttpStatusCode.UnprocessableEntity, "requests");
        await Problems.Assert(await serving.Post("/v1/predict/batch", "{}"), HttpStatusCode.UnprocessableEntity, "requests");
        await Problems.Assert(await serving.Post("/v1/predict/batch", "{\"requests\": {}}"), HttpStatusCode.UnprocessableEntity, "requests");
        await Problems.Assert(await serving.Post("/v1/predict/batch", "[]"), HttpStatusCode.UnprocessableEntity, "$");
        await Problems.Assert(await serving.Post("/v1/predict/batch", "{\"requests\": ["), HttpStatusCode.BadRequest, "$");
    }

    [Fact]
    public async Task A_bad_body_in_the_batch_is_422_at_its_path_within_the_batch()
    {
        await using var serving = await TestServing.Start(fixture.PlainModel);
        var good = TestServing.Body(fixture.Panel, 100, 160);
        var bad = TestServing.Body(fixture.Panel, 100, 160);
        bad["bars"]!["S2"]![3]!["low"] = "NaN";
        await Problems.Assert(await serving.Post("/v1/predict/batch", Batch(good, bad)), HttpStatusCode.UnprocessableEntity, "requests[1].bars.S2[3].low");
        await Problems.Assert(await serving.Post("/v1/predict/batch", Batch(good, new JsonObject())), HttpStatusCode.UnprocessableEntity, "requests[1].bars");
    }

    [Fact]
    public async Task The_batch_route_needs_the_api_key_too()
    {
        await using var serving = await TestServing.Start(fixture.PlainModel, new ServingOptions { ApiKey = "k" });
        await Problems.Assert(await serving.Post("/v1/predict/batch", Batch(TestServing.Body(fixture.Panel, 100, 160))), HttpStatusCode.Unauthorized, ServingApp.ApiKeyHeader);
    }
}
