using System.Text;

namespace Research.Core.Pipeline.Stages;

/// <summary>Splits the calendar into train/validation/test and walk-forward windows; no date lands in two blocks.</summary>
public sealed class SplitStage : IRunStage
{
    /// <inheritdoc />
    public string Name => "split";

    /// <inheritdoc />
    public void Run(RunContext context)
    {
        var calendar = context.RequireData().Panel.Calendar;
        var split = context.Config.Split.Apply(calendar);
        context.Split = split;
        context.Windows = context.Config.WalkForward.Apply(calendar.Count);
        var sb = new StringBuilder();
        sb.AppendLine($"  {split.Describe(calendar)}");
        var w = context.Windows;
        sb.Append($"  walk-forward: {w.Count} {context.Config.WalkForward.Mode.ToString().ToLowerInvariant()} windows, ");
        sb.Append($"first test {calendar[w[0].Test.Start]:yyyy-MM-dd}, last test ends {calendar[w[^1].Test.End - 1]:yyyy-MM-dd}");
        context.Log.WriteLine(sb.ToString());
        var file = new StringBuilder();
        file.AppendLine(split.Describe(calendar));
        foreach (var x in w)
        {
            file.AppendLine($"window {x.Index}: {x.Train.Describe(calendar)}; {x.Validation.Describe(calendar)}; {x.Test.Describe(calendar)}");
        }

        context.WriteArtifact("splits.txt", file.ToString());
        context.Metrics["split.train_days"] = split.Train.Length;
        context.Metrics["split.validation_days"] = split.Validation.Length;
        context.Metrics["split.test_days"] = split.Test.Length;
        context.Metrics["split.walk_forward_windows"] = w.Count;
    }
}
