using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using Orleans.Hosting;

namespace Research.Sweeps.Orleans;

/// <summary>Builds the silos of a sweep cluster: the coordinator's and the workers', with the same clustering, the
/// coordinator placement and no client gateway (nothing but silos talks to the cluster).</summary>
internal static class SiloHostFactory
{
    /// <summary>A silo host named <paramref name="siloName"/>; <paramref name="coordinator"/> makes it the primary silo
    /// under localhost clustering.</summary>
    public static IHost Build(SweepClusterOptions cluster, string siloName, bool coordinator, Action<IServiceCollection>? services = null)
    {
        var connection = ClusterConnection.Parse(cluster.Connection);
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.ClearProviders();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        cluster.ConfigureLogging?.Invoke(builder.Logging);
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(15));
        builder.UseOrleans(silo =>
        {
            if (connection.PrimarySilo is { } primary)
            {
                int port = coordinator ? primary.Port : PortOrFree(cluster.SiloPort);
                silo.UseLocalhostClustering(port, 0, primary, cluster.ServiceId, cluster.ClusterId);
                silo.Configure<EndpointOptions>(o => o.AdvertisedIPAddress = primary.Address);
            }
            else
            {
                silo.UseRedisClustering(connection.RedisConfiguration!);
                silo.Configure<ClusterOptions>(o =>
                {
                    o.ClusterId = cluster.ClusterId;
                    o.ServiceId = cluster.ServiceId;
                });
                silo.ConfigureEndpoints(cluster.AdvertisedAddress, PortOrFree(cluster.SiloPort), 0,
                    listenOnAnyHostAddress: !IPAddress.IsLoopback(cluster.AdvertisedAddress));
            }
            if (cluster.ProbeTimeout is { } probeTimeout) silo.Configure<ClusterMembershipOptions>(o => o.ProbeTimeout = probeTimeout);
            silo.Configure<SiloOptions>(o => o.SiloName = siloName);
            silo.AddPlacementDirector<CoordinatorPlacement, CoordinatorPlacementDirector>();
            silo.Services.AddSingleton<CoordinatorRegistry>();
            services?.Invoke(silo.Services);
        });
        return builder.Build();
    }

    /// <summary>The port asked for, or a free one for 0.</summary>
    private static int PortOrFree(int port)
    {
        if (port != 0) return port;
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
