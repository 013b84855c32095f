namespace Research.Core.Evaluation;

/// <summary>Conventions for <see cref="PerformanceMetrics"/>.Compute; the defaults are empyrical's.</summary>
public sealed record MetricsOptions
{
    /// <summary>Periods per year used to annualise (252 for daily returns, 52 weekly, 12 monthly).</summary>
    public int Periods { get; init; } = ReturnMetrics.TradingDaysPerYear;

    /// <summary>Per-period risk-free rate subtracted in the Sharpe ratio, omega and alpha (empyrical's <c>risk_free</c>).</summary>
    public double RiskFree { get; init; }

    /// <summary>Per-period minimum acceptable return of the Sortino ratio and downside risk.</summary>
    public double RequiredReturn { get; init; }

    /// <summary>Tail probability of the VaR and expected-shortfall measures.</summary>
    public double Cutoff { get; init; } = RiskMetrics.DefaultCutoff;

    /// <summary>The default conventions.</summary>
    public static MetricsOptions Default { get; } = new();

    /// <summary>Throws <see cref="ArgumentException"/> for values no metric can use.</summary>
    public void Validate()
    {
        if (Periods < 1) throw new ArgumentException($"periods must be at least 1; got {Periods}.");
        if (!double.IsFinite(RiskFree)) throw new ArgumentException($"the risk-free rate must be finite; got {RiskFree}.");
        if (!double.IsFinite(RequiredReturn))
            throw new ArgumentException($"the required return must be finite; got {RequiredReturn}.");
        if (!(Cutoff > 0 && Cutoff < 1)) throw new ArgumentException($"the VaR cutoff must lie in (0, 1); got {Cutoff}.");
    }
}
