namespace Research.Core.Evaluation;

/// <summary>
/// The worst peak-to-trough decline of a return series and when it happened. Indices are positions in the returns;
/// a <see cref="PeakIndex"/> of -1 means the peak is the starting capital, before the first return (empyrical's
/// <c>max_drawdown</c> counts a loss on the first day as a drawdown from the start).
/// </summary>
/// <param name="MaxDrawdown">The decline as a fraction (≤ 0), empyrical's <c>max_drawdown</c>; NaN for no data.</param>
/// <param name="PeakIndex">Last position at the running maximum before the trough; -1 for the starting capital.</param>
/// <param name="TroughIndex">Position of the lowest underwater value (first if tied); -1 when there is no drawdown.</param>
/// <param name="RecoveryIndex">First position after the trough back at the peak value; null if never recovered.</param>
/// <param name="PeakDate">Date at <see cref="PeakIndex"/> when dates were given; null for the starting capital.</param>
/// <param name="TroughDate">Date at <see cref="TroughIndex"/> when dates were given.</param>
/// <param name="RecoveryDate">Date at <see cref="RecoveryIndex"/> when dates were given and the drawdown recovered.</param>
public sealed record DrawdownInfo(double MaxDrawdown, int PeakIndex, int TroughIndex, int? RecoveryIndex,
    DateOnly? PeakDate, DateOnly? TroughDate, DateOnly? RecoveryDate)
{
    /// <summary>Periods from peak to trough (the decline).</summary>
    public int DeclinePeriods => TroughIndex < 0 ? 0 : TroughIndex - PeakIndex;

    /// <summary>Periods from trough to recovery; null while not recovered.</summary>
    public int? RecoveryPeriods => RecoveryIndex is int r ? r - TroughIndex : null;

    /// <summary>
    /// Periods underwater: from peak to recovery, or to the last observation when not recovered
    /// (<paramref name="length"/> is the series length).
    /// </summary>
    public int DurationPeriods(int length) =>
        TroughIndex < 0 ? 0 : (RecoveryIndex ?? length - 1) - PeakIndex;
}

/// <summary>Drawdown statistics (empyrical conventions: wealth starts at 1 before the first return, NaN counts as 0).</summary>
public static class Drawdown
{
    /// <summary>
    /// empyrical <c>max_drawdown</c>: with wealth W₀ = 1 prepended and Wₜ = Π(1+r) (NaN as 0), the minimum of
    /// (W - running max) / running max. NaN for an empty series; 0 when wealth never falls.
    /// </summary>
    public static double MaxDrawdown(ReadOnlySpan<double> returns)
    {
        if (returns.IsEmpty) return double.NaN;
        double wealth = 1, peak = 1, worst = 0;
        foreach (double r in returns)
        {
            if (!double.IsNaN(r)) wealth *= 1 + r;
            if (wealth > peak) peak = wealth; // np.fmax.accumulate: a NaN never becomes the peak
            double dd = (wealth - peak) / peak;
            if (dd < worst) worst = dd;
        }

        return worst;
    }

    /// <summary>
    /// The underwater curve: (Wₜ - maxₛ≤ₜ Wₛ) / maxₛ≤ₜ Wₛ for each position, the running maximum including the
    /// starting capital W₀ = 1. Values are ≤ 0.
    /// </summary>
    public static double[] Underwater(ReadOnlySpan<double> returns)
    {
        var result = new double[returns.Length];
        double wealth = 1, peak = 1;
        for (int i = 0; i < returns.Length; i++)
        {
            if (!double.IsNaN(returns[i])) wealth *= 1 + returns[i];
            if (wealth > peak) peak = wealth;
            result[i] = (wealth - peak) / peak;
        }

        return result;
    }

    /// <summary>
    /// The maximum drawdown with its peak, trough and recovery (pyfolio's <c>get_max_drawdown_underwater</c> on the
    /// underwater curve of <see cref="Underwater"/>). <paramref name="dates"/>, when given, must be as long as the
    /// returns.
    /// </summary>
    public static DrawdownInfo Details(ReadOnlySpan<double> returns, ReadOnlySpan<DateOnly> dates = default)
    {
        if (!dates.IsEmpty && dates.Length != returns.Length)
            throw new ArgumentException($"{dates.Length} dates for {returns.Length} returns.", nameof(dates));
        if (returns.IsEmpty) return new DrawdownInfo(double.NaN, -1, -1, null, null, null, null);
        var underwater = Underwater(returns);
        int trough = -1;
        double worst = 0;
        for (int i = 0; i < underwater.Length; i++)
        {
            if (underwater[i] < worst)
            {
                worst = underwater[i];
                trough = i;
            }
        }

        if (trough < 0) return new DrawdownInfo(0, -1, -1, null, null, null, null);
        int peak = -1;
        for (int i = trough - 1; i >= 0; i--)
        {
            if (underwater[i] == 0)
            {
                peak = i;
                break;
            }
        }

        int? recovery = null;
        for (int i = trough + 1; i < underwater.Length; i++)
        {
            if (underwater[i] == 0)
            {
                recovery = i;
                break;
            }
        }

        bool hasDates = !dates.IsEmpty;
        return new DrawdownInfo(worst, peak, trough, recovery,
            hasDates && peak >= 0 ? dates[peak] : null,
            hasDates ? dates[trough] : null,
            hasDates && recovery is int r ? dates[r] : null);
    }
}
