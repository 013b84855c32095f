using System.Net;

namespace Research.Serving.Tests;

/// <summary>With an API key set, <c>/v1/*</c> needs X-API-Key; health, readiness and metrics stay open.</summary>
[Collection(ServingCollection.Name)]
public class AuthTests(ServingFixture fixture)
{
    private const string Key = "s3cret-key";

    [Fact]
    public async Task V1_routes_need_the_key_and_the_probes_do_not()
    {
        await using var serving = await TestServing.Start(fixture.PlainModel, new ServingOptions { ApiKey = Key });
        await Problems.Assert(await serving.Client.GetAsync("/v1/model"), HttpStatusCode.Unauthorized, ServingApp.ApiKeyHeader);
        await Problems.Assert(await serving.Post("/v1/predict", "{}"), HttpStatusCode.Unauthorized, ServingApp.ApiKeyHeader);

        using var wrong = new HttpRequestMessage(HttpMethod.Get, "/v1/model");
        wrong.Headers.Add(ServingApp.ApiKeyHeader, Key + "x");
        await Problems.Assert(await serving.Client.SendAsync(wrong), HttpStatusCode.Unauthorized, ServingApp.ApiKeyHeader);

        using var right = new HttpRequestMessage(HttpMethod.Get, "/v1/model");
        right.Headers.Add(ServingApp.ApiKeyHeader, Key);
        Assert.Equal(HttpStatusCode.OK, (await serving.Client.SendAsync(right)).StatusCode);

        using var predict = new HttpRequestMessage(HttpMethod.Post, "/v1/predict")
        {
            Content = new StringContent(TestServing.Body(fixture.Panel, 100, 160).ToJsonString(), System.Text.Encoding.UTF8, "application/json"),
        };
        predict.Headers.Add(ServingApp.ApiKeyHeader, Key);
        Assert.Equal(HttpStatusCode.OK, (await serving.Client.SendAsync(predict)).StatusCode);

        foreach (var route in new[] { "/health", "/ready", "/metrics" })
            Assert.Equal(HttpStatusCode.OK, (await serving.Client.GetAsync(route)).StatusCode);
    }

    [Fact]
    public async Task Without_a_key_configured_v1_routes_are_open()
    {
        await using var serving = await TestServing.Start(fixture.PlainModel);
        Assert.Equal(HttpStatusCode.OK, (await serving.Client.GetAsync("/v1/model")).StatusCode);
    }
}
