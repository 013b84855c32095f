using Research.Core.Sweeps;

namespace Research.Sweeps.Orleans.Tests;

/// <summary>Worker silos run in this process, each stoppable on its own.</summary>
internal sealed class WorkerGroup : IAsyncDisposable
{
    private readonly List<(CancellationTokenSource Cts, Task Run)> _workers = [];

    /// <summary>Starts a worker with <paramref name="slots"/> slots; returns its index.</summary>
    public int Start(SweepClusterOptions cluster, int slots,
        Func<string, (Func<Trial, ITrialReporter, CancellationToken, double> Objective, string DataHash)> resolve)
    {
        var cts = new CancellationTokenSource();
        _workers.Add((cts, Task.Run(() => SweepWorker.RunAsync(cluster, slots, resolve, cts.Token))));
        return _workers.Count - 1;
    }

    /// <summary>Stops (drains) worker <paramref name="index"/> and waits for it to leave.</summary>
    public async Task StopAsync(int index)
    {
        var (cts, run) = _workers[index];
        await cts.CancelAsync();
        await run.WaitAsync(TimeSpan.FromSeconds(30));
    }

    /// <summary>Stops every worker still running.</summary>
    public async ValueTask DisposeAsync()
    {
        foreach (var (cts, _) in _workers) await cts.CancelAsync();
        await Task.WhenAll(_workers.Select(w => w.Run)).WaitAsync(TimeSpan.FromSeconds(30));
        foreach (var (cts, _) in _workers) cts.Dispose();
    }
}
