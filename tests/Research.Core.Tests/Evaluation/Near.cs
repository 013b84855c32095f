namespace Research.Core.Tests.Evaluation;

/// <summary>Floating-point assertions for metric tests.</summary>
internal static class Near
{
    /// <summary>Asserts |actual - expected| ≤ tol·max(1, |expected|); NaN and infinities must match exactly.</summary>
    public static void Equal(double expected, double actual, double tol = 1e-10, string? what = null)
    {
        if (double.IsNaN(expected) || double.IsInfinity(expected))
        {
            Assert.True(expected.Equals(actual), $"{what}: expected {expected}, got {actual}");
            return;
        }

        Assert.False(double.IsNaN(actual), $"{what}: expected {expected:R}, got NaN");
        double scale = Math.Max(1, Math.Abs(expected));
        Assert.True(Math.Abs(actual - expected) <= tol * scale, $"{what}: expected {expected:R}, got {actual:R} (diff {actual - expected:E3})");
    }
}
