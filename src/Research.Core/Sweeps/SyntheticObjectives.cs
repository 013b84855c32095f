namespace Research.Core.Sweeps;

/// <summary>The synthetic objectives by name: <c>branin</c>, <c>hartmann6</c> and <c>learning-curve</c>.</summary>
public static class SyntheticObjectives
{
    /// <summary>The names known.</summary>
    public static IReadOnlyList<string> Names { get; } = ["branin", "hartmann6", "learning-curve"];

    /// <summary>The space, the objective and the known minimum of the named objective (all minimised).</summary>
    public static (SearchSpace Space, Func<Trial, ITrialReporter, CancellationToken, double> Objective, double Minimum) Create(string name)
    {
        switch (name)
        {
            case "branin": return (Branin.Space, (t, _, _) => Branin.Evaluate(t), Branin.GlobalMinimum);
            case "hartmann6": return (Hartmann6.Space, (t, _, _) => Hartmann6.Evaluate(t), Hartmann6.GlobalMinimum);
            case "learning-curve":
                var task = new LearningCurveTask();
                return (task.Space, task.Run, task.Best().Loss);
            default: throw new ArgumentException($"Unknown objective \"{name}\" (expected {string.Join(", ", Names)}).", nameof(name));
        }
    }
}
