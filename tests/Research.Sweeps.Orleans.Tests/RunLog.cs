using System.Collections.Concurrent;
using Research.Core.Sweeps;

namespace Research.Sweeps.Orleans.Tests;

/// <summary>Which worker started which trial, how often, and how often each trial was reported finished.</summary>
internal sealed class RunLog
{
    private readonly ConcurrentQueue<(string Worker, int TrialId)> _starts = new();
    private readonly ConcurrentDictionary<int, int> _finished = new();

    /// <summary>A resolver for worker <paramref name="worker"/>: the synthetic objective named by the spec, logged,
    /// with <paramref name="dataHash"/>.</summary>
    public Func<string, (Func<Trial, ITrialReporter, CancellationToken, double> Objective, string DataHash)> Resolver(
        string worker, string dataHash = "data-1", Func<Trial, ITrialReporter, CancellationToken, double, double>? wrap = null) =>
        spec =>
        {
            var objective = SyntheticObjectives.Create(spec).Objective;
            return ((trial, reporter, ct) =>
            {
                _starts.Enqueue((worker, trial.Id));
                double value = objective(trial, reporter, ct);
                return wrap is null ? value : wrap(trial, reporter, ct, value);
            }, dataHash);
        };

    /// <summary>Counts a finished trial (pass as <see cref="ExecutorOptions.OnTrialFinished"/>).</summary>
    public void Finished(TrialRecord record) => _finished.AddOrUpdate(record.Trial.Id, 1, (_, n) => n + 1);

    /// <summary>The trial starts so far, in order.</summary>
    public IReadOnlyList<(string Worker, int TrialId)> Starts => _starts.ToArray();

    /// <summary>How often each trial was reported finished.</summary>
    public IReadOnlyDictionary<int, int> FinishCounts => new Dictionary<int, int>(_finished);
}
