using System.Net;
using System.Net.Sockets;

namespace Research.Sweeps.Orleans.Tests;

/// <summary>Free TCP ports on the loopback interface.</summary>
internal static class FreePort
{
    /// <summary>A port nothing listens on right now.</summary>
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>A localhost-clustering connection whose primary (the coordinator) listens on a free port.</summary>
    public static string LocalhostCluster() => $"localhost://127.0.0.1:{Next()}";
}
