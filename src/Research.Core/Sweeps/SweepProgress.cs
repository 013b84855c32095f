using System.Diagnostics;
using System.Globalization;

namespace Research.Core.Sweeps;

/// <summary>Progress lines of a running sweep: trials done (finished, killed, failed), running, best so far and the
/// ETA (from this session's pace); one when a trial finishes (at most one a second) and one every interval
/// otherwise.</summary>
internal sealed class SweepProgress : IDisposable
{
    private readonly object _gate = new();
    private readonly TextWriter? _out;
    private readonly SweepFile _sweep;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly HashSet<int> _running = [];
    private readonly Timer? _timer;
    private readonly int _resumedDone;
    private int _finished, _killed, _failed;
    private TrialRecord? _best;
    private TimeSpan _lastPrint = TimeSpan.FromDays(-1);
    private bool _changed = true;

    public SweepProgress(TextWriter? output, SweepFile sweep, IEnumerable<TrialRecord> resumed, TimeSpan interval)
    {
        _out = output;
        _sweep = sweep;
        foreach (var r in resumed.Where(r => r.IsFinished)) Count(r);
        _resumedDone = _finished + _killed + _failed;
        if (output is not null && interval > TimeSpan.Zero) _timer = new Timer(_ => Print(), null, interval, interval);
    }

    public void Started(int trialId)
    {
        lock (_gate) _running.Add(trialId);
    }

    public void Finished(TrialRecord record)
    {
        lock (_gate)
        {
            _running.Remove(record.Trial.Id);
            Count(record);
            _changed = true;
            if (_clock.Elapsed - _lastPrint < TimeSpan.FromSeconds(1)) return;
        }

        Print();
    }

    /// <summary>Prints a line unless nothing finished since the last one.</summary>
    public void PrintIfChanged()
    {
        bool changed;
        lock (_gate) changed = _changed;
        if (changed) Print();
    }

    public void Print()
    {
        if (_out is null) return;
        string line;
        lock (_gate)
        {
            var inv = CultureInfo.InvariantCulture;
            _lastPrint = _clock.Elapsed;
            _changed = false;
            int done = _finished + _killed + _failed;
            int session = done - _resumedDone;
            double elapsed = _clock.Elapsed.TotalSeconds;
            string eta = session > 0 ? string.Create(inv, $"{elapsed / session * Math.Max(0, _sweep.NumSamples - done):F0} s") : "?";
            string best = _best is { } b ? string.Create(inv, $"{b.Value:G6} (trial {b.Trial.Id})") : "—";
            line = string.Create(inv,
                $"sweep {_sweep.Name}: {done}/{_sweep.NumSamples} done ({_finished} finished, {_killed} stopped, {_failed} failed), {_running.Count} running, best {_sweep.Metric} {best}, {elapsed:F1} s elapsed, ETA {eta}");
        }

        lock (_out) _out.WriteLine(line);
    }

    public void Dispose() => _timer?.Dispose();

    private void Count(TrialRecord r)
    {
        switch (r.State)
        {
            case TrialState.Completed:
                _finished++;
                if (_best is null || (_sweep.Mode == OptimizationMode.Min ? r.Value < _best.Value : r.Value > _best.Value)) _best = r;
                break;
            case TrialState.Killed: _killed++; break;
            case TrialState.Failed: _failed++; break;
        }
    }
}
