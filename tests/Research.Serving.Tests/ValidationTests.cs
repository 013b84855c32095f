using System.Net;
using System.Text.Json.Nodes;

namespace Research.Serving.Tests;

/// <summary>Every kind of bad predict request gets 400, 413 or 422 problem details naming the field, never a 500.</summary>
[Collection(ServingCollection.Name)]
public class ValidationTests(ServingFixture fixture)
{
    private JsonObject Valid() => TestServing.Body(fixture.Panel, 100, 160);

    private static JsonObject Bar(JsonObject body, string ticker, int i) => body["bars"]![ticker]![i]!.AsObject();

    private async Task Expect(string body, HttpStatusCode status, string field, ServingOptions? options = null)
    {
        await using var serving = await TestServing.Start(fixture.PlainModel, options);
        await Problems.Assert(await serving.Post("/v1/predict", body), status, field);
    }

    private Task Expect(Action<JsonObject> change, string field)
    {
        var body = Valid();
        change(body);
        return Expect(body.ToJsonString(), HttpStatusCode.UnprocessableEntity, field);
    }

    [Theory]
    [InlineData("{\"bars\": ")]
    [InlineData("")]
    [InlineData("{\"bars\": {}} trailing")]
    [InlineData("{'bars': {}}")]
    public Task Malformed_json_is_400(string body) => Expect(body, HttpStatusCode.BadRequest, "$");

    [Fact]
    public Task An_unquoted_NaN_literal_is_malformed_json()
    {
        string body = Valid().ToJsonString();
        string open = Bar(Valid(), "S0", 2)["open"]!.ToJsonString();
        return Expect(body.Replace($"\"open\":{open}", "\"open\":NaN", StringComparison.Ordinal), HttpStatusCode.BadRequest, "$");
    }

    [Theory]
    [InlineData("[]", "$")]
    [InlineData("{}", "bars")]
    [InlineData("{\"bars\": []}", "bars")]
    [InlineData("{\"bars\": {}}", "bars")]
    [InlineData("{\"bars\": {\"S0\": 3}}", "bars.S0")]
    [InlineData("{\"bars\": {\"S0\": [1, 2]}}", "bars.S0")]
    public Task Wrong_shapes_are_422(string body, string field) => Expect(body, HttpStatusCode.UnprocessableEntity, field);

    [Theory]
    [InlineData("date")]
    [InlineData("open")]
    [InlineData("high")]
    [InlineData("low")]
    [InlineData("close")]
    [InlineData("volume")]
    public Task A_missing_field_is_422_at_that_field(string name) => Expect(b => Bar(b, "S1", 3).Remove(name), $"bars.S1[3].{name}");

    [Fact]
    public Task A_bar_that_is_not_an_object_is_422() => Expect(b => b["bars"]!["S0"]![7] = 12.5, "bars.S0[7]");

    [Fact]
    public Task Unsorted_dates_are_422() => Expect(b =>
    {
        var bars = b["bars"]!["S0"]!.AsArray();
        var fifth = bars[5]!;
        var sixth = bars[6]!;
        bars[5] = sixth.DeepClone();
        bars[6] = fifth.DeepClone();
    }, "bars.S0[6].date");

    [Fact]
    public Task A_duplicate_date_is_422() => Expect(b => Bar(b, "S2", 9)["date"] = Bar(b, "S2", 8)["date"]!.DeepClone(), "bars.S2[9].date");

    [Theory]
    [InlineData("2016/03/01")]
    [InlineData("yesterday")]
    public Task A_bad_date_is_422(string date) => Expect(b => Bar(b, "S0", 4)["date"] = date, "bars.S0[4].date");

    [Theory]
    [InlineData("NaN")]
    [InlineData("Infinity")]
    [InlineData("-Infinity")]
    [InlineData("12.5")]
    public Task A_number_given_as_a_string_is_422(string text) => Expect(b => Bar(b, "S0", 2)["open"] = text, "bars.S0[2].open");

    [Fact]
    public Task A_number_beyond_double_range_is_422()
    {
        var body = Valid();
        Bar(body, "S0", 2)["close"] = "__BIG__";
        return Expect(body.ToJsonString().Replace("\"__BIG__\"", "1e999", StringComparison.Ordinal), HttpStatusCode.UnprocessableEntity, "bars.S0[2].close");
    }

    [Fact]
    public Task High_below_low_is_422() => Expect(b => Bar(b, "S1", 4)["high"] = Bar(b, "S1", 4)["low"]!.GetValue<double>() * 0.9, "bars.S1[4].high");

    [Fact]
    public Task A_non_positive_price_is_422() => Expect(b => Bar(b, "S1", 4)["close"] = 0.0, "bars.S1[4].close");

    [Fact]
    public Task Negative_volume_is_422() => Expect(b => Bar(b, "S1", 4)["volume"] = -1.0, "bars.S1[4].volume");

    [Fact]
    public Task An_unknown_ticker_is_422() => Expect(b => b["bars"]!["ZZZ"] = b["bars"]!["S0"]!.DeepClone(), "bars.ZZZ");

    [Fact]
    public Task Too_few_bars_are_422() => Expect(b =>
    {
        var bars = b["bars"]!["S2"]!.AsArray();
        while (bars.Count > 20) bars.RemoveAt(0);
    }, "bars.S2");

    [Fact]
    public Task Tickers_ending_on_different_dates_are_422() => Expect(b =>
    {
        var bars = b["bars"]!["S1"]!.AsArray();
        bars.RemoveAt(bars.Count - 1);
    }, "bars.S1[58].date");

    [Fact]
    public Task A_body_over_the_limit_is_413() =>
        Expect(Valid().ToJsonString(), HttpStatusCode.RequestEntityTooLarge, "$", new ServingOptions { MaxBodyBytes = 4096 });

    [Fact]
    public async Task A_streamed_body_over_the_limit_is_413_without_a_content_length()
    {
        await using var serving = await TestServing.Start(fixture.PlainModel, new ServingOptions { MaxBodyBytes = 4096 });
        var bytes = System.Text.Encoding.UTF8.GetBytes(Valid().ToJsonString());
        var content = new PushStreamContent(bytes);
        Assert.Null(content.Headers.ContentLength);
        await Problems.Assert(await serving.Client.PostAsync("/v1/predict", content), HttpStatusCode.RequestEntityTooLarge, "$");
    }

    /// <summary>Content that does not know its length, so the request is sent without Content-Length.</summary>
    private sealed class PushStreamContent(byte[] bytes) : HttpContent
    {
        protected override Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context) => stream.WriteAsync(bytes).AsTask();

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}
