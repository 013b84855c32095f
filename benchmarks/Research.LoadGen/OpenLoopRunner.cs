using System.Diagnostics;
using System.Net;

namespace Research.LoadGen;

/// <summary>
/// Sends request <c>i</c> at <c>start + i / rate</c> whatever the earlier responses are doing (open loop), on a
/// dedicated scheduling thread; a response's latency runs from its scheduled time (so a late send counts against the
/// server, no coordinated omission) and its service time from the actual send.
/// </summary>
internal sealed class OpenLoopRunner(HttpClient client, Func<HttpRequestMessage> request)
{
    /// <summary>What a run measured.</summary>
    public sealed record Outcome(LatencyHistogram Latency, LatencyHistogram Service, int Sent, IReadOnlyDictionary<string, int> Errors, double Seconds, double MaxSendLag);

    public async Task<Outcome> Run(double rate, double seconds, bool record)
    {
        int total = (int)Math.Round(rate * seconds);
        var latency = new LatencyHistogram();
        var service = new LatencyHistogram();
        var errors = new Dictionary<string, int>();
        var gate = new Lock();
        var pending = new List<Task>(total);
        double maxLag = 0;
        var clock = Stopwatch.StartNew();
        var scheduler = new Thread(() =>
        {
            var spin = new SpinWait();
            for (int i = 0; i < total; i++)
            {
                double due = i / rate;
                while (true)
                {
                    double wait = due - clock.Elapsed.TotalSeconds;
                    if (wait <= 0) break;
                    if (wait > 0.002) Thread.Sleep(1);
                    else spin.SpinOnce(sleep1Threshold: -1);
                }

                double sent = clock.Elapsed.TotalSeconds;
                maxLag = Math.Max(maxLag, sent - due);
                pending.Add(Send(due, sent));
            }
        }) { IsBackground = true, Priority = ThreadPriority.AboveNormal, Name = "open-loop scheduler" };

        async Task Send(double due, double sent)
        {
            string? error = null;
            try
            {
                using var message = request();
                using var response = await client.SendAsync(message, HttpCompletionOption.ResponseContentRead).ConfigureAwait(false);
                if (!response.IsSuccessStatusCode) error = $"HTTP {(int)response.StatusCode}";
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
            {
                error = e.GetType().Name;
            }

            double done = clock.Elapsed.TotalSeconds;
            if (!record) return;
            lock (gate)
            {
                latency.Record(done - due);
                service.Record(done - sent);
                if (error is not null) errors[error] = errors.GetValueOrDefault(error) + 1;
            }
        }

        scheduler.Start();
        scheduler.Join();
        await Task.WhenAll(pending).ConfigureAwait(false);
        return new Outcome(latency, service, total, errors, clock.Elapsed.TotalSeconds, maxLag);
    }

    /// <summary>A client whose pool opens as many loopback connections as the open loop needs.</summary>
    public static HttpClient Client() => new(new SocketsHttpHandler
    {
        MaxConnectionsPerServer = 1024, PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5), AutomaticDecompression = DecompressionMethods.None,
        UseProxy = false,
    }) { Timeout = TimeSpan.FromSeconds(30) };
}
