using System.Net;
using System.Text;
using Microsoft.Extensions.DependencyInjection;

namespace Research.Serving.Tests;

/// <summary>Graceful shutdown on Kestrel: a request in flight when the server is asked to stop still gets its answer.</summary>
[Collection(ServingCollection.Name)]
public class ShutdownTests(ServingFixture fixture)
{
    /// <summary>Sends the first bytes of a body, then the rest once released.</summary>
    private sealed class GatedContent(byte[] body, Task release) : HttpContent
    {
        protected override async Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context)
        {
            await stream.WriteAsync(body.AsMemory(0, 16));
            await stream.FlushAsync();
            await release;
            await stream.WriteAsync(body.AsMemory(16));
        }

        protected override bool TryComputeLength(out long length)
        {
            length = body.Length;
            return true;
        }
    }

    [Fact]
    public async Task A_request_in_flight_when_stop_begins_completes_with_200()
    {
        var app = ServingApp.Build(new ServingOptions { Urls = "http://127.0.0.1:0" }, () => ServedModel.Load(fixture.PlainModel));
        await app.StartAsync();
        await app.Services.GetRequiredService<ModelHost>().Loaded;
        var metrics = app.Services.GetRequiredService<ServingMetrics>();
        using var client = new HttpClient { BaseAddress = new Uri(app.Urls.Single()) };

        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var body = Encoding.UTF8.GetBytes(TestServing.Body(fixture.Panel, 100, 160).ToJsonString());
        var content = new GatedContent(body, release.Task);
        content.Headers.ContentType = new("application/json");
        var pending = client.PostAsync("/v1/predict", content);
        while (metrics.InFlight.Value < 1) await Task.Delay(5);

        var stopping = app.StopAsync();
        Assert.False(stopping.IsCompleted); // it waits for the request
        release.SetResult();
        var response = await pending;
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(3, (await TestServing.Json(response)).GetProperty("predictions").EnumerateObject().Count());
        await stopping;
        await app.DisposeAsync();
    }
}
