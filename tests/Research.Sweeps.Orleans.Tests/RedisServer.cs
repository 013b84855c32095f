using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

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

    /// <summary>redis-server on PATH, or installed with Debian's apt-get when running as root (as <c>.ci/run</c> does), so
    /// <c>dotnet test Research.sln</c> alone works on a fresh machine.</summary>
    private static string Locate()
    {
        if (Which() is { } found) return found;
        var log = new StringBuilder();
        if (OperatingSystem.IsLinux() && Environment.UserName == "root" && File.Exists("/usr/bin/apt-get"))
        {
            foreach (var cmd in new[] { "apt-get install -y -qq redis-server", "apt-get update -qq && apt-get install -y -qq redis-server" })
            {
                var psi = new ProcessStartInfo("/bin/sh") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
                psi.ArgumentList.Add("-c");
                psi.ArgumentList.Add(cmd);
                psi.Environment["DEBIAN_FRONTEND"] = "noninteractive";
                using var p = Process.Start(psi)!;
                var stdout = p.StandardOutput.ReadToEndAsync();
                var stderr = p.StandardError.ReadToEndAsync();
                if (!p.WaitForExit(TimeSpan.FromMinutes(5))) p.Kill(entireProcessTree: true);
                p.WaitForExit();
                log.Append($"`{cmd}` exited {p.ExitCode}: {stderr.Result.Trim()} {stdout.Result.Trim()}\n");
                if (Which() is { } installed) return installed;
            }
        }

        throw new InvalidOperationException($"The Orleans sweep tests need redis-server (Debian: apt-get install redis-server); none on PATH. {log}");
    }

    private static string? Which() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(d => Path.Combine(d, "redis-server")).FirstOrDefault(File.Exists);

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
