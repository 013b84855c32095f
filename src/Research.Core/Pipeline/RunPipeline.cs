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
        new Stages.BenchmarkStage(),
        new Stages.SummaryStage(),
        new Stages.ReportStage(),
    ];

    /// <summary>The stages.</summary>
    public IReadOnlyList<IRunStage> Stages => _stages;

    /// <summary>A run folder name: the experiment name and a UTC timestamp.</summary>
    public static string NewRunDirectory(RunConfig config) =>
        Path.Combine(config.Output, $"{config.Name}-{DateTime.UtcNow.ToString("yyyyMMdd-HHmmss-fff", CultureInfo.InvariantCulture)}");

    /// <summary>Runs every stage; an exception stops the run and propagates after the failing stage is named.</summary>
    public void Run(RunContext context)
    {
        Directory.CreateDirectory(context.RunDirectory);
        var total = Stopwatch.StartNew();
        for (int i = 0; i < _stages.Count; i++)
        {
            var stage = _stages[i];
            context.Log.WriteLine($"[{i + 1}/{_stages.Count}] {stage.Name} ...");
            var clock = Stopwatch.StartNew();
            try
            {
                stage.Run(context);
            }
            catch (Exception e)
            {
                context.Log.WriteLine($"[{i + 1}/{_stages.Count}] {stage.Name} failed after {clock.Elapsed.TotalSeconds:F1} s: {e.Message}");
                throw;
            }

            context.Metrics[$"time.{stage.Name}_s"] = clock.Elapsed.TotalSeconds;
            context.Log.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"[{i + 1}/{_stages.Count}] {stage.Name} done in {FormatSeconds(clock.Elapsed)}"));
        }

        context.Log.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Run finished in {FormatSeconds(total.Elapsed)}; artifacts in {context.RunDirectory}"));
    }

    private static string FormatSeconds(TimeSpan t) =>
        t.TotalSeconds < 1 ? $"{t.TotalMilliseconds:F0} ms" : $"{t.TotalSeconds:F1} s";
}
