namespace Research.Core.Evaluation;

/// <summary>
/// Return-level statistics of a series of simple periodic returns, following empyrical 0.5.5 (and SciPy for the
/// moments). Every function returns a documented value (NaN or ±∞) for degenerate input instead of throwing.
/// </summary>
public static class ReturnMetrics
{
    /// <summary>Default annualisation factor: 252 trading days a year (empyrical's <c>APPROX_BDAYS_PER_YEAR</c>).</summary>
    public const int TradingDaysPerYear = 252;

    /// <summary>
    /// empyrical <c>cum_returns(returns, starting_value)</c>: cumulative compounded returns, NaN treated as 0;
    /// with <paramref name="startingValue"/> 0 the result is Π(1+r) - 1, otherwise Π(1+r)·startingValue.
    /// </summary>
    public static double[] CumulativeReturns(ReadOnlySpan<double> returns, double startingValue = 0)
    {
        var result = new double[returns.Length];
        double wealth = 1;
        for (int i = 0; i < returns.Length; i++)
        {
            double r = returns[i];
            wealth *= double.IsNaN(r) ? 1 : 1 + r;
            result[i] = startingValue == 0 ? wealth - 1 : wealth * startingValue;
        }

        return result;
    }

    /// <summary>
    /// empyrical <c>cum_returns_final</c>: <c>nanprod(1 + r) - 1</c> (NaN skipped). NaN for an empty series.
    /// </summary>
    public static double CumReturnsFinal(ReadOnlySpan<double> returns)
    {
        if (returns.IsEmpty) return double.NaN;
        double wealth = 1;
        foreach (double r in returns) if (!double.IsNaN(r)) wealth *= 1 + r;
        return wealth - 1;
    }

    /// <summary>
    /// empyrical <c>annual_return</c> (CAGR): <c>(1 + cum_returns_final)^(1/years) - 1</c> with
    /// <c>years = len(returns) / periods</c>; the length counts NaN entries, as empyrical's does. NaN for an empty
    /// series, or when the ending wealth is negative (a fractional power of a negative number).
    /// </summary>
    public static double AnnualReturn(ReadOnlySpan<double> returns, int periods = TradingDaysPerYear)
    {
        if (returns.IsEmpty) return double.NaN;
        double years = (double)returns.Length / periods;
        double ending = CumReturnsFinal(returns) + 1;
        return Math.Pow(ending, 1 / years) - 1;
    }

    /// <summary>
    /// empyrical <c>annual_volatility</c>: <c>nanstd(r, ddof=1)·√periods</c>. NaN for fewer than two entries or fewer
    /// than two non-NaN values.
    /// </summary>
    public static double AnnualVolatility(ReadOnlySpan<double> returns, int periods = TradingDaysPerYear)
    {
        if (returns.Length < 2) return double.NaN;
        return NumPy.NanStd(returns, 1) * Math.Sqrt(periods);
    }

    /// <summary>Largest single-period return (NaN skipped); NaN when there is none.</summary>
    public static double BestDay(ReadOnlySpan<double> returns) => NumPy.NanMax(returns);

    /// <summary>Smallest single-period return (NaN skipped); NaN when there is none.</summary>
    public static double WorstDay(ReadOnlySpan<double> returns) => NumPy.NanMin(returns);

    /// <summary>
    /// Share of winning periods among periods that moved: <c>#(r &gt; 0) / #(r ≠ 0)</c>, NaN and zero returns excluded
    /// (QuantStats' convention; empyrical has no win rate). NaN when no period moved.
    /// </summary>
    public static double WinRate(ReadOnlySpan<double> returns)
    {
        int wins = 0, moved = 0;
        foreach (double r in returns)
        {
            if (double.IsNaN(r) || r == 0) continue;
            moved++;
            if (r > 0) wins++;
        }

        return moved == 0 ? double.NaN : (double)wins / moved;
    }

    /// <summary>
    /// Gross profit over gross loss: <c>Σ r⁺ / |Σ r⁻|</c> (NaN skipped). +∞ when there are gains and no losses,
    /// NaN when there are neither.
    /// </summary>
    public static double ProfitFactor(ReadOnlySpan<double> returns)
    {
        double gains = 0, losses = 0;
        foreach (double r in returns)
        {
            if (r > 0) gains += r;
            else if (r < 0) losses -= r;
        }

        if (losses == 0) return gains > 0 ? double.PositiveInfinity : double.NaN;
        return gains / losses;
    }

    /// <summary>
    /// Average win over average loss (payoff ratio): <c>mean(r | r &gt; 0) / |mean(r | r &lt; 0)|</c>. +∞ when there
    /// are wins and no losses, NaN when there are no wins.
    /// </summary>
    public static double AvgWinLossRatio(ReadOnlySpan<double> returns)
    {
        double gains = 0, losses = 0;
        int wins = 0, lossCount = 0;
        foreach (double r in returns)
        {
            if (r > 0)
            {
                gains += r;
                wins++;
            }
            else if (r < 0)
            {
                losses -= r;
                lossCount++;
            }
        }

        if (wins == 0) return double.NaN;
        if (lossCount == 0) return double.PositiveInfinity;
        return gains / wins / (losses / lossCount);
    }

    /// <summary>
    /// <c>scipy.stats.skew(returns)</c> as pyfolio calls it (bias=True; a NaN anywhere gives NaN; NaN for constant
    /// returns, as SciPy &gt;= 1.9).
    /// </summary>
    public static double Skew(ReadOnlySpan<double> returns) => NumPy.Skew(returns);

    /// <summary>
    /// <c>scipy.stats.kurtosis(returns)</c> as pyfolio calls it: excess (Fisher) kurtosis, bias=True; NaN cases as
    /// <see cref="Skew"/>.
    /// </summary>
    public static double Kurtosis(ReadOnlySpan<double> returns) => NumPy.Kurtosis(returns);

    /// <summary>
    /// empyrical <c>stability_of_timeseries</c>: R² of an ordinary least-squares fit of the cumulative log returns
    /// <c>cumsum(log1p(r))</c> (NaN dropped) on 0, 1, 2, … NaN for fewer than two
    /// entries or no valid value; 0 when the cumulative log return is constant or a single value is left after
    /// dropping NaN (SciPy's <c>linregress</c> sets r = 0 then).
    /// </summary>
    public static double StabilityOfTimeseries(ReadOnlySpan<double> returns)
    {
        if (returns.Length < 2) return double.NaN;
        var valid = NumPy.DropNaN(returns);
        int n = valid.Length;
        if (n == 0) return double.NaN;
        if (n == 1) return 0;
        var y = new double[n];
        double acc = 0;
        for (int i = 0; i < n; i++)
        {
            acc += Math.Log(1 + valid[i]);
            y[i] = acc;
        }

        double xMean = (n - 1) / 2.0;
        double yMean = 0;
        foreach (double v in y) yMean += v;
        yMean /= n;
        double sxx = 0, syy = 0, sxy = 0;
        for (int i = 0; i < n; i++)
        {
            double dx = i - xMean, dy = y[i] - yMean;
            sxx += dx * dx;
            syy += dy * dy;
            sxy += dx * dy;
        }

        if (double.IsNaN(syy) || double.IsNaN(sxy)) return double.NaN;
        if (sxx == 0 || syy == 0) return 0;
        double r = sxy / Math.Sqrt(sxx * syy);
        r = Math.Clamp(r, -1, 1);
        return r * r;
    }
}
