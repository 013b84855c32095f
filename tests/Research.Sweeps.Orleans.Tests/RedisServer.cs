using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Research.Tests.Shared;

namespace Research.Sweeps.Orleans.Tests;

/// <summary>A redis-server the test starts on a free loopback port (no persistence) and kills when disposed.</summary>
internal sealed class RedisServer : IDisposable
{
    private readonly Process _process;

    private RedisServer(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    /// <summary>The port it listens on (127.0.0.1 only).</summary>
    public int Port { get; }

    /// <summary>The cluster connection for <see cref="SweepClusterOptions.Connection"/>.</summary>
    public string Uri => $"redis://127.0.0.1:{Port}";

    private static readonly Lazy<string> Binary = new(Locate);

    /// <summary>Starts a server and waits until it answers PING.</summary>
    public static RedisServer Start()
    {
        int port = FreePort.Next();
        var info = new ProcessStartInfo(Binary.Value) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { "--port", port.ToString(), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no" }) info.ArgumentList.Add(a);
        var process = Process.Start(info) ?? throw new InvalidOperationException("redis-server did not start.");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new RedisServer(process, port);
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!server.Pings())
        {
            if (process.HasExited || DateTime.UtcNow > deadline)
            {
                server.Dispose();
                throw new InvalidOperationException($"redis-server on port {port} did not answer PING.");
            }
            Thread.Sleep(50);
        }
        return server;
    }

    /// <summary>redis-server on PATH, or installed with Debian's apt-get when running as root (as <c>.ci/run</c> does).</summary>
    private static string Locate()
    {
        var (path, log) = DebianPackage.Locate("redis-server", TimeSpan.FromMinutes(5), "redis-server");
        return path ?? throw new InvalidOperationException($"The Orleans sweep tests need redis-server (Debian: apt-get install redis-server); none on PATH. {log}");
    }

    private bool Pings()
    {
        try
        {
            using var client = new TcpClient();
            client.Connect(IPAddress.Loopback, Port);
            using var stream = client.GetStream();
            stream.Write("PING\r\n"u8);
            var buffer = new byte[16];
            int n = stream.Read(buffer);
            return Encoding.ASCII.GetString(buffer, 0, n).StartsWith("+PONG", StringComparison.Ordinal);
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
        _process.Dispose();
    }
}
