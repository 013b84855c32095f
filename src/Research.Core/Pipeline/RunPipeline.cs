using System.Diagnostics;
using System.Globalization;
using Research.Core.Configuration;

namespace Research.Core.Pipeline;

/// <summary>Runs stages in order, timing each and printing one progress line per stage.</summary>
public sealed class RunPipeline
{
    private readonly IReadOnlyList<IRunStage> _stages;

    /// <summary>Creates a pipeline of <paramref name="stages"/>.</summary>
    public RunPipeline(IEnumerable<IRunStage> stages) => _stages = stages.ToArray();

    /// <summary>The stages of the main job, in order.</summary>
    public static IReadOnlyList<IRunStage> DefaultStages() =>
    [
        new Stages.DataStage(),
        new Stages.SplitStage(),
        new Stages.FeatureStage(),
        new Stages.ForecastStage(),
        new Stages.RlStage(),
        new Stages.BacktestStage(),
        new Stages.BenchmarkStage(),
        new Stages.SummaryStage(),
        new Stages.ReportStage(),
    ];

    /// <summary>The stages.</summary>
    public IReadOnlyList<IRunStage> Stages => _stages;

    /// <summary>A run folder name: the experiment name and a UTC timestamp.</summary>
    public static string NewRunDirectory(RunConfig config) =>
        Path.Combine(config.Output, $"{config.Name}-{DateTime.UtcNow.ToString("yyyyMMdd-HHmmss-fff", CultureInfo.InvariantCulture)}");

    /// <summary>
    /// Runs every stage; an exception stops the run and propagates after the failing stage is named. With a tracker,
    /// the run is one MLflow parent run with a nested run per stage (ended FAILED on an exception).
    /// </summary>
    public void Run(RunContext context)
    {
        Directory.CreateDirectory(context.RunDirectory);
        var total = Stopwatch.StartNew();
        if (context.Tracker is { } tracker)
        {
            context.TrackedRun = RunTracking.StartParent(tracker, context);
            context.Log.WriteLine($"MLflow: experiment '{context.Config.Name}', run {context.TrackedRun.RunId} in {tracker.Uri}");
        }

        try
        {
            for (int i = 0; i < _stages.Count; i++) RunStage(context, i);
            LogArtifacts(context);
            context.TrackedRun?.End(Tracking.RunStatus.Finished);
        }
        catch
        {
            context.TrackedRun?.End(Tracking.RunStatus.Failed);
            throw;
        }

        context.Log.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Run finished in {FormatSeconds(total.Elapsed)}; artifacts in {context.RunDirectory}"));
    }

    private void RunStage(RunContext context, int i)
    {
        var stage = _stages[i];
        context.Log.WriteLine($"[{i + 1}/{_stages.Count}] {stage.Name} ...");
        var before = new Dictionary<string, double>(context.Metrics);
        context.StageRun = context.TrackedRun?.StartChild(stage.Name);
        var clock = Stopwatch.StartNew();
        try
        {
            stage.Run(context);
        }
        catch (Exception e)
        {
            context.Log.WriteLine($"[{i + 1}/{_stages.Count}] {stage.Name} failed after {clock.Elapsed.TotalSeconds:F1} s: {e.Message}");
            context.StageRun?.End(Tracking.RunStatus.Failed);
            throw;
        }

        context.Metrics[$"time.{stage.Name}_s"] = clock.Elapsed.TotalSeconds;
        if (context.StageRun is { } stageRun)
        {
            var produced = context.Metrics.Where(m => !before.TryGetValue(m.Key, out var v) || !v.Equals(m.Value)).ToList();
            stageRun.LogMetrics(produced);
            context.TrackedRun!.LogMetrics(produced);
            if (stage.Name == "data" && context.Data is { } data) context.TrackedRun.SetTag(RunTracking.DataHashTag, data.DataHash);
            stageRun.End(Tracking.RunStatus.Finished);
            context.StageRun = null;
            context.TrackedRun.Flush();
        }

        context.Log.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"[{i + 1}/{_stages.Count}] {stage.Name} done in {FormatSeconds(clock.Elapsed)}"));
    }

    private static void LogArtifacts(RunContext context)
    {
        if (context.TrackedRun is not { } run) return;
        foreach (var rel in context.Artifacts.Distinct(StringComparer.Ordinal))
        {
            string path = Path.Combine(context.RunDirectory, rel);
            if (File.Exists(path)) run.LogArtifact(path, rel.Replace('\\', '/'));
        }
    }

    private static string FormatSeconds(TimeSpan t) =>
        t.TotalSeconds < 1 ? $"{t.TotalMilliseconds:F0} ms" : $"{t.TotalSeconds:F1} s";
}
