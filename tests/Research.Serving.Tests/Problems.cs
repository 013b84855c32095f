using System.Net;

namespace Research.Serving.Tests;

/// <summary>Checks an RFC 7807 answer.</summary>
internal static class Problems
{
    /// <summary>Asserts status, <c>application/problem+json</c>, a title, a detail and the <c>field</c> extension.</summary>
    public static async Task Assert(HttpResponseMessage response, HttpStatusCode status, string field)
    {
        var body = await response.Content.ReadAsStringAsync();
        Xunit.Assert.True(status == response.StatusCode, $"expected {(int)status}, got {(int)response.StatusCode}: {body}");
        Xunit.Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var json = System.Text.Json.JsonDocument.Parse(body).RootElement;
        Xunit.Assert.False(string.IsNullOrWhiteSpace(json.GetProperty("title").GetString()), body);
        Xunit.Assert.False(string.IsNullOrWhiteSpace(json.GetProperty("detail").GetString()), body);
        Xunit.Assert.Equal((int)status, json.GetProperty("status").GetInt32());
        Xunit.Assert.Equal(field, json.GetProperty("field").GetString());
    }
}
