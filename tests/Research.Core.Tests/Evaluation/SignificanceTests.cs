using Research.Core.Evaluation;
using Research.Core.Evaluation.Significance;

namespace Research.Core.Tests.Evaluation;

public class SignificanceTests
{
    internal static double[] Normal(SeededRandom rng, int n, double mean = 0, double sd = 1)
    {
        var x = new double[n];
        for (int i = 0; i < n; i++)
        {
            // Box–Muller
            double u1 = 1 - rng.NextDouble(), u2 = rng.NextDouble();
            x[i] = mean + sd * Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
        }

        return x;
    }

    [Fact]
    public void Deflated_sharpe_reproduces_the_paper_example()
    {
        // Bailey & López de Prado (2014), §5: best of N = 100 trials, annual SR 2.5 over T = 1250 days (250 a year),
        // variance of the trials' annual SRs 1/2, skew -3, kurtosis 10 → SR₀ ≈ 0.1132 per day, DSR ≈ 0.9004.
        double sr = 2.5 / Math.Sqrt(250), v = 0.5 / 250;
        double sr0 = SharpeSignificance.ExpectedMaximumSharpe(100, v);
        Near.Equal(0.11317200186513214, sr0, 1e-9); // scipy: √V((1-γ)Φ⁻¹(0.99) + γΦ⁻¹(1 - 1/(100e)))
        double dsr = SharpeSignificance.ProbabilisticSharpeRatio(sr, 1250, -3, 10 - 3, sr0);
        Near.Equal(0.9003968344493903, dsr, 1e-9);
        Assert.Equal(0.9004, Math.Round(dsr, 4));
        // E[max] of N standard normals' Sharpes grows with N (values from the same formula in scipy)
        Near.Equal(1.57459830134575, SharpeSignificance.ExpectedMaximumSharpe(10, 1), 1e-9);
        Near.Equal(3.255121513652723, SharpeSignificance.ExpectedMaximumSharpe(1000, 1), 1e-9);
        Assert.Equal(0, SharpeSignificance.ExpectedMaximumSharpe(1, 1));
    }

    [Fact]
    public void Probabilistic_sharpe_from_returns()
    {
        // S1: SR = 0.004 / 0.0175906 = 0.22739441, skew -0.0287875, excess kurtosis -1.2463507, T = 8
        // PSR = Φ(0.22739 × √7 / √(1 + 0.0287875 × 0.22739 + (-1.24635 + 2)/4 × 0.22739²)) = 0.7246756 (scipy)
        Near.Equal(0.724675625349713, SharpeSignificance.ProbabilisticSharpeRatio(ReferenceSeries.S1), 1e-9);
        Near.Equal(0.6309392298418413, SharpeSignificance.ProbabilisticSharpeRatio(ReferenceSeries.S1, 0.1), 1e-9);
        // Normal returns with SR = SR*: PSR = 0.5 exactly
        Near.Equal(0.5, SharpeSignificance.ProbabilisticSharpeRatio(0.1, 500, 0, 0, 0.1), 1e-12);
        // DSR with the trials' Sharpes: N = 4, V = var([0.1, 0.2, 0.0, 0.3], ddof=1) = 0.0166667
        double[] trials = [0.1, 0.2, 0.0, 0.3];
        double sr0 = SharpeSignificance.ExpectedMaximumSharpe(4, 0.05 / 3);
        Near.Equal(SharpeSignificance.ProbabilisticSharpeRatio(ReferenceSeries.S1, sr0),
            SharpeSignificance.DeflatedSharpeRatio(ReferenceSeries.S1, trials), 1e-12);
        Assert.True(SharpeSignificance.DeflatedSharpeRatio(ReferenceSeries.S1, trials) < SharpeSignificance.ProbabilisticSharpeRatio(ReferenceSeries.S1));
    }

    [Fact]
    public void Lo_and_Mertens_standard_errors()
    {
        // Lo (2002) iid: √((1 + SR²/2)/T) with SR = 0.1, T = 100 → √(1.005/100)
        Near.Equal(Math.Sqrt(1.005 / 100), SharpeSignificance.StandardError(0.1, 100, SharpeErrorModel.IidNormal), 1e-15);
        // Mertens: √((1 - γ₃SR + (γ₄ - 1)/4 SR²)/T), γ₃ = -1, γ₄ = 6 → 1 + 0.1 + 1.25 × 0.01 = 1.1125
        Near.Equal(Math.Sqrt(1.1125 / 100),
            SharpeSignificance.StandardError(0.1, 100, SharpeErrorModel.SkewKurtosisAdjusted, -1, 3), 1e-15);
        // normal returns: both formulas agree
        Near.Equal(SharpeSignificance.StandardError(0.3, 50, SharpeErrorModel.IidNormal),
            SharpeSignificance.StandardError(0.3, 50, SharpeErrorModel.SkewKurtosisAdjusted, 0, 0), 1e-15);
        // the interval is annualised and centred on empyrical's Sharpe
        var ci = SharpeSignificance.ConfidenceInterval(ReferenceSeries.S1, 0.95, SharpeErrorModel.IidNormal);
        Near.Equal(ReferenceSeries.S1Expected["sharpe_ratio"], ci.Sharpe, 1e-10);
        double se = Math.Sqrt((1 + 0.22739441047045125 * 0.22739441047045125 / 2) / 8) * Math.Sqrt(252);
        Near.Equal(se, ci.StandardError, 1e-9);
        Near.Equal(ci.Sharpe - 1.959963984540054 * se, ci.Lower, 1e-9);
    }

    [Fact]
    public void Lo_standard_error_matches_the_spread_of_simulated_sharpes()
    {
        var rng = new SeededRandom(11);
        const int samples = 1500, n = 250;
        var sharpes = new double[samples];
        for (int s = 0; s < samples; s++) sharpes[s] = SharpeSignificance.PerPeriodSharpe(Normal(rng, n, 0.05, 1));
        double empirical = Math.Sqrt(sharpes.Select(x => (x - sharpes.Average()) * (x - sharpes.Average())).Sum() / (samples - 1));
        double lo = SharpeSignificance.StandardError(0.05, n, SharpeErrorModel.IidNormal);
        Assert.InRange(empirical / lo, 0.92, 1.08);
    }

    [Fact]
    public void Stationary_bootstrap_is_reproducible_with_a_seed()
    {
        var r = Normal(new SeededRandom(3), 500, 0.0005, 0.01);
        var a = StationaryBootstrap.SharpeConfidenceInterval(r, 10, 400, 0.9, seed: 123);
        var b = StationaryBootstrap.SharpeConfidenceInterval(r, 10, 400, 0.9, seed: 123);
        var c = StationaryBootstrap.SharpeConfidenceInterval(r, 10, 400, 0.9, seed: 124);
        Assert.Equal(a, b);
        Assert.NotEqual(a.Lower, c.Lower);
        Assert.Equal(RatioMetrics.SharpeRatio(r), a.Estimate);
        Assert.True(a.Lower < a.Estimate && a.Estimate < a.Upper);
        Assert.Equal(400, a.ValidResamples);
        // the indices of a fixed seed never change (the generator is ours, not the runtime's); the sequence below was
        // computed independently with a Python transcription of SplitMix64 + xoshiro256**: a new block starts at 1
        Assert.Equal([14, 15, 16, 17, 18, 1, 2, 3, 4, 5, 6, 7], ResampleIndices20(12));
        // blocks: with L = 5 consecutive indices follow each other most of the time
        var idx = StationaryBootstrap.ResampleIndices(10000, 5, new SeededRandom(9));
        double continued = Enumerable.Range(1, idx.Length - 1).Count(t => idx[t] == (idx[t - 1] + 1) % 10000) / (double)(idx.Length - 1);
        Assert.InRange(continued, 0.78, 0.82); // 1 - 1/L
    }

    [Fact]
    public void Bootstrap_standard_error_of_iid_data_is_close_to_Lo()
    {
        var r = Normal(new SeededRandom(5), 1000, 0.0004, 0.01);
        var boot = StationaryBootstrap.SharpeConfidenceInterval(r, 1, 1000, seed: 8);
        var lo = SharpeSignificance.ConfidenceInterval(r, 0.95, SharpeErrorModel.IidNormal);
        Assert.InRange(boot.StandardError / lo.StandardError, 0.85, 1.15);
    }

    // ResampleIndices with n = 20 and L = 3, seed 1, first `count` entries.
    private static int[] ResampleIndices20(int count) =>
        [.. StationaryBootstrap.ResampleIndices(20, 3, new SeededRandom(1)).Take(count)];

    private static double[,] Matrix(int t, int n, int seed, double edge)
    {
        var rng = new SeededRandom((ulong)seed);
        var m = new double[t, n];
        for (int j = 0; j < n; j++)
        {
            var col = Normal(rng, t, j == 0 ? edge : 0, 0.01);
            for (int i = 0; i < t; i++) m[i, j] = col[i];
        }

        return m;
    }

    [Fact]
    public void Cscv_noise_trials_give_pbo_near_one_half()
    {
        // N = 10 trials of pure noise: the in-sample winner is a random trial out of sample, so E[PBO] = 1/2.
        var pbos = Enumerable.Range(0, 12).Select(seed => Cscv.ProbabilityOfBacktestOverfitting(Matrix(480, 10, seed, 0), 12).Probability).ToArray();
        Assert.InRange(pbos.Average(), 0.38, 0.62);
        var one = Cscv.ProbabilityOfBacktestOverfitting(Matrix(480, 10, 1, 0), 12);
        Assert.Equal(924, one.Combinations); // C(12, 6)
        Assert.Equal(one.Logits.Count(l => l <= 0) / 924.0, one.Probability);
    }

    [Fact]
    public void Cscv_a_trial_with_a_real_edge_gives_pbo_near_zero()
    {
        // trial 0 earns 0.5σ a day more than nine noise trials: it wins in and out of sample in every split
        var result = Cscv.ProbabilityOfBacktestOverfitting(Matrix(480, 10, 4, 0.005), 12);
        Assert.True(result.Probability < 0.02, $"PBO {result.Probability}");
        Assert.All(result.SelectedTrials, s => Assert.Equal(0, s));
        Assert.Equal(0, result.ProbabilityOfLoss);
    }

    [Fact]
    public void Cscv_custom_statistic_agrees_with_the_fast_sharpe_path()
    {
        var m = Matrix(200, 6, 2, 0.001);
        var fast = Cscv.ProbabilityOfBacktestOverfitting(m, 8);
        var slow = Cscv.ProbabilityOfBacktestOverfitting(m, 8, r => NumPyMean(r) / NumPyStd(r));
        Assert.Equal(fast.SelectedTrials, slow.SelectedTrials);
        for (int i = 0; i < fast.Logits.Length; i++) Near.Equal(fast.Logits[i], slow.Logits[i], 1e-9);
        Assert.Throws<ArgumentOutOfRangeException>(() => Cscv.ProbabilityOfBacktestOverfitting(m, 7));
        Assert.Throws<ArgumentException>(() => Cscv.ProbabilityOfBacktestOverfitting(new double[10, 1], 2));
    }

    private static double NumPyMean(ReadOnlySpan<double> r)
    {
        double s = 0;
        foreach (double v in r) s += v;
        return s / r.Length;
    }

    private static double NumPyStd(ReadOnlySpan<double> r)
    {
        double m = NumPyMean(r), s = 0;
        foreach (double v in r) s += (v - m) * (v - m);
        return Math.Sqrt(s / (r.Length - 1));
    }
}
