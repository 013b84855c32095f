using System.Net;

namespace Research.Serving.Tests;

/// <summary><c>--rate-limit</c>: past the per-client budget, 429 problem details with Retry-After; probes and metrics are exempt.</summary>
[Collection(ServingCollection.Name)]
public class RateLimitTests(ServingFixture fixture)
{
    [Fact]
    public async Task Requests_past_the_limit_get_429_with_retry_after_and_probes_are_exempt()
    {
        // Two per second: whatever the refill timer does, 20 back-to-back requests cannot all pass within the first seconds.
        await using var serving = await TestServing.Start(fixture.PlainModel, new ServingOptions { RateLimit = 2 });
        var responses = new List<HttpResponseMessage>();
        for (int i = 0; i < 20; i++) responses.Add(await serving.Client.GetAsync("/v1/model"));

        Assert.Equal(HttpStatusCode.OK, responses[0].StatusCode);
        var refused = responses.Where(r => r.StatusCode == HttpStatusCode.TooManyRequests).ToList();
        Assert.NotEmpty(refused);
        Assert.All(responses, r => Assert.Contains(r.StatusCode, new[] { HttpStatusCode.OK, HttpStatusCode.TooManyRequests }));
        foreach (var r in refused)
        {
            var retry = r.Headers.RetryAfter?.Delta;
            Assert.NotNull(retry);
            Assert.InRange(retry.Value.TotalSeconds, 1, 2);
            await Problems.Assert(r, HttpStatusCode.TooManyRequests, "$");
        }

        for (int i = 0; i < 10; i++)
        {
            foreach (var route in new[] { "/health", "/ready", "/metrics" })
                Assert.Equal(HttpStatusCode.OK, (await serving.Client.GetAsync(route)).StatusCode);
        }

        var metrics = await serving.Client.GetStringAsync("/metrics");
        Assert.Contains($"research_serving_requests_total{{route=\"/v1/model\",code=\"429\"}} {refused.Count}", metrics);
    }

    [Fact]
    public async Task Without_a_limit_nothing_is_refused()
    {
        await using var serving = await TestServing.Start(fixture.PlainModel);
        for (int i = 0; i < 30; i++) Assert.Equal(HttpStatusCode.OK, (await serving.Client.GetAsync("/v1/model")).StatusCode);
    }
}
