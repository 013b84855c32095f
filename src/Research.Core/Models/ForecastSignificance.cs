using System.Diagnostics;
using System.Globalization;
using Research.Core.Configuration;
using Research.Core.Data;
using Research.Core.Data.Splits;

namespace Research.Core.Models;

/// <summary>One finished model of a permutation test.</summary>
/// <param name="Index">0 for the real model, 1..N for the shuffled-target models.</param>
/// <param name="Total">Models in the test (N + 1).</param>
/// <param name="TestIc">The model's mean daily rank IC on the test block (real targets).</param>
/// <param name="Seconds">Wall time of this model.</param>
/// <param name="EtaSeconds">Estimated seconds until the last model finishes.</param>
public sealed record SignificanceProgress(int Index, int Total, double TestIc, double Seconds, double EtaSeconds)
{
    /// <summary>One progress line: which model, its IC, its time and the ETA.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"  model {Index + 1}/{Total} ({(Index == 0 ? "real targets" : $"shuffled targets #{Index}")}): test IC {TestIc:F4}  {Seconds:F1} s  ETA {EtaSeconds:F0} s");
}

/// <summary>Where the real model's test IC falls among the shuffled-target models' test ICs.</summary>
/// <param name="RealIc">Test IC of the model trained on the real targets.</param>
/// <param name="NullIcs">Test ICs of the models trained on permuted targets, in permutation order.</param>
/// <param name="NullMean">Mean of the finite null ICs.</param>
/// <param name="NullStd">Sample standard deviation (n − 1) of the finite null ICs; NaN with fewer than two.</param>
/// <param name="PValue">One-sided permutation p-value, see <see cref="ForecastSignificance.PValue"/>.</param>
/// <param name="Permutations">N, the number of shuffled-target models.</param>
/// <param name="Seed">The run seed (training seed of every model; permutation seeds derive from it).</param>
/// <param name="Seconds">Wall time of the whole test.</param>
public sealed record SignificanceResult(double RealIc, IReadOnlyList<double> NullIcs, double NullMean, double NullStd, double PValue,
    int Permutations, int Seed, double Seconds);

/// <summary>
/// Permutation test of the forecaster's test IC: the model trained on the real targets against N models trained, with
/// the same config and training seed, on targets permuted within each ticker across the train and validation dates
/// (<see cref="TargetPermutation"/>, permutation seeds <see cref="TargetPermutation.SeedFor"/>(seed, 1..N)). Every model
/// is scored on the same test block with real targets.
/// </summary>
public static class ForecastSignificance
{
    /// <summary>
    /// The one-sided permutation p-value (1 + #{null ≥ real}) / (N + 1): the chance, if the model had no skill, of a test
    /// IC at least as high as the real one, counting the real model as one draw of the null (so it is never 0; its
    /// smallest value is 1/(N + 1)). A non-finite null IC counts as ≥ real (conservative).
    /// </summary>
    /// <exception cref="ArgumentException">The real IC is not finite or there are no null ICs.</exception>
    public static double PValue(double realIc, IReadOnlyList<double> nullIcs)
    {
        ArgumentNullException.ThrowIfNull(nullIcs);
        if (!double.IsFinite(realIc)) throw new ArgumentException($"realIc must be finite (got {realIc}).", nameof(realIc));
        if (nullIcs.Count == 0) throw new ArgumentException("nullIcs must hold at least one null IC.", nameof(nullIcs));
        int atLeast = nullIcs.Count(ic => !double.IsFinite(ic) || ic >= realIc);
        return (1.0 + atLeast) / (nullIcs.Count + 1.0);
    }

    /// <summary>Mean and sample standard deviation (n − 1) of the finite values; NaN where undefined.</summary>
    public static (double Mean, double Std) MeanStd(IReadOnlyList<double> values)
    {
        var finite = values.Where(double.IsFinite).ToArray();
        if (finite.Length == 0) return (double.NaN, double.NaN);
        double mean = finite.Average();
        double std = finite.Length > 1 ? Math.Sqrt(finite.Sum(v => (v - mean) * (v - mean)) / (finite.Length - 1)) : double.NaN;
        return (mean, std);
    }

    /// <summary>The null ICs as CSV: <c>permutation,permutation_seed,test_ic</c>, one row per shuffled-target model (empty IC when undefined).</summary>
    public static string NullIcsCsv(SignificanceResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var inv = CultureInfo.InvariantCulture;
        var sb = new System.Text.StringBuilder("permutation,permutation_seed,test_ic\n");
        for (int i = 0; i < result.NullIcs.Count; i++)
        {
            double ic = result.NullIcs[i];
            sb.Append((i + 1).ToString(inv)).Append(',').Append(TargetPermutation.SeedFor(result.Seed, i + 1).ToString(inv)).Append(',')
                .Append(double.IsFinite(ic) ? ic.ToString("R", inv) : "").Append('\n');
        }

        return sb.ToString();
    }

    /// <summary>
    /// Trains the real model and <paramref name="permutations"/> shuffled-target models (walk-forward off) and compares
    /// their test ICs. <paramref name="onModel"/> is called after every model.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="permutations"/> is below 1.</exception>
    public static SignificanceResult Run(MarketPanel panel, TrainValidationTest split, ForecasterConfig config, int seed, bool quick,
        int permutations, Action<SignificanceProgress>? onModel = null)
    {
        if (permutations < 1) throw new ArgumentOutOfRangeException(nameof(permutations), permutations, "permutations must be ≥ 1.");
        config = config with { WalkForward = false };
        var clock = Stopwatch.StartNew();
        var ics = new double[permutations + 1];
        for (int i = 0; i <= permutations; i++)
        {
            var modelClock = Stopwatch.StartNew();
            int? permutationSeed = i == 0 ? null : TargetPermutation.SeedFor(seed, i);
            var result = ForecastExperiment.Run(panel, split, null, config, seed, quick, TextWriter.Null, permutationSeed: permutationSeed);
            ics[i] = result.Test[0].IcMean;
            result.Forecaster.Dispose();
            double eta = clock.Elapsed.TotalSeconds / (i + 1) * (permutations - i);
            onModel?.Invoke(new SignificanceProgress(i, permutations + 1, ics[i], modelClock.Elapsed.TotalSeconds, eta));
        }

        var nulls = ics[1..];
        var (mean, std) = MeanStd(nulls);
        return new SignificanceResult(ics[0], nulls, mean, std, PValue(ics[0], nulls), permutations, seed, clock.Elapsed.TotalSeconds);
    }
}
