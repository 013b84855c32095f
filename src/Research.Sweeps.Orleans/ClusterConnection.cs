using System.Net;

namespace Research.Sweeps.Orleans;

/// <summary>A parsed <see cref="SweepClusterOptions.Connection"/>: a Redis configuration string or the primary silo's
/// endpoint for localhost clustering.</summary>
internal sealed record ClusterConnection(string? RedisConfiguration, IPEndPoint? PrimarySilo)
{
    /// <summary>Parses <c>redis://[:password@]host:port</c> or <c>localhost://address:port</c>.</summary>
    public static ClusterConnection Parse(string connection)
    {
        if (!Uri.TryCreate(connection, UriKind.Absolute, out var uri) || uri.Port <= 0)
            throw new ArgumentException($"Cluster connection \"{connection}\" is not redis://host:port or localhost://address:port.", nameof(connection));
        switch (uri.Scheme)
        {
            case "redis":
                string config = $"{uri.Host}:{uri.Port}";
                int colon = uri.UserInfo.IndexOf(':');
                if (colon >= 0 && colon < uri.UserInfo.Length - 1) config += ",password=" + Uri.UnescapeDataString(uri.UserInfo[(colon + 1)..]);
                return new ClusterConnection(config, null);
            case "localhost":
                var address = uri.Host == "localhost" ? IPAddress.Loopback : IPAddress.Parse(uri.Host);
                return new ClusterConnection(null, new IPEndPoint(address, uri.Port));
            default:
                throw new ArgumentException($"Cluster connection \"{connection}\": unknown scheme \"{uri.Scheme}\" (expected redis or localhost).", nameof(connection));
        }
    }
}
