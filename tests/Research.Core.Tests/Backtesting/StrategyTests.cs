using Research.Core.Backtesting;
using Research.Core.Backtesting.Costs;
using Research.Core.Backtesting.Strategies;
using Research.Core.Configuration;

namespace Research.Core.Tests.Backtesting;

public class StrategyTests
{
    [Fact]
    public void Sma_cross_buys_on_the_cross_above_and_exits_on_the_cross_below()
    {
        // Falling, then rising (fast crosses above slow), then falling again (crosses below).
        double[] close = [10, 9, 8, 7, 6, 7, 8, 9, 10, 11, 10, 9, 8, 7, 6, 5, 5];
        var panel = Panels.One(close, close, close, close, close.Select(_ => 1e9).ToArray());
        var r = Backtester.Run(panel, new SmaCross(0, 2, 4, 100), new BacktestOptions { Costs = CostModel.Zero });
        // SMA2 > SMA4 first at index 6 (7.5 > 7.0 while at 5: 6.5 < 6.5? no); buy fills at 7's open; cross below at 11 → sell at 12's open.
        var fast = new double[close.Length];
        var slow = new double[close.Length];
        for (int t = 3; t < close.Length; t++) { fast[t] = (close[t] + close[t - 1]) / 2; slow[t] = close[(t - 3)..(t + 1)].Average(); }
        int above = Enumerable.Range(4, close.Length - 4).First(t => fast[t - 1] <= slow[t - 1] && fast[t] > slow[t]);
        int below = Enumerable.Range(above + 1, close.Length - above - 1).First(t => fast[t - 1] >= slow[t - 1] && fast[t] < slow[t]);
        Assert.Equal(2, r.Fills.Count);
        Assert.Equal(panel.Calendar[above + 1], r.Fills[0].Date);
        Assert.Equal(100, r.Fills[0].Quantity);
        Assert.Equal(panel.Calendar[below + 1], r.Fills[1].Date);
        Assert.Equal(-100, r.Fills[1].Quantity);
        Assert.Equal(100 * (close[below + 1] - close[above + 1]), r.RoundTrips.Single().Pnl, 9);
    }

    [Fact]
    public void Minimum_variance_prefers_the_quieter_asset_and_stays_on_the_simplex()
    {
        var rng = new Random(3);
        var quiet = Enumerable.Range(0, 300).Select(_ => 0.005 * (rng.NextDouble() - 0.5)).ToArray();
        var loud = Enumerable.Range(0, 300).Select(_ => 0.05 * (rng.NextDouble() - 0.5)).ToArray();
        var w = MeanVariance.Solve([quiet, loud], minimumVariance: true, riskAversion: 1);
        Assert.Equal(1, w.Sum(), 9);
        Assert.All(w, x => Assert.True(x >= 0));
        Assert.True(w[0] > 0.95, $"weights {w[0]:F3}, {w[1]:F3}");
        // Mean-variance with a strong drift in the loud asset and low risk aversion tilts toward it.
        var drift = loud.Select(x => x + 0.01).ToArray();
        var mv = MeanVariance.Solve([quiet, drift], minimumVariance: false, riskAversion: 1);
        Assert.True(mv[1] > 0.9, $"weights {mv[0]:F3}, {mv[1]:F3}");
        var projected = new[] { 0.8, 0.6, -0.3 };
        MeanVariance.ProjectToSimplex(projected);
        Assert.Equal([0.6, 0.4, 0], projected.Select(x => Math.Round(x, 12)).ToArray());
    }

    [Fact]
    public void Passive_and_model_driven_strategies_run_through_the_same_engine()
    {
        var panel = Panels.Random(5, 300, 11);
        var options = new BacktestOptions { InitialCash = 1e6, Start = 100 };
        var hold = Backtester.Run(panel, new BuyAndHold(), options);
        Assert.Equal(5, hold.Fills.Count);
        var monthly = Backtester.Run(panel, new EqualWeight(RebalanceFrequency.Monthly), options);
        Assert.True(monthly.Fills.Count > 5);
        Assert.All(monthly.Daily.Skip(1), d => Assert.InRange(d.GrossExposure / d.Equity, 0.9, 1.0));
        // Signals: positive for ticker 0 only → it is the only one bought, sized by the Kelly cap (10%).
        var signals = new double[5 * 300];
        Array.Fill(signals, double.NaN);
        for (int t = 0; t < 300; t++) signals[t] = 0.01;
        var model = Backtester.Run(panel, new ModelDriven("model", signals), options);
        Assert.All(model.Fills, f => Assert.Equal(0, f.Ticker));
        Assert.InRange(model.Daily[10].GrossExposure / model.Daily[10].Equity, 0.08, 0.11);
        Assert.Contains(model.Fills, f => f.Tag == "model");
    }

    [Fact]
    public void Model_signals_sized_top_k_or_proportionally()
    {
        // Signals 1, 2, −3, 4, 5 (×0.001) for tickers 0..4 every day: top-2 holds tickers 4 and 3 at 50% each;
        // proportional holds 1/12, 2/12, 0, 4/12, 5/12 (the negative signal gets nothing). Weights are read at the close
        // of the fill day (one day's move off target).
        var panel = Panels.Random(5, 300, 11);
        var signals = new double[5 * 300];
        for (int j = 0; j < 5; j++) for (int t = 0; t < 300; t++) signals[j * 300 + t] = (j == 2 ? -3 : j + 1) * 0.001;
        var options = new BacktestOptions { InitialCash = 1e6, Start = 100, Costs = CostModel.Zero };
        var top = Backtester.Run(panel, new ModelDriven("top", signals, sizing: SignalSizing.TopK, topK: 2), options);
        Assert.Equal([3, 4], top.Fills.Where(f => f.Date == top.Dates[1]).Select(f => f.Ticker).Order().ToArray());
        Assert.InRange(top.Weight(1, 4), 0.46, 0.54);
        Assert.InRange(top.Weight(1, 3), 0.46, 0.54);
        var proportional = Backtester.Run(panel, new ModelDriven("proportional", signals, sizing: SignalSizing.Proportional), options);
        double[] expected = [1 / 12.0, 2 / 12.0, 0, 4 / 12.0, 5 / 12.0];
        for (int j = 0; j < 5; j++) Assert.InRange(proportional.Weight(1, j), expected[j] * 0.92, expected[j] * 1.08 + 1e-12);
        Assert.Equal(0, proportional.Weight(1, 2));
        Assert.Equal(proportional.Weight(1, 4), proportional.WeightSeries(4)[1]);
        Assert.Equal("signals", Assert.Throws<ArgumentException>(() => Backtester.Run(panel, new ModelDriven("bad", new double[7]), options)).ParamName);
        Assert.Equal("topK", Assert.Throws<ArgumentOutOfRangeException>(() => new ModelDriven("x", signals, topK: 0)).ParamName);
    }
}
