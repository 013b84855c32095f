namespace Research.Core.Sweeps;

/// <summary>A sweep objective that runs experiment pipeline stages: <c>{"config", "stages", "metric"}</c>.</summary>
/// <param name="Config">The experiment config, relative to the sweep file's folder (e.g. <c>default.json</c>).</param>
/// <param name="Stages">Names of the pipeline stages to run, in order (e.g. data, split, features, forecast).</param>
/// <param name="Metric">The run metric returned (a validation metric, e.g. <c>forecast.best_val_loss</c>).</param>
public sealed record PipelineObjectiveSpec(string Config, IReadOnlyList<string> Stages, string Metric);
