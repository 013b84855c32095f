using System.Runtime.ExceptionServices;
using TorchSharp;

namespace Research.Core.Agents;

/// <summary>
/// Runs the parts of a job on a fixed team of threads: the caller and <see cref="Threads"/> − 1 workers it owns (part p
/// goes to thread p mod <see cref="Threads"/>), returning when every part is done. The parts must touch disjoint data;
/// then the results are the same as running them one after another, whatever the team size, which keeps training
/// reproducible. Workers run torch single-threaded inside (set by <see cref="SetTorchThreads"/>). <see cref="Run"/>
/// allocates nothing: pass delegates created once.
/// </summary>
internal sealed class ParallelParts : IDisposable
{
    private readonly Thread[] _workers;
    private readonly ManualResetEventSlim[] _start;
    private readonly ManualResetEventSlim _done = new(false, 100);
    private Action<int>? _body;
    private int _parts;
    private int _pending;
    private bool _stopping;
    private Exception? _failure;

    /// <summary>A team of <paramref name="threads"/> threads (1: everything runs on the caller).</summary>
    public ParallelParts(int threads)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        Threads = threads;
        _workers = new Thread[threads - 1];
        _start = new ManualResetEventSlim[threads - 1];
        for (int w = 0; w < _workers.Length; w++)
        {
            int index = w + 1;
            _start[w] = new ManualResetEventSlim(false, 100);
            _workers[w] = new Thread(() => Work(index)) { IsBackground = true, Name = $"agent update worker {index}" };
            _workers[w].Start();
        }
    }

    /// <summary>Threads in the team, the caller's included.</summary>
    public int Threads { get; }

    /// <summary>Runs <paramref name="body"/>(0 … <paramref name="parts"/> − 1) across the team and waits for all of them.</summary>
    public void Run(int parts, Action<int> body)
    {
        if (Threads == 1 || parts == 1)
        {
            for (int p = 0; p < parts; p++) body(p);
            return;
        }

        int workers = Math.Min(parts, Threads) - 1;
        _body = body;
        _parts = parts;
        _failure = null;
        _done.Reset();
        Volatile.Write(ref _pending, workers);
        for (int w = 0; w < workers; w++) _start[w].Set();
        try
        {
            for (int p = 0; p < parts; p += Threads) body(p);
        }
        finally
        {
            _done.Wait();
            _body = null;
        }

        if (_failure is { } failure) ExceptionDispatchInfo.Capture(failure).Throw();
    }

    /// <summary>Sets torch's intra-op thread count on every worker (torch keeps it per thread).</summary>
    public void SetTorchThreads(int threads)
    {
        if (Threads > 1) Run(Threads, p => { if (p > 0) torch.set_num_threads(threads); });
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _stopping = true;
        foreach (var start in _start) start.Set();
        foreach (var worker in _workers) worker.Join();
        foreach (var start in _start) start.Dispose();
        _done.Dispose();
    }

    private void Work(int index)
    {
        var start = _start[index - 1];
        while (true)
        {
            start.Wait();
            start.Reset();
            if (_stopping) return;
            try
            {
                for (int p = index; p < _parts; p += Threads) _body!(p);
            }
            catch (Exception e)
            {
                _failure = e;
            }

            if (Interlocked.Decrement(ref _pending) == 0) _done.Set();
        }
    }
}
