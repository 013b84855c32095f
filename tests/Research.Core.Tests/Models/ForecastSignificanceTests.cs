using Research.Core.Data.Splits;
using Research.Core.Evaluation.Reporting;
using Research.Core.Models;

namespace Research.Core.Tests.Models;

/// <summary>The permutation p-value on hand-made inputs, the shuffled-target experiment, and the whole test on synthetic data.</summary>
[Collection("Torch")]
public class ForecastSignificanceTests
{
    [Fact]
    public void P_value_is_one_plus_the_nulls_at_least_as_high_over_n_plus_one()
    {
        // Two of four null ICs are ≥ 0.05 (0.06 and the tie 0.05): (1 + 2) / (4 + 1).
        Assert.Equal(0.6, ForecastSignificance.PValue(0.05, [0.01, 0.06, -0.02, 0.05]), 12);
        Assert.Equal(0.25, ForecastSignificance.PValue(0.1, [0.0, 0.01, 0.02]), 12);     // above every null: the smallest p, 1/(N+1)
        Assert.Equal(1.0, ForecastSignificance.PValue(-0.1, [0.0, 0.01, 0.02]), 12);     // below every null
        Assert.Equal(2.0 / 3, ForecastSignificance.PValue(0.1, [double.NaN, 0.0]), 12);  // an undefined null IC counts against the model
        Assert.Equal("realIc", Assert.Throws<ArgumentException>(() => ForecastSignificance.PValue(double.NaN, [0.0])).ParamName);
        Assert.Equal("nullIcs", Assert.Throws<ArgumentException>(() => ForecastSignificance.PValue(0.0, [])).ParamName);

        var (mean, std) = ForecastSignificance.MeanStd([1.0, 2.0, double.NaN, 3.0]);
        Assert.Equal(2.0, mean, 12);
        Assert.Equal(1.0, std, 12);
        Assert.True(double.IsNaN(ForecastSignificance.MeanStd([1.0]).Std));
    }

    [Fact]
    public void Csv_and_histogram_carry_every_null_ic_and_the_real_one()
    {
        var result = new SignificanceResult(0.031, [0.01, -0.02, double.NaN], 0.005, 0.0212, 0.5, 3, 42, 1.0);
        var csv = ForecastSignificance.NullIcsCsv(result).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("permutation,permutation_seed,test_ic", csv[0]);
        Assert.Equal($"1,{TargetPermutation.SeedFor(42, 1)},0.01", csv[1]);
        Assert.Equal($"3,{TargetPermutation.SeedFor(42, 3)},", csv[3]);
        string html = PermutationHistogram.Html(result, "t");
        Assert.Contains("\"type\":\"histogram\"", html);
        Assert.Contains("real 0.0310", html);
        Assert.Contains("Plotly.newPlot", html);
    }

    [Fact]
    public void Shuffled_target_training_leaves_test_targets_real_and_finds_no_ic_in_noise()
    {
        // Returns are i.i.d. noise, so the daily ICs of any model are independent across days with mean 0 and the t-stat
        // is ~N(0, 1) whatever the model learned: |t| < 4 fails by chance with probability 6e-5 (and the seeds are fixed).
        var panel = ForecasterTests.Synthetic(10, 700, seed: 2, learnable: false);
        var split = TrainValidationTest.ByFraction(panel.Calendar, 0.6, 0.2, embargo: 2);
        var cfg = ForecasterTests.Small with { Epochs = 4 };
        var shuffled = ForecastExperiment.Run(panel, split, null, cfg, 4, false, TextWriter.Null, permutationSeed: TargetPermutation.SeedFor(4, 1));
        var targets = ForecastFeatures.Targets(panel, 1);
        var set = shuffled.TestForecasts;
        Assert.Equal(set.Samples.Select(s => (double)targets[s.Ticker][s.Date]), set.Actual); // scored on the real test targets
        var ic = shuffled.Test[0];
        Assert.True(ic.IcDays > 100, $"{ic.IcDays} IC days");
        Assert.True(Math.Abs(ic.IcTStat) < 4, $"shuffled-target test IC {ic.IcMean:F4}, t {ic.IcTStat:F2}");
    }

    [Fact]
    public void A_learnable_signal_beats_every_shuffled_target_model()
    {
        // AR(2) + weekly seasonal returns: the real model's test IC is ≈ 0.9. Models trained on permuted targets cannot
        // learn the map, so the real IC is above all of them and p takes its smallest value, 1 / (N + 1).
        var panel = ForecasterTests.Synthetic(10, 700, seed: 2);
        var split = TrainValidationTest.ByFraction(panel.Calendar, 0.6, 0.2, embargo: 2);
        var progress = new List<SignificanceProgress>();
        var result = ForecastSignificance.Run(panel, split, ForecasterTests.Small with { Epochs = 4 }, 4, false, 3, progress.Add);
        Assert.Equal([0, 1, 2, 3], progress.Select(p => p.Index));
        Assert.Equal(0, progress[^1].EtaSeconds);
        Assert.Contains("model 2/4 (shuffled targets #1): test IC", progress[1].ToString());
        Assert.True(result.RealIc > 0.5, $"real IC {result.RealIc:F4}");
        Assert.Equal(3, result.NullIcs.Count);
        Assert.All(result.NullIcs, ic => Assert.True(ic < result.RealIc - 0.2, $"null IC {ic:F4} vs real {result.RealIc:F4}"));
        Assert.Equal(0.25, result.PValue, 12);
        Assert.Equal(ForecastSignificance.MeanStd(result.NullIcs), (result.NullMean, result.NullStd));
        Assert.Equal("permutations", Assert.Throws<ArgumentOutOfRangeException>(() =>
            ForecastSignificance.Run(panel, split, ForecasterTests.Small, 4, false, 0)).ParamName);
    }
}
