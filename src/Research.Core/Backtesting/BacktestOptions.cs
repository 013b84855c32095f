using Research.Core.Backtesting.Costs;
using Research.Core.Risk;

namespace Research.Core.Backtesting;

/// <summary>Settings of one backtest.</summary>
public sealed record BacktestOptions
{
    /// <summary>Starting cash.</summary>
    public double InitialCash { get; init; } = 100_000;

    /// <summary>First date index of the backtest (earlier bars are history the strategy may read).</summary>
    public int Start { get; init; }

    /// <summary>End date index (exclusive); 0 means the panel's end.</summary>
    public int End { get; init; }

    /// <summary>When market orders fill.</summary>
    public FillTiming Fill { get; init; } = FillTiming.NextOpen;

    /// <summary>Largest fill as a fraction of the bar's volume (the rest of a market order keeps working); infinity: no cap.</summary>
    public double ParticipationCap { get; init; } = 0.1;

    /// <summary>Transaction and financing costs.</summary>
    public CostModel Costs { get; init; } = new();

    /// <summary>Risk limits; null runs without a risk manager.</summary>
    public RiskLimits? Risk { get; init; }

    /// <summary>Allow short positions (otherwise sells are cut to the position held).</summary>
    public bool AllowShort { get; init; }

    /// <summary>Allow negative cash (otherwise buys are cut to what cash pays for, costs included).</summary>
    public bool Margin { get; init; }

    /// <summary>Trade whole shares only.</summary>
    public bool WholeShares { get; init; } = true;

    /// <summary>Trade on dividend-adjusted prices when the panel has an adjusted close (open/high/low scaled by adjusted/close).</summary>
    public bool DividendAdjusted { get; init; }

    /// <summary>
    /// Bars per year: annual financing rates and the risk manager's realised volatility are scaled by it (252 for daily
    /// bars; e.g. 252 × 78 for 5-minute bars). The engine itself only counts bars.
    /// </summary>
    public double PeriodsPerYear { get; init; } = 252;

    /// <summary>Bars behind the trailing volatility and average volume the cost model and ADV limit use.</summary>
    public int StatisticsWindow { get; init; } = 20;

    /// <summary>Turbulence index per panel date for the risk manager's de-risking rule (or null).</summary>
    public double[]? Turbulence { get; init; }

    /// <summary>Checks every setting; the message names the bad one.</summary>
    public BacktestOptions Validate(int dates)
    {
        if (!(InitialCash > 0) || double.IsInfinity(InitialCash)) throw new ArgumentOutOfRangeException(nameof(InitialCash), InitialCash, "InitialCash must be a positive number.");
        int end = End == 0 ? dates : End;
        if (Start < 0 || end > dates || end - Start < 2) throw new ArgumentOutOfRangeException(nameof(End), $"[{Start}, {end}) is not a range of at least 2 of the panel's {dates} dates.");
        if (!(ParticipationCap > 0)) throw new ArgumentOutOfRangeException(nameof(ParticipationCap), ParticipationCap, "ParticipationCap must be > 0 (infinity: no cap).");
        if (!(PeriodsPerYear >= 1)) throw new ArgumentOutOfRangeException(nameof(PeriodsPerYear), PeriodsPerYear, "PeriodsPerYear must be ≥ 1.");
        if (StatisticsWindow < 2) throw new ArgumentOutOfRangeException(nameof(StatisticsWindow), StatisticsWindow, "StatisticsWindow must be ≥ 2.");
        if (Turbulence is not null && Turbulence.Length != dates) throw new ArgumentException($"Turbulence has {Turbulence.Length} values; the panel has {dates} dates.", nameof(Turbulence));
        Costs.Validate();
        Risk?.Validate();
        return this;
    }
}
