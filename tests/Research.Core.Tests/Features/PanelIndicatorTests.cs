using Research.Core.Features;
using Research.Core.Features.Catalog;

namespace Research.Core.Tests.Features;

/// <summary>
/// The panel entry point (FinRL's recursive indicators four tickers per vector lane) against the per-ticker kernels:
/// bit for bit, with a padded last group, a ticker with leading NaN (per-ticker fallback), one whose high, low and
/// close coincide and hold still for a while (zero ranges and moves), and non-default periods (dx with period 1).
/// </summary>
public class PanelIndicatorTests
{
    [Fact]
    public void Panel_path_equals_per_ticker_path_bit_for_bit()
    {
        const int n = 500;
        var bars = Enumerable.Range(0, 7).Select(k => RandomBars.Create(n, seed: 40 + k)).ToList();
        bars.Add(BarEdits.WithLeadingNaN(RandomBars.Create(n, seed: 99), 35));
        bars.Add(BarEdits.Flat(RandomBars.Create(n, seed: 7), 100, 140));
        var specs = FeaturePipeline.Expand(["finrl", "close_30_sma(period=10)", "dx_30(period=1)", "rsi_30(period=1)", "macd(fastperiod=3, slowperiod=5)"]).ToArray();
        var outputs = specs.Select(s => bars.Select(_ => s.Definition.Outputs.Select(_ => new double[n]).ToArray()).ToArray()).ToArray();

        FeaturePipeline.ComputeIndicators(bars, specs, outputs);

        for (int i = 0; i < specs.Length; i++)
        {
            for (int k = 0; k < bars.Count; k++)
            {
                var expected = specs[i].Definition.Compute(bars[k], specs[i].Parameters);
                for (int o = 0; o < expected.Length; o++)
                {
                    for (int t = 0; t < n; t++)
                    {
                        Assert.True(BitConverter.DoubleToInt64Bits(expected[o][t]) == BitConverter.DoubleToInt64Bits(outputs[i][k][o][t]),
                            $"{specs[i].Label}, ticker {k}, t = {t}: {expected[o][t]:R} vs {outputs[i][k][o][t]:R}");
                    }
                }
            }
        }
    }
}
