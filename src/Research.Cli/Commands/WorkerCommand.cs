using System.CommandLine;
using Microsoft.Extensions.Logging;
using Research.Sweeps.Orleans;

namespace Research.Cli.Commands;

/// <summary>
/// <c>research worker --cluster redis://127.0.0.1:6379 [--slots N]</c>: a worker silo that runs the trials of every
/// sweep coordinated on the cluster until stopped; Ctrl+C (or SIGTERM) drains it: running trials are returned to their
/// coordinator and re-queued.
/// </summary>
internal static class WorkerCommand
{
    public static Command Create()
    {
        var cluster = new Option<string>("--cluster") { Description = "The cluster to join: redis://host:port (or localhost://127.0.0.1:port, the coordinator's silo, on one machine).", Required = true };
        var slots = new Option<int>("--slots") { Description = "Trials run at once (default: the processor count).", DefaultValueFactory = _ => Environment.ProcessorCount };
        var address = new Option<string?>("--advertise") { Description = "Address other silos reach this worker on (default 127.0.0.1; set it when workers run on several machines)." };
        var port = new Option<int>("--port") { Description = "Silo port (default 0: a free port; fix it when a firewall needs it).", DefaultValueFactory = _ => 0 };
        var cmd = new Command("worker", "Run sweep trials for `research sweep --cluster` coordinators until stopped (Ctrl+C drains: the running trials are re-queued).")
        {
            cluster, slots, address, port,
        };
        CommandAction.Set(cmd, (parse, stdout, stderr) =>
        {
            int n = parse.GetValue(slots);
            if (n < 1) throw new ArgumentException($"--slots must be ≥ 1, got {n}.");
            var options = new SweepClusterOptions
            {
                Connection = parse.GetValue(cluster)!,
                AdvertisedAddress = parse.GetValue(address) is { } a ? System.Net.IPAddress.Parse(a) : System.Net.IPAddress.Loopback,
                SiloPort = parse.GetValue(port),
                ConfigureLogging = logging => logging
                    .SetMinimumLevel(LogLevel.Warning)
                    .AddFilter("Research.Sweeps.Orleans", LogLevel.Information)
                    .AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = "HH:mm:ss "; }),
            };
            using var stop = new StopSignal(sigterm: true, onCtrlC: () => stderr.WriteLine("worker: draining (running trials go back to their coordinators) ..."));
            stderr.WriteLine($"worker: joining {options.Connection} with {n} slot(s); Ctrl+C to stop");
            SweepWorker.RunAsync(options, n, SweepObjectiveSpec.Resolve, stop.Token).GetAwaiter().GetResult();
            stderr.WriteLine("worker: stopped");
            return 0;
        });
        return cmd;
    }
}
