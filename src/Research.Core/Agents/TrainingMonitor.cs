using System.Diagnostics;
using Research.Core.Environments;

namespace Research.Core.Agents;

/// <summary>
/// Counts one <see cref="IAgent.Learn"/> call's steps, episodes and updates, keeps the recent episodes' returns in a ring,
/// and reports an <see cref="AgentProgress"/> every interval of steps (the only place it allocates).
/// </summary>
internal sealed class TrainingMonitor
{
    private readonly double[] _returns;
    private readonly double[] _lengths;
    private readonly long _interval;
    private readonly Action<AgentProgress>? _callback;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private long _nextReport;
    private long _lastReported = -1;
    private long _lastReportedUpdates = -1;
    private int _filled;
    private int _next;

    public TrainingMonitor(long totalSteps, long interval, int window, Action<AgentProgress>? callback)
    {
        TotalSteps = totalSteps;
        _interval = interval;
        _nextReport = interval;
        _callback = callback;
        _returns = new double[window];
        _lengths = new double[window];
    }

    public long TotalSteps { get; }

    public long Steps { get; private set; }

    public int Episodes { get; private set; }

    public long GradientSteps { get; set; }

    /// <summary>The last update's diagnostics (overwritten in place; copied into each report).</summary>
    public Dictionary<string, double> Metrics { get; } = [];

    /// <summary>Fraction of the call still to go (Stable-Baselines3's <c>progress_remaining</c>).</summary>
    public double ProgressRemaining => 1.0 - (double)Steps / TotalSteps;

    /// <summary>Records the episodes that ended in <paramref name="env"/>'s last step.</summary>
    public void RecordEpisodes(VectorEnv env)
    {
        for (int i = 0; i < env.Count; i++)
        {
            if (!env.EpisodeEnded[i]) continue;
            _returns[_next] = env.EpisodeReturns[i];
            _lengths[_next] = env.EpisodeLengths[i];
            _next = (_next + 1) % _returns.Length;
            _filled = Math.Min(_filled + 1, _returns.Length);
            Episodes++;
        }
    }

    /// <summary>Adds <paramref name="steps"/> environment steps and reports when an interval boundary is crossed.</summary>
    public void AddSteps(int steps)
    {
        Steps += steps;
        if (Steps < _nextReport) return;
        while (_nextReport <= Steps) _nextReport += _interval;
        Report();
    }

    /// <summary>The final report (unless the last one was at this step and update).</summary>
    public void Finish()
    {
        if (_lastReported != Steps || _lastReportedUpdates != GradientSteps) Report();
    }

    /// <summary>Mean return of the recent episodes (NaN before the first).</summary>
    public double MeanReturn => Mean(_returns, _filled);

    private static double Mean(double[] values, int count)
    {
        if (count == 0) return double.NaN;
        double sum = 0;
        for (int i = 0; i < count; i++) sum += values[i];
        return sum / count;
    }

    private void Report()
    {
        _lastReported = Steps;
        _lastReportedUpdates = GradientSteps;
        if (_callback is null) return;
        double seconds = _clock.Elapsed.TotalSeconds;
        double rate = Steps / Math.Max(seconds, 1e-9);
        double meanLength = Mean(_lengths, _filled);
        var eta = TimeSpan.FromSeconds(Math.Max(0, TotalSteps - Steps) / Math.Max(rate, 1e-9));
        _callback(new AgentProgress(Steps, TotalSteps, Episodes, MeanReturn, meanLength, GradientSteps, rate, _clock.Elapsed, eta,
            new Dictionary<string, double>(Metrics)));
    }
}
