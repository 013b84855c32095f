using System.Security.Cryptography;
using System.Text;

namespace Research.Core.Sweeps;

/// <summary>Turns a parsed <see cref="SweepFile"/> into the objective its trials run. A distributed executor's
/// workers call <see cref="Create"/> on the sweep's re-parsed JSON text (<see cref="SweepFile.JsonText"/>) to get
/// the same function and check the content hash against the coordinator's.</summary>
public static class SweepObjectives
{
    /// <summary>
    /// The objective of <paramref name="sweep"/>: a synthetic function (<c>branin</c>, <c>hartmann6</c>,
    /// <c>learning-curve</c>; content hash = SHA-256 of the name) or the pipeline stages of an experiment config with
    /// each trial's parameters as config overrides (content hash = SHA-256 of the resolved config and the data files).
    /// </summary>
    /// <exception cref="Data.DataFormatException">The pipeline objective's config, stages, metric or space keys are
    /// wrong; the message names the sweep file and the field.</exception>
    public static SweepObjective Create(SweepFile sweep, SweepObjectiveOptions options)
    {
        ArgumentNullException.ThrowIfNull(sweep);
        ArgumentNullException.ThrowIfNull(options);
        if (sweep.SyntheticObjective is { } name)
        {
            var objective = SyntheticObjectives.Create(name).Objective;
            return new SweepObjective(objective, Hash(Encoding.UTF8.GetBytes(name)), _ => null);
        }

        var pipeline = new PipelineObjective(sweep, sweep.PipelineObjective!, options);
        return new SweepObjective(pipeline.Evaluate, pipeline.ContentHash, pipeline.ReadReturns);
    }

    internal static string Hash(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));
}
