using System.Diagnostics;
using Research.Core.Configuration;
using Research.Core.Data;
using Research.Core.Features.Catalog;

namespace Research.Core.Features;

/// <summary>
/// Computes the configured features for every ticker of a panel: indicators from the catalog, log returns, rolling
/// volatility and z-scores, FinRL's turbulence index and the VIX close. Every value at date t depends on bars up to t.
/// </summary>
public static class FeaturePipeline
{
    /// <summary>Expands selections (<c>all</c>, <c>talib</c>, <c>finrl</c>, names, names with parameters) into specs, without duplicates.</summary>
    public static IReadOnlyList<IndicatorSpec> Expand(IEnumerable<string> selections)
    {
        var specs = new List<IndicatorSpec>();
        foreach (var s in selections)
        {
            switch (s.Trim().ToLowerInvariant())
            {
                case "all":
                    specs.AddRange(IndicatorCatalog.All.Select(d => new IndicatorSpec(d, d.Defaults(), d.Name)));
                    break;
                case "talib":
                    specs.AddRange(IndicatorCatalog.All.Where(d => d.Group != "finrl").Select(d => new IndicatorSpec(d, d.Defaults(), d.Name)));
                    break;
                case "finrl":
                    specs.AddRange(StockStatsIndicators.FinRlDefaults.Select(IndicatorSpec.Parse));
                    break;
                case "":
                    throw new ArgumentException("An empty indicator name.", nameof(selections));
                default:
                    specs.Add(IndicatorSpec.Parse(s));
                    break;
            }
        }

        return specs.DistinctBy(s => s.Label, StringComparer.Ordinal).ToArray();
    }

    /// <summary>Computes every spec's outputs over one ticker's bars; columns in spec order.</summary>
    public static (List<string> Names, List<double[]> Values) ComputeIndicators(Ohlcv bars, IReadOnlyList<IndicatorSpec> specs)
    {
        var names = new List<string>();
        var values = new List<double[]>();
        foreach (var spec in specs)
        {
            var outputs = spec.Definition.Compute(bars, spec.Parameters);
            names.AddRange(spec.Columns);
            values.AddRange(outputs);
        }

        return (names, values);
    }

    /// <summary>
    /// Computes every spec's outputs for every ticker into outputs[spec][ticker][output] (arrays of the bars' lengths),
    /// each value as <see cref="ComputeIndicators(Ohlcv, IReadOnlyList{IndicatorSpec})"/> gives it. Specs with a lane
    /// kernel (FinRL's and TA-Lib's recursive ones, see docs/features.md) run over four tickers at once; the rest ticker by ticker with all of a ticker's
    /// specs in turn, so its bars stay in cache and boll_lb reuses boll_ub's bands.
    /// </summary>
    public static void ComputeIndicators(IReadOnlyList<Ohlcv> bars, IReadOnlyList<IndicatorSpec> specs, double[][][][] outputs)
    {
        if (outputs.Length != specs.Count) throw new ArgumentException($"{specs.Count} specs; got outputs for {outputs.Length}.", nameof(outputs));
        for (int i = 0; i < specs.Count; i++)
        {
            if (specs[i].Definition.HasLaneKernel) specs[i].Definition.ComputeTickers(bars, specs[i].Parameters, outputs[i]);
        }

        for (int k = 0; k < bars.Count; k++)
        {
            for (int i = 0; i < specs.Count; i++)
            {
                if (!specs[i].Definition.HasLaneKernel) specs[i].Definition.Compute(bars[k], specs[i].Parameters, outputs[i][k]);
            }
        }
    }

    /// <summary>Computes the configured features over the panel; <paramref name="vix"/> is the VIX close on the panel's calendar (or null).</summary>
    public static FeatureSet Compute(MarketPanel panel, FeaturesConfig config, double[]? vix = null)
    {
        var specs = Expand(config.Indicators);
        int n = panel.DateCount, tickers = panel.TickerCount;
        var names = new List<string>();
        var columns = new Dictionary<string, double[]>(StringComparer.Ordinal);
        double[] Column(string name)
        {
            if (!columns.TryGetValue(name, out var c))
            {
                c = new double[n * tickers];
                columns[name] = c;
                names.Add(name);
            }

            return c;
        }

        var bars = Enumerable.Range(0, tickers).Select(k => Ohlcv.FromPanel(panel, k)).ToArray();
        var values = specs.Select(s => bars.Select(_ => s.Definition.Outputs.Select(_ => new double[n]).ToArray()).ToArray()).ToArray();
        ComputeIndicators(bars, specs, values);
        for (int k = 0; k < tickers; k++)
        {
            for (int i = 0; i < specs.Count; i++)
            {
                for (int o = 0; o < values[i][k].Length; o++) values[i][k][o].CopyTo(Column(specs[i].Columns[o]), k * n);
            }

            var close = bars[k].Close.Span;
            var logReturns = new double[n];
            SeriesTransforms.LogReturns(close, logReturns);
            if (config.LogReturns) logReturns.CopyTo(Column("log_return"), k * n);
            foreach (int w in config.Volatility) SeriesTransforms.RollingVolatility(logReturns, Column($"volatility_{w}").AsSpan(k * n, n), w);
            foreach (int w in config.ZScore) SeriesTransforms.RollingZScore(close, Column($"zscore_{w}").AsSpan(k * n, n), w);
        }

        if (config.Turbulence)
        {
            var turbulence = Turbulence.Compute(panel.Column(PriceField.Close), tickers, n, config.TurbulenceWindow);
            var c = Column("turbulence");
            for (int k = 0; k < tickers; k++) turbulence.CopyTo(c, k * n);
        }

        if (vix is not null)
        {
            if (vix.Length != n) throw new ArgumentException($"vix has {vix.Length} values; the panel has {n} dates.", nameof(vix));
            var c = Column("vix");
            for (int k = 0; k < tickers; k++) vix.CopyTo(c, k * n);
        }

        return new FeatureSet(panel.Calendar, panel.Tickers, names, columns);
    }

    /// <summary>Times <see cref="Compute"/>; returns the set and the elapsed milliseconds.</summary>
    public static (FeatureSet Features, double Milliseconds) ComputeTimed(MarketPanel panel, FeaturesConfig config, double[]? vix = null)
    {
        var clock = Stopwatch.StartNew();
        var set = Compute(panel, config, vix);
        return (set, clock.Elapsed.TotalMilliseconds);
    }
}
