namespace Research.Core.Tests.Evaluation;

/// <summary>Deterministic return series shared by the metric tests and their Python reference values.</summary>
internal static class ReferenceSeries
{
    /// <summary>Eight hand-sized daily returns.</summary>
    public static readonly double[] S1 = [0.01, -0.02, 0.03, -0.01, 0.02, 0.005, -0.015, 0.012];

    /// <summary>A benchmark for <see cref="S1"/>.</summary>
    public static readonly double[] B1 = [0.005, -0.01, 0.02, -0.005, 0.01, 0.0, -0.01, 0.008];

    /// <summary>
    /// A smooth pseudo-random strategy of <paramref name="n"/> returns, the same as the NumPy expression
    /// <c>0.0004 + 0.012*sin(0.7t)*cos(0.13t) + 0.004*sin(2.3t + 1)</c> for t = 0..n-1.
    /// </summary>
    public static double[] Strategy(int n) =>
        [.. Enumerable.Range(0, n).Select(t => 0.0004 + 0.012 * Math.Sin(0.7 * t) * Math.Cos(0.13 * t) + 0.004 * Math.Sin(2.3 * t + 1.0))];

    /// <summary>Its benchmark: <c>0.0003 + 0.009*sin(0.7t + 0.4) + 0.003*cos(1.7t)</c>.</summary>
    public static double[] Benchmark(int n) =>
        [.. Enumerable.Range(0, n).Select(t => 0.0003 + 0.009 * Math.Sin(0.7 * t + 0.4) + 0.003 * Math.Cos(1.7 * t))];

    /// <summary>
    /// Reference values from empyrical 0.5.5 (numpy 1.24, scipy 1.10; skew/kurtosis are scipy.stats defaults) for a
    /// series and benchmark: keys are empyrical function names, suffixes mark non-default arguments
    /// (_rf: risk_free=0.0001; _req: required_return=0.001 for Sortino; _rf_req: omega with risk_free=0.0001,
    /// required_return=0.05; _01: cutoff 0.01).
    /// </summary>
    public static readonly Dictionary<string, double> S1Expected = new()
    {
        ["cum_returns_final"] = 0.03134233516282903,
        ["annual_return"] = 1.643562769515798,
        ["annual_volatility"] = 0.2792418306772823,
        ["sharpe_ratio"] = 3.6097743577857364,
        ["sharpe_ratio_rf"] = 3.519529998841094,
        ["sortino_ratio"] = 6.670160004284652,
        ["sortino_ratio_req"] = 4.7096633738893185,
        ["downside_risk"] = 0.15112081259707413,
        ["calmar_ratio"] = 82.17813847579005,
        ["max_drawdown"] = -0.019999999999999962,
        ["omega_ratio"] = 1.7111111111111112,
        ["omega_ratio_rf_req"] = 1.6462593678015371,
        ["tail_ratio"] = 1.4520547945205478,
        ["stability_of_timeseries"] = 0.508510438968214,
        ["value_at_risk"] = -0.01825,
        ["value_at_risk_01"] = -0.01965,
        ["conditional_value_at_risk"] = -0.02,
        ["skew"] = -0.028787548048236213,
        ["kurtosis"] = -1.2463506776856124,
        ["alpha"] = 0.07692176026461817,
        ["beta"] = 1.6470588235294115,
        ["alpha_rf"] = 0.09462004287747083,
        ["excess_sharpe"] = 0.23400287081667823,
    };

    /// <summary>empyrical 0.5.5 on <c>Strategy(300)</c> / <c>Benchmark(300)</c>; rolling windows of 126.</summary>
    public static readonly Dictionary<string, double> Golden300 = new()
    {
        ["cum_returns_final"] = 0.1430484909783487,
        ["annual_return"] = 0.11885629557870336,
        ["annual_volatility"] = 0.10569410585112707,
        ["sharpe_ratio"] = 1.1154529247613791,
        ["sharpe_ratio_rf"] = 0.8770290335039517,
        ["sortino_ratio"] = 1.6733561507303558,
        ["sortino_ratio_req"] = -1.6847454591089428,
        ["downside_risk"] = 0.07045529396131303,
        ["calmar_ratio"] = 3.452293981554265,
        ["max_drawdown"] = -0.034428208088232624,
        ["omega_ratio"] = 1.1887781702542235,
        ["omega_ratio_rf_req"] = 1.066551034511975,
        ["tail_ratio"] = 1.051107002877064,
        ["stability_of_timeseries"] = 0.9243523747807804,
        ["value_at_risk"] = -0.010895972076966584,
        ["value_at_risk_01"] = -0.013626974915069623,
        ["conditional_value_at_risk"] = -0.012600527117669149,
        ["skew"] = -0.005162034961226516,
        ["kurtosis"] = -0.5122710525531295,
        ["alpha"] = 0.12199190576182173,
        ["beta"] = 0.028152537004972243,
        ["alpha_rf"] = 0.0948583911993035,
        ["excess_sharpe"] = 0.008375861270409972,
        ["roll_beta_last"] = 0.10327346232954672,
        ["roll_beta_first"] = -0.03967791512987802,
        ["roll_sharpe_first"] = 1.5472802053211872,
        ["roll_sharpe_last"] = 1.0681147195712153,
        ["roll_len"] = 175,
    };

    /// <summary>
    /// empyrical 0.5.5 on the same series with NaN at strategy positions 3, 50, 120 and benchmark positions 7, 50.
    /// np.percentile and scipy's moments propagate NaN; the nan* reductions skip it.
    /// </summary>
    public static readonly Dictionary<string, double> Golden300WithNaN = new()
    {
        ["cum_returns_final"] = 0.13860980302617176,
        ["annual_return"] = 0.11520557449509816,
        ["annual_volatility"] = 0.10524073661103268,
        ["sharpe_ratio"] = 1.0992105086940418,
        ["sharpe_ratio_rf"] = 0.8597595051046362,
        ["sortino_ratio"] = 1.6410698729399906,
        ["sortino_ratio_req"] = -1.7125222256506296,
        ["downside_risk"] = 0.0704916503148669,
        ["calmar_ratio"] = 3.3462553206326935,
        ["max_drawdown"] = -0.03442820808823269,
        ["omega_ratio"] = 1.1858696003983873,
        ["omega_ratio_rf_req"] = 1.0634131137383058,
        ["tail_ratio"] = 1.0422759826053605,
        ["stability_of_timeseries"] = 0.9353954961065564,
        ["value_at_risk"] = double.NaN,
        ["value_at_risk_01"] = double.NaN,
        ["conditional_value_at_risk"] = -0.012600527117669146,
        ["skew"] = double.NaN,
        ["kurtosis"] = double.NaN,
        ["alpha"] = 0.13162062792551277,
        ["beta"] = 0.014888303578899928,
        ["alpha_rf"] = 0.10388627511099213,
        ["excess_sharpe"] = 0.00861637842188022,
        ["roll_beta_last"] = 0.10327346232954672,
        ["roll_beta_first"] = -0.07411637936107231,
        ["roll_sharpe_first"] = 1.5230514717726225,
        ["roll_sharpe_last"] = 1.0681147195712153,
        ["roll_len"] = 175,
    };
}
