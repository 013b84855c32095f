using Research.Core.Monitoring;

namespace Research.Core.Tests.Monitoring;

/// <summary>PSI and the two-sample KS statistic against hand-computed values; the saved training reference.</summary>
public class DistributionDriftTests
{
    [Fact]
    public void Psi_bins_at_the_reference_quantiles()
    {
        // Median edge 2.5: reference shares ½, ½; live ¾, ¼ → ¼·ln(3/2) + ¼·ln 2 = ¼·ln 3.
        Assert.Equal(0.25 * Math.Log(3), DistributionDrift.Psi([1, 2, 3, 4], [1, 1, 1, 4], bins: 2), 12);
        Assert.Equal(0, DistributionDrift.Psi([1, 2, 3, 4], [4, 3, 2, 1], bins: 2), 12);
        // An empty live bin is floored at 1e-4.
        double expected = 0.5 * Math.Log(2) + (1e-4 - 0.5) * Math.Log(1e-4 / 0.5);
        Assert.Equal(expected, DistributionDrift.Psi([1, 2, 3, 4], [1, 1, 1, 1], bins: 2), 12);
        Assert.True(double.IsNaN(DistributionDrift.Psi([1, 2], [double.NaN])));
    }

    [Fact]
    public void Psi_with_ten_bins_is_zero_for_the_reference_itself_and_ignores_non_finite_values()
    {
        var reference = Enumerable.Range(0, 1000).Select(i => i / 10.0).ToArray();
        Assert.Equal(0, DistributionDrift.Psi(reference, reference), 12);
        Assert.Equal(0, DistributionDrift.Psi(reference, [.. reference, double.NaN, double.PositiveInfinity]), 12);
        // Everything above the reference's 90th percentile: live share 1 in the top bin, 1e-4 in the nine others.
        double shifted = (1 - 0.1) * Math.Log(1 / 0.1) + 9 * (1e-4 - 0.1) * Math.Log(1e-4 / 0.1);
        Assert.Equal(shifted, DistributionDrift.Psi(reference, [200, 300]), 12);
    }

    [Fact]
    public void Ks_is_the_largest_gap_between_the_empirical_cdfs_with_ties_together()
    {
        Assert.Equal(0.5, DistributionDrift.KolmogorovSmirnov([1, 2, 3, 4], [3, 4, 5, 6]), 12);
        // At 3: F_a = 1, F_b = ½.
        Assert.Equal(0.5, DistributionDrift.KolmogorovSmirnov([1, 2, 3], [1.5, 10]), 12);
        // Ties: at 1, F_a = ⅔ and F_b = ⅓; at 2 both reach 1.
        Assert.Equal(1.0 / 3, DistributionDrift.KolmogorovSmirnov([1, 1, 2], [1, 2, 2]), 12);
        Assert.Equal(0, DistributionDrift.KolmogorovSmirnov([1, 2, 3], [3, 2, 1]));
        Assert.Equal(1, DistributionDrift.KolmogorovSmirnov([1, 2], [3, 4]));
        Assert.True(double.IsNaN(DistributionDrift.KolmogorovSmirnov([], [1])));
    }

    [Fact]
    public void Reference_holds_quantiles_of_finite_values_on_the_training_dates_pooled_over_tickers()
    {
        // Two tickers, two features, dates 0..3; training dates [1, 3). Feature 0: 2, 3 and 20, 30; feature 1: NaN, 5 and 7, 9.
        float[][] raw =
        [
            [1, 100, 2, float.NaN, 3, 5, 4, 100],
            [10, 100, 20, 7, 30, 9, 40, 100],
        ];
        var reference = FeatureReference.Fit(raw, ["a", "b"], start: 1, end: 3, points: 3);
        Assert.Equal([4L, 3L], reference.Rows);
        Assert.Equal([2, 11.5, 30], reference.Quantiles[0]);
        Assert.Equal([5, 7, 9], reference.Quantiles[1]);

        string folder = Path.Combine(Path.GetTempPath(), $"reference-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        try
        {
            Assert.Null(FeatureReference.TryLoad(folder));
            reference.Save(folder);
            var loaded = FeatureReference.TryLoad(folder)!;
            Assert.Equal(reference.Features, loaded.Features);
            Assert.Equal(reference.Rows, loaded.Rows);
            Assert.Equal(reference.Quantiles, loaded.Quantiles);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
