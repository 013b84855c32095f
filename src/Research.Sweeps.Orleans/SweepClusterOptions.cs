using System.Net;
using Microsoft.Extensions.Logging;

namespace Research.Sweeps.Orleans;

/// <summary>How a coordinator or worker silo joins the sweep cluster.</summary>
public sealed record SweepClusterOptions
{
    /// <summary>The membership store: <c>redis://host:port</c> (Redis clustering, any number of machines) or
    /// <c>localhost://127.0.0.1:port</c> (single machine: the coordinator is the primary silo on that port).</summary>
    public required string Connection { get; init; }

    /// <summary>Orleans cluster id: silos with the same id (and service id) form one cluster.</summary>
    public string ClusterId { get; init; } = "research-sweeps";

    /// <summary>Orleans service id.</summary>
    public string ServiceId { get; init; } = "research";

    /// <summary>The address other silos reach this one at; loopback (the default) keeps the cluster on this machine.
    /// Any other address makes the silo listen on all interfaces.</summary>
    public IPAddress AdvertisedAddress { get; init; } = IPAddress.Loopback;

    /// <summary>The silo-to-silo TCP port; 0 picks a free one. Ignored for the coordinator with localhost clustering
    /// (it listens on the connection's port).</summary>
    public int SiloPort { get; init; }

    /// <summary>How long a silo waits for an answer to a liveness probe (null: Orleans's 5 s). A silo that misses 3 probes
    /// in a row is declared dead, and its trials are re-queued without waiting for their lease timeout.</summary>
    public TimeSpan? ProbeTimeout { get; init; }

    /// <summary>Adds logging providers or filters (the silo logs warnings and errors, to no provider by default).</summary>
    public Action<ILoggingBuilder>? ConfigureLogging { get; init; }
}
