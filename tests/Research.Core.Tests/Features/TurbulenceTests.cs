using System.Globalization;
using Research.Core.Features;

namespace Research.Core.Tests.Features;

/// <summary>The turbulence index against FinRL's own calculate_turbulence on the embedded closes (tests/reference/finrl).</summary>
public class TurbulenceTests
{
    [Fact]
    public void Matches_FinRL_on_the_embedded_DJIA_closes()
    {
        var files = Directory.GetFiles(TestPaths.Djia, "*.csv").Order(StringComparer.Ordinal).ToArray();
        var perTicker = files.Select(f => File.ReadLines(f).Skip(1).Select(l => l.Split(','))
            .ToDictionary(p => p[0], p => p[4].Length == 0 ? double.NaN : double.Parse(p[4], CultureInfo.InvariantCulture))).ToArray();
        var dates = perTicker.SelectMany(d => d.Keys).Distinct().Order(StringComparer.Ordinal).ToArray();
        var close = new double[files.Length * dates.Length];
        for (int k = 0; k < files.Length; k++)
        {
            for (int t = 0; t < dates.Length; t++) close[k * dates.Length + t] = perTicker[k].TryGetValue(dates[t], out var v) ? v : double.NaN;
        }

        var ours = Turbulence.Compute(close, files.Length, dates.Length);
        var reference = File.ReadLines(Path.Combine(TestPaths.RepoRoot, "tests", "Research.Core.Tests", "Features", "Reference", "DJIA.turbulence.csv"))
            .Skip(1).Select(l => l.Split(',')).ToArray();
        Assert.Equal(reference.Length, dates.Length);
        int positive = 0;
        for (int t = 0; t < dates.Length; t++)
        {
            Assert.Equal(reference[t][0], dates[t]);
            double expected = double.Parse(reference[t][1], CultureInfo.InvariantCulture);
            Assert.True(Math.Abs(ours[t] - expected) <= 1e-7 * Math.Max(1, expected), $"{dates[t]}: FinRL {expected}, ours {ours[t]}");
            if (expected > 0) positive++;
        }

        Assert.True(positive > 2500, $"only {positive} positive values");
    }

    [Fact]
    public void Uses_only_returns_up_to_the_day()
    {
        var rng = new Random(5);
        int tickers = 4, dates = 320;
        var close = new double[tickers * dates];
        for (int k = 0; k < tickers; k++)
        {
            double p = 50;
            for (int t = 0; t < dates; t++) close[k * dates + t] = p *= Math.Exp(0.02 * (rng.NextDouble() - 0.5));
        }

        var a = Turbulence.Compute(close, tickers, dates);
        var changed = (double[])close.Clone();
        for (int k = 0; k < tickers; k++) for (int t = 300; t < dates; t++) changed[k * dates + t] *= 1.5;
        var b = Turbulence.Compute(changed, tickers, dates);
        Assert.Equal(a[..300], b[..300]);
        Assert.NotEqual(a[300], b[300]);
    }
}
