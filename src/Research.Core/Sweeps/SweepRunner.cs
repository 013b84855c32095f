using System.Globalization;
using Research.Core.Data;
using Research.Core.Evaluation;
using Research.Core.Evaluation.Significance;
using Research.Core.IO;
using Research.Core.Tracking;

namespace Research.Core.Sweeps;

/// <summary>
/// Runs a sweep end to end (what <c>research sweep</c> calls, and what a notebook can call): applies the overrides,
/// builds the objective, searcher and scheduler, runs the trials through the executor with a resumable state in the
/// sweep folder (<c>&lt;output root&gt;/&lt;sweep name&gt;/</c>), logs the sweep to MLflow (a parent run, a nested
/// run per trial), then reports the best trial: its deflated Sharpe ratio over the trials tried (pipeline
/// objectives), and two HTML plots (parallel coordinates, optimisation history) written to the folder and logged on
/// the parent run.
/// </summary>
public static class SweepRunner
{
    /// <summary>The default parent of sweep folders, relative to the working directory.</summary>
    public const string DefaultOutputRoot = "runs/sweeps";

    /// <summary>The trial cap of quick mode.</summary>
    public const int QuickSamples = 8;

    /// <summary>Parallel-coordinates page file name.</summary>
    public const string ParallelCoordinatesFile = "parallel_coordinates.html";

    /// <summary>Optimisation-history page file name.</summary>
    public const string HistoryFile = "optimization_history.html";

    /// <summary>The result file (the CLI's <c>--json</c> object) in the sweep folder.</summary>
    public const string ResultFile = "sweep-result.json";

    /// <summary>Runs the sweep file at <paramref name="path"/>.</summary>
    public static SweepOutcome Run(string path, SweepRunOptions options, CancellationToken ct = default) =>
        RunAsync(SweepFile.Load(path), options, ct).GetAwaiter().GetResult();

    /// <summary>Runs <paramref name="file"/>. Cancelling saves the state (resume with <see cref="SweepRunOptions.Resume"/>),
    /// ends the parent run KILLED and throws <see cref="OperationCanceledException"/>.</summary>
    /// <exception cref="DataFormatException">The sweep folder holds a state and resume was not asked for (or the
    /// reverse), or a resume changes the algorithm, seed, quick mode or the objective's data.</exception>
    public static async Task<SweepOutcome> RunAsync(SweepFile file, SweepRunOptions options, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(options);
        string dir = Path.GetFullPath(Path.Combine(options.OutputRoot, file.Name));
        string statePath = Path.Combine(dir, SweepStateStore.FileName);
        var saved = SweepSettings.Load(dir);
        if (options.Resume && (saved is null || !File.Exists(statePath)))
            throw new DataFormatException(statePath, null, null, "nothing to resume: no sweep state in this folder (run without --resume to start).");
        if (!options.Resume && File.Exists(statePath))
            throw new DataFormatException(statePath, null, null, "the sweep folder already holds a sweep; add --resume to continue it, or delete the folder to start again.");

        int samples = options.NumSamples ?? (options.Quick ? Math.Min(file.NumSamples, QuickSamples) : file.NumSamples);
        if (samples < 1) throw new ArgumentException("--num-samples must be ≥ 1.");
        string algorithm = options.Algorithm ?? (options.Resume ? saved!.Algorithm : file.Algorithm);
        if (!SweepFile.Algorithms.Contains(algorithm)) throw new ArgumentException($"--algorithm: \"{algorithm}\" is not one of {string.Join(", ", SweepFile.Algorithms)}.");
        var sweep = file with
        {
            Algorithm = algorithm,
            Seed = options.Seed ?? (options.Resume ? saved!.Seed : file.Seed),
            NumSamples = options.NumSamples ?? (options.Resume ? Math.Max(samples, saved!.NumSamples) : samples),
        };
        var objectiveOptions = new SweepObjectiveOptions { Quick = options.Quick, WorkDirectory = dir };
        var objective = options.Objective ?? SweepObjectives.Create(sweep, objectiveOptions);
        if (options.Resume) saved!.CheckResume(dir, sweep.Algorithm, sweep.Seed, options.Quick, objective.ContentHash);
        new SweepSettings(sweep.Algorithm, sweep.Seed, sweep.NumSamples, options.Quick, objective.ContentHash).Save(dir);

        var tracking = options.Tracker is { } tracker ? new SweepTracking(tracker, sweep, dir, ParentParams(sweep, options.Quick), objective.ContentHash) : null;
        var previous = new SweepStateStore(dir, sweep.Space).Load();
        foreach (var r in previous.Where(r => r.IsFinished)) tracking?.LogTrial(r);
        using var progress = new SweepProgress(options.Progress, sweep, previous, options.ProgressInterval);
        options.Progress?.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"sweep {sweep.Name}: {sweep.ObjectiveName}, {sweep.Algorithm}, scheduler {sweep.Scheduler.Type}, {sweep.NumSamples} trials, {sweep.MaxConcurrent} at a time, {(sweep.Mode == OptimizationMode.Min ? "minimise" : "maximise")} {sweep.Metric}{(options.Quick ? " (quick)" : "")}{(options.Resume ? $", resuming ({previous.Count(r => r.IsFinished)} finished)" : "")}; folder {dir}"));

        var executorOptions = new ExecutorOptions
        {
            MaxTrials = sweep.NumSamples,
            MaxConcurrency = sweep.MaxConcurrent,
            StateDirectory = dir,
            OnTrialFinished = r =>
            {
                tracking?.LogTrial(r);
                progress.Finished(r);
                options.OnTrialFinished?.Invoke(r);
            },
        };
        var execution = new SweepExecution(sweep, objectiveOptions, objective, sweep.CreateSearcher(), sweep.Scheduler.Create(sweep.Mode),
            executorOptions, progress.Started);
        SweepResult result;
        try
        {
            result = await (options.Executor ?? new LocalSweepExecutor()).RunAsync(execution, ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            progress.Print();
            options.Progress?.WriteLine($"sweep {sweep.Name}: interrupted; the state is in {dir}; continue with --resume.");
            tracking?.End(RunStatus.Killed);
            throw;
        }
        catch
        {
            tracking?.End(RunStatus.Failed);
            throw;
        }

        progress.Dispose();
        progress.PrintIfChanged();
        return Report(sweep, result, objective, tracking, dir, options.Progress);
    }

    private static SweepOutcome Report(SweepFile sweep, SweepResult result, SweepObjective objective, SweepTracking? tracking, string dir, TextWriter? log)
    {
        var best = result.Best;
        var (deflated, outOfSample) = best is null ? (null, null) : Deflate(result, best, objective);
        var runIds = new Dictionary<int, string>();
        if (tracking is not null)
        {
            foreach (var t in result.Trials)
            {
                if (tracking.TrialRunId(t.Trial.Id) is { } id) runIds[t.Trial.Id] = id;
            }
        }

        var outcome = new SweepOutcome(sweep, result, tracking?.ParentRunId, runIds, deflated, outOfSample, dir, objective.ContentHash);
        string parallel = Path.Combine(dir, ParallelCoordinatesFile), history = Path.Combine(dir, HistoryFile), json = Path.Combine(dir, ResultFile);
        string note = string.Create(CultureInfo.InvariantCulture,
            $"Sweep {sweep.Name}: {sweep.ObjectiveName}, {sweep.Algorithm} search, {sweep.Scheduler.Type} scheduler, {result.Trials.Count} trials, {(sweep.Mode == OptimizationMode.Min ? "minimise" : "maximise")} {sweep.Metric}.");
        AtomicFile.WriteAllText(parallel, SweepPlots.Html(SweepPlots.ParallelCoordinates(result, sweep.Space, sweep.Metric), $"{sweep.Name}: parameters vs {sweep.Metric}", note));
        AtomicFile.WriteAllText(history, SweepPlots.Html(SweepPlots.History(result, sweep.Metric), $"{sweep.Name}: optimisation history", note));
        AtomicFile.WriteAllText(json, SweepOutcomeJson.Write(outcome, indented: true));
        if (tracking is not null)
        {
            long now = FileStore.NowMs();
            var metrics = new List<Metric>
            {
                new("trials", result.Trials.Count, now, 0),
                new("trials_finished", result.Trials.Count(t => t.State == TrialState.Completed), now, 0),
                new("trials_killed", result.Trials.Count(t => t.State == TrialState.Killed), now, 0),
                new("trials_failed", result.Trials.Count(t => t.State == TrialState.Failed), now, 0),
                new("total_steps", result.TotalSteps, now, 0),
            };
            var tags = new List<KeyValuePair<string, string>>();
            if (best is not null)
            {
                metrics.Add(new("best_trial_id", best.Trial.Id, now, 0));
                metrics.Add(new("best_" + sweep.Metric, best.Value, now, 0));
                if (deflated is { } d) metrics.Add(new("best_deflated_sharpe", d, now, 0));
                if (outOfSample is { } oos)
                {
                    metrics.Add(new("best_test_long_short_sharpe", SharpeSignificance.PerPeriodSharpe(oos.TestReturns), now, 0));
                    metrics.AddRange(oos.TestMetrics.Select(m => new Metric("best_" + m.Key, m.Value, now, 0)));
                }

                tags.Add(new("research.sweep.best_params", string.Join(", ", best.Trial.Parameters.Select(kv => $"{kv.Key}={ParameterValues.Format(kv.Value)}"))));
                if (tracking.TrialRunId(best.Trial.Id) is { } bestRun) tags.Add(new("research.sweep.best_run_id", bestRun));
            }

            tracking.LogParent(metrics, [], tags);
            tracking.LogArtifact(parallel);
            tracking.LogArtifact(history);
            tracking.LogArtifact(json);
            tracking.End(RunStatus.Finished);
        }

        if (log is not null && best is not null)
        {
            log.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"sweep {sweep.Name}: best trial {best.Trial.Id}, {sweep.Metric} {best.Value:G6}, {FormatParams(best.Trial)}{(deflated is { } ds ? $"; deflated Sharpe {ds:F4} over {result.Trials.Count(t => t.State != TrialState.Failed)} trials" : "")}"));
            log.WriteLine($"sweep {sweep.Name}: plots {parallel}, {history}");
        }

        return outcome;
    }

    /// <summary>
    /// The best trial's deflated Sharpe ratio: the probabilistic Sharpe ratio of its test-block long/short returns
    /// against the expected maximum Sharpe of N trials (every completed or stopped trial), with the variance of the
    /// trials' validation-block Sharpe ratios. Null when the objective left no returns.
    /// </summary>
    private static (double?, TrialReturns?) Deflate(SweepResult result, TrialRecord best, SweepObjective objective)
    {
        var bestReturns = objective.ReadReturns(best.Trial.Id);
        if (bestReturns is null || bestReturns.TestReturns.Length < 2) return (null, bestReturns);
        var tried = result.Trials.Where(t => t.State is TrialState.Completed or TrialState.Killed).ToList();
        var sharpes = tried.Select(t => objective.ReadReturns(t.Trial.Id)?.ValidationSharpe).OfType<double>().Where(double.IsFinite).ToArray();
        double variance = sharpes.Length < 2 ? 0 : Math.Pow(NumPy.NanStd(sharpes, 1), 2);
        double dsr = SharpeSignificance.DeflatedSharpeRatio(bestReturns.TestReturns, tried.Count, variance);
        return (double.IsFinite(dsr) ? dsr : null, bestReturns);
    }

    private static Dictionary<string, string> ParentParams(SweepFile sweep, bool quick)
    {
        var inv = CultureInfo.InvariantCulture;
        var p = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["objective"] = sweep.ObjectiveName,
            ["algorithm"] = sweep.Algorithm,
            ["scheduler"] = sweep.Scheduler.Type,
            ["num_samples"] = sweep.NumSamples.ToString(inv),
            ["max_concurrent"] = sweep.MaxConcurrent.ToString(inv),
            ["metric"] = sweep.Metric,
            ["mode"] = sweep.Mode == OptimizationMode.Min ? "min" : "max",
            ["seed"] = sweep.Seed.ToString(inv),
            ["quick"] = quick ? "true" : "false",
        };
        if (sweep.Scheduler.MaxT is { } m) p["scheduler.max_t"] = m.ToString(inv);
        if (sweep.Scheduler.GracePeriod is { } g) p["scheduler.grace_period"] = g.ToString(inv);
        if (sweep.Scheduler.ReductionFactor is { } r) p["scheduler.reduction_factor"] = r.ToString("R", inv);
        if (sweep.Scheduler.MinSamplesRequired is { } s) p["scheduler.min_samples_required"] = s.ToString(inv);
        return p;
    }

    private static string FormatParams(Trial trial) =>
        string.Join(", ", trial.Parameters.Select(kv => $"{kv.Key}={ParameterValues.Format(kv.Value)}"));
}
