// Usage: Research.Sweeps.Orleans.TestWorker <cluster connection> <cluster id>
// Joins the cluster as a one-slot worker whose data hash is "data-1"; every trial it leases prints "started <id>" and
// then hangs, so that the test can kill this process in the middle of a trial.
using Research.Sweeps.Orleans;

var cluster = new SweepClusterOptions { Connection = args[0], ClusterId = args[1] };
using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stop.Cancel();
};
await SweepWorker.RunAsync(cluster, 1, _ => ((trial, _, ct) =>
{
    Console.WriteLine($"started {trial.Id}");
    ct.WaitHandle.WaitOne();
    ct.ThrowIfCancellationRequested();
    return double.NaN;
}, "data-1"), stop.Token);
