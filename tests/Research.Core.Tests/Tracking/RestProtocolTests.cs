using System.Net;
using System.Net.Sockets;
using System.Text;
using Research.Core.Tracking;

namespace Research.Core.Tests.Tracking;

/// <summary>The REST client's auth headers and retry policy, against a local HTTP server scripted per request.</summary>
public class RestProtocolTests
{
    private sealed class ScriptedServer : IDisposable
    {
        private readonly HttpListener _listener = new();
        private readonly Task _loop;

        public ScriptedServer(Func<int, (int Status, string Body)> respond)
        {
            var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            int port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
            Url = $"http://127.0.0.1:{port}";
            _listener.Prefixes.Add(Url + "/");
            _listener.Start();
            _loop = Task.Run(async () =>
            {
                for (int n = 0; ; n++)
                {
                    HttpListenerContext ctx;
                    try { ctx = await _listener.GetContextAsync(); }
                    catch (Exception) { return; }
                    lock (Requests) Requests.Add((ctx.Request.Url!.AbsolutePath, ctx.Request.Headers["Authorization"]));
                    var (status, body) = respond(n);
                    ctx.Response.StatusCode = status;
                    byte[] bytes = Encoding.UTF8.GetBytes(body);
                    ctx.Response.ContentType = "application/json";
                    await ctx.Response.OutputStream.WriteAsync(bytes);
                    ctx.Response.Close();
                }
            });
        }

        public string Url { get; }

        public List<(string Path, string? Authorization)> Requests { get; } = [];

        public void Dispose()
        {
            _listener.Stop();
            _listener.Close();
        }
    }

    [Fact]
    public void Retries_5xx_and_429_then_succeeds_with_the_bearer_token()
    {
        using var server = new ScriptedServer(n => n switch
        {
            0 => (503, "unavailable"),
            1 => (429, "slow down"),
            _ => (200, "{\"experiment_id\": \"7\"}"),
        });
        using var rest = new RestStore(server.Url, baseDelay: TimeSpan.FromMilliseconds(1),
            environment: v => v == "MLFLOW_TRACKING_TOKEN" ? "tok" : null);
        Assert.Equal("7", rest.CreateExperiment("x"));
        Assert.Equal(3, rest.RequestCount);
        Assert.All(server.Requests, r => Assert.Equal("Bearer tok", r.Authorization));
        Assert.All(server.Requests, r => Assert.Equal("/api/2.0/mlflow/experiments/create", r.Path));
    }

    [Fact]
    public void Basic_auth_and_a_server_that_stays_down_is_a_clear_unavailable_error()
    {
        using var server = new ScriptedServer(_ => (500, "{\"error_code\": \"INTERNAL_ERROR\", \"message\": \"boom\"}"));
        using var rest = new RestStore(server.Url, maxRetries: 2, baseDelay: TimeSpan.FromMilliseconds(1),
            environment: v => v switch { "MLFLOW_TRACKING_USERNAME" => "ann", "MLFLOW_TRACKING_PASSWORD" => "pw", _ => null });
        var e = Assert.Throws<TrackingUnavailableException>(() => rest.CreateExperiment("x"));
        Assert.Contains("answered 500", e.Message);
        Assert.Equal(3, rest.RequestCount);
        Assert.Equal("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("ann:pw")), server.Requests[0].Authorization);
    }

    [Fact]
    public void Mlflow_error_bodies_become_typed_errors_without_retrying()
    {
        using var server = new ScriptedServer(_ => (400, "{\"error_code\": \"INVALID_PARAMETER_VALUE\", \"message\": \"bad key\"}"));
        using var rest = new RestStore(server.Url, baseDelay: TimeSpan.FromMilliseconds(1));
        var e = Assert.Throws<TrackingException>(() => rest.CreateExperiment("x"));
        Assert.Equal(TrackingException.InvalidParameterValue, e.ErrorCode);
        Assert.Contains("bad key", e.Message);
        Assert.Equal(1, rest.RequestCount);
    }
}
