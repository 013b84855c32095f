using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Research.Core.Data;

namespace Research.Serving.Tests;

/// <summary>A serving app on the in-process test server, with its client; disposing stops it.</summary>
public sealed class TestServing : IAsyncDisposable
{
    private TestServing(WebApplication app)
    {
        App = app;
        Client = app.GetTestClient();
        Host = app.Services.GetRequiredService<ModelHost>();
    }

    /// <summary>The application.</summary>
    public WebApplication App { get; }

    /// <summary>A client of the test server.</summary>
    public HttpClient Client { get; }

    /// <summary>The model host.</summary>
    public ModelHost Host { get; }

    /// <summary>Starts the app with <paramref name="load"/>; waits for the load unless <paramref name="waitForModel"/> is false.</summary>
    public static Task<TestServing> Start(Func<ServedModel> load, ServingOptions? options = null, bool waitForModel = true) =>
        Start(new ModelSource(load), options, waitForModel);

    /// <summary>Starts the app serving <paramref name="source"/>; waits for the first load unless <paramref name="waitForModel"/> is false.</summary>
    public static async Task<TestServing> Start(ModelSource source, ServingOptions? options = null, bool waitForModel = true)
    {
        var app = ServingApp.Build(options ?? new ServingOptions(), source, b => b.WebHost.UseTestServer());
        await app.StartAsync();
        var serving = new TestServing(app);
        if (waitForModel) await serving.Host.Loaded;
        return serving;
    }

    /// <summary>Starts the app serving the model folder <paramref name="folder"/>.</summary>
    public static Task<TestServing> Start(string folder, ServingOptions? options = null) => Start(() => ServedModel.Load(folder), options);

    /// <summary>POSTs <paramref name="body"/> (as JSON text) to <paramref name="route"/>.</summary>
    public Task<HttpResponseMessage> Post(string route, string body) =>
        Client.PostAsync(route, new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

    /// <summary>The response body as a JSON element.</summary>
    public static async Task<JsonElement> Json(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<JsonElement>()).Clone();

    /// <summary>
    /// A predict body with bars [<paramref name="start"/>, <paramref name="end"/>) of <paramref name="tickers"/> (all of
    /// the panel's when null), as a mutable JSON tree.
    /// </summary>
    public static JsonObject Body(MarketPanel panel, int start, int end, IEnumerable<string>? tickers = null)
    {
        var bars = new JsonObject();
        foreach (var ticker in tickers ?? panel.Tickers)
        {
            int k = panel.TickerIndex(ticker);
            var list = new JsonArray();
            for (int t = start; t < end; t++)
            {
                list.Add(new JsonObject
                {
                    ["date"] = panel.Calendar[t].ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
                    ["open"] = panel.Series(PriceField.Open, k)[t],
                    ["high"] = panel.Series(PriceField.High, k)[t],
                    ["low"] = panel.Series(PriceField.Low, k)[t],
                    ["close"] = panel.Series(PriceField.Close, k)[t],
                    ["volume"] = panel.Series(PriceField.Volume, k)[t],
                });
            }

            bars[ticker] = list;
        }

        return new JsonObject { ["bars"] = bars };
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
    }
}
