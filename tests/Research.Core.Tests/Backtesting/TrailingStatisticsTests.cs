using Research.Core.Backtesting;

namespace Research.Core.Tests.Backtesting;

/// <summary><see cref="TrailingStatistics"/>: windows before each bar, and the value for the bar after the last.</summary>
public class TrailingStatisticsTests
{
    [Fact]
    public void Each_bar_sees_only_the_window_before_it_and_the_extra_value_is_the_next_bars()
    {
        var rng = new Random(5);
        int n = 60, window = 20;
        var close = new double[n + 1];
        var volume = new double[n + 1];
        close[0] = 100;
        for (int t = 0; t <= n; t++)
        {
            if (t > 0) close[t] = close[t - 1] * (1 + 0.02 * (rng.NextDouble() - 0.5));
            volume[t] = 1000 + rng.Next(500);
        }

        // The full series' value at bar n equals the extra value computed without bar n: nothing of a bar enters its own statistics.
        var sigma = new double[n + 1];
        var adv = new double[n + 1];
        TrailingStatistics.Compute(close, volume, window, sigma, adv);
        var sigmaNext = new double[n + 1];
        var advNext = new double[n + 1];
        TrailingStatistics.Compute(close.AsSpan(0, n), volume.AsSpan(0, n), window, sigmaNext, advNext);
        Assert.Equal(sigma, sigmaNext);
        Assert.Equal(adv, advNext);

        // Bar t's values are the sample σ of the returns of bars [t − window, t) and their mean volume.
        int at = 45;
        var returns = Enumerable.Range(at - window, window).Select(i => close[i] / close[i - 1] - 1).ToArray();
        double mean = returns.Average();
        double expectedSigma = Math.Sqrt(returns.Sum(r => (r - mean) * (r - mean)) / (window - 1));
        Assert.Equal(expectedSigma, sigma[at], 1e-12);
        Assert.Equal(volume[(at - window)..at].Average(), adv[at], 1e-9);
        Assert.True(double.IsNaN(sigma[0]) && double.IsNaN(sigma[1]) && double.IsNaN(adv[0]));
        Assert.Throws<ArgumentException>(() => TrailingStatistics.Compute(close.AsSpan(0, 10), volume.AsSpan(0, 10), window, new double[12], new double[12]));
    }
}
