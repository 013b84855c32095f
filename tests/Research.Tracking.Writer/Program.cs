using Research.Core.Tracking;

// Usage: Research.Tracking.Writer <store root> <experiment> <runs> <tag>
// Logs <runs> runs (param i, three loss points, tag writer=<tag>) into the store, each ended FINISHED.
if (args.Length != 4 || !int.TryParse(args[2], out int runs))
{
    Console.Error.WriteLine("usage: Research.Tracking.Writer <store root> <experiment> <runs> <tag>");
    return 2;
}

using var tracker = Tracker.FromUri(args[0]);
for (int i = 0; i < runs; i++)
{
    using var run = tracker.StartRun($"{args[3]}-{i}", args[1]);
    run.LogParam("i", i.ToString(System.Globalization.CultureInfo.InvariantCulture));
    for (int step = 0; step < 3; step++) run.LogMetric("loss", 1.0 / (step + 1 + i), step);
    run.SetTag("writer", args[3]);
}

return 0;
