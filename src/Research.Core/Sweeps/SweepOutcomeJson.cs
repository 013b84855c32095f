using System.Text.Json;
using Research.Core.IO;
using Research.Core.Tracking;

namespace Research.Core.Sweeps;

/// <summary>
/// The sweep's result object (the <c>research sweep --json</c> contract): <c>{"sweep_run_id", "algorithm",
/// "scheduler", "metric", "mode", "trials": [{"trial_id", "params", "status", "steps", "metric", "run_id"}],
/// "best": {"trial_id", "params", "metric", "deflated_sharpe"}}</c>. Status strings are MLflow's (FINISHED, KILLED,
/// FAILED); a missing value (failed trial, untracked run, objective without returns, no completed trial) is null.
/// </summary>
public static class SweepOutcomeJson
{
    /// <summary>The object as JSON text.</summary>
    public static string Write(SweepOutcome outcome, bool indented = false)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = indented }))
        {
            var sweep = outcome.Sweep;
            w.WriteStartObject();
            w.WriteString("sweep_run_id", outcome.SweepRunId);
            w.WriteString("algorithm", sweep.Algorithm);
            w.WriteString("scheduler", sweep.Scheduler.Type);
            w.WriteString("metric", sweep.Metric);
            w.WriteString("mode", sweep.Mode == OptimizationMode.Min ? "min" : "max");
            w.WriteStartArray("trials");
            foreach (var t in outcome.Result.Trials)
            {
                w.WriteStartObject();
                w.WriteNumber("trial_id", t.Trial.Id);
                WriteParams(w, t.Trial);
                w.WriteString("status", StatusName(t.State));
                w.WriteNumber("steps", t.Step);
                Number(w, "metric", t.Value);
                w.WriteString("run_id", outcome.TrialRunIds.TryGetValue(t.Trial.Id, out var id) ? id : null);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            if (outcome.Best is { } best)
            {
                w.WriteStartObject("best");
                w.WriteNumber("trial_id", best.Trial.Id);
                WriteParams(w, best.Trial);
                Number(w, "metric", best.Value);
                Number(w, "deflated_sharpe", outcome.DeflatedSharpe ?? double.NaN);
                w.WriteEndObject();
            }
            else
            {
                w.WriteNull("best");
            }

            w.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>MLflow's name of a trial state's run status: FINISHED, KILLED, FAILED (RUNNING for an unfinished trial).</summary>
    public static string StatusName(TrialState state) => SweepTracking.Status(state) switch
    {
        RunStatus.Finished => "FINISHED",
        RunStatus.Killed => "KILLED",
        RunStatus.Failed => "FAILED",
        _ => "RUNNING",
    };

    private static void WriteParams(Utf8JsonWriter w, Trial trial)
    {
        w.WriteStartObject("params");
        foreach (var (k, v) in trial.Parameters)
        {
            w.WritePropertyName(k);
            ParameterValues.Write(w, v);
        }

        w.WriteEndObject();
    }

    private static void Number(Utf8JsonWriter w, string name, double value)
    {
        if (double.IsFinite(value)) w.WriteNumber(name, value);
        else w.WriteNull(name);
    }
}
