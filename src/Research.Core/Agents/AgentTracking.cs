using Research.Core.Tracking;

namespace Research.Core.Agents;

/// <summary>
/// MLflow tracking of agents: training progress as run metrics (step = environment steps), and the saved agent as the
/// run's <c>model</c> artifact, which <see cref="AgentStore.Load"/> reads back from <c>runs:/&lt;run-id&gt;/model</c>.
/// </summary>
public static class AgentTracking
{
    /// <summary>Metric: mean undiscounted return of the recent finished episodes.</summary>
    public const string EpisodeReturnMean = "episode_return_mean";

    /// <summary>Metric: mean length of the recent finished episodes.</summary>
    public const string EpisodeLengthMean = "episode_length_mean";

    /// <summary>Metric: environment steps per second of wall time.</summary>
    public const string StepsPerSecond = "steps_per_s";

    /// <summary>The artifact path <see cref="LogModel"/> writes to.</summary>
    public const string ModelArtifactPath = "model";

    /// <summary>
    /// One report's metrics: <see cref="EpisodeReturnMean"/> and <see cref="EpisodeLengthMean"/> (left out before the
    /// first episode ends, while they are NaN), <see cref="StepsPerSecond"/>, and each of
    /// <see cref="AgentProgress.Metrics"/> under its own name.
    /// </summary>
    public static IReadOnlyList<KeyValuePair<string, double>> Metrics(AgentProgress progress)
    {
        ArgumentNullException.ThrowIfNull(progress);
        var metrics = new List<KeyValuePair<string, double>>(progress.Metrics.Count + 3);
        if (!double.IsNaN(progress.MeanEpisodeReturn)) metrics.Add(new(EpisodeReturnMean, progress.MeanEpisodeReturn));
        if (!double.IsNaN(progress.MeanEpisodeLength)) metrics.Add(new(EpisodeLengthMean, progress.MeanEpisodeLength));
        metrics.Add(new(StepsPerSecond, progress.StepsPerSecond));
        foreach (var (key, value) in progress.Metrics.OrderBy(m => m.Key, StringComparer.Ordinal)) metrics.Add(new(key, value));
        return metrics;
    }

    /// <summary>Logs one report's <see cref="Metrics"/> to <paramref name="run"/> at step <paramref name="stepOffset"/> + <see cref="AgentProgress.Steps"/>.</summary>
    public static void LogProgress(this ActiveRun run, AgentProgress progress, long stepOffset = 0)
    {
        ArgumentNullException.ThrowIfNull(run);
        run.LogMetrics(Metrics(progress), stepOffset + progress.Steps);
    }

    /// <summary>
    /// A <see cref="IAgent.Learn"/> callback that logs every report to <paramref name="run"/> (step:
    /// <paramref name="stepOffset"/> + the call's steps), then passes it to <paramref name="next"/>.
    /// </summary>
    public static Action<AgentProgress> Callback(ActiveRun run, long stepOffset = 0, Action<AgentProgress>? next = null)
    {
        ArgumentNullException.ThrowIfNull(run);
        return progress =>
        {
            run.LogProgress(progress, stepOffset);
            next?.Invoke(progress);
        };
    }

    /// <summary>
    /// <see cref="IAgent.Learn"/> with every report logged to <paramref name="run"/> at step = the agent's
    /// <see cref="IAgent.StepsDone"/> before the call + the call's steps, so successive calls continue one curve.
    /// </summary>
    public static void Learn(this IAgent agent, long totalSteps, ActiveRun run, Action<AgentProgress>? callback = null)
    {
        ArgumentNullException.ThrowIfNull(agent);
        agent.Learn(totalSteps, Callback(run, agent.StepsDone, callback));
    }

    /// <summary>
    /// Saves <paramref name="agent"/> (its <c>MLmodel</c> naming the run) as <paramref name="run"/>'s <c>model</c>
    /// artifact, <c>MLmodel</c> copied last; returns the model's URI, <c>runs:/&lt;run-id&gt;/model</c>.
    /// </summary>
    public static string LogModel(this ActiveRun run, IAgent agent)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(agent);
        string temp = Path.Combine(Path.GetTempPath(), "research-agent-" + Guid.NewGuid().ToString("N"));
        try
        {
            agent.Save(temp, run.RunId);
            var files = Directory.EnumerateFiles(temp, "*", SearchOption.AllDirectories)
                .Select(f => Path.GetRelativePath(temp, f).Replace('\\', '/'))
                .OrderBy(f => f == AgentStore.ModelFile).ThenBy(f => f, StringComparer.Ordinal);
            foreach (var file in files) run.LogArtifact(Path.Combine(temp, file), $"{ModelArtifactPath}/{file}");
        }
        finally
        {
            if (Directory.Exists(temp)) Directory.Delete(temp, recursive: true);
        }

        return $"runs:/{run.RunId}/{ModelArtifactPath}";
    }
}
