namespace Research.Core.Evaluation;

/// <summary>One calendar period's compounded return.</summary>
/// <param name="Year">Calendar year.</param>
/// <param name="Month">Month 1–12, or 0 for a whole year.</param>
/// <param name="Return">Π(1 + r) - 1 over the period's returns (NaN as 0).</param>
public readonly record struct PeriodReturn(int Year, int Month, double Return);

/// <summary>empyrical <c>aggregate_returns</c>: compounded returns per calendar month or year.</summary>
public static class PeriodReturns
{
    /// <summary>Compounded return of each (year, month) that has dates, in date order.</summary>
    public static IReadOnlyList<PeriodReturn> Monthly(ReadOnlySpan<DateOnly> dates, ReadOnlySpan<double> returns) =>
        Aggregate(dates, returns, monthly: true);

    /// <summary>Compounded return of each year that has dates, in date order.</summary>
    public static IReadOnlyList<PeriodReturn> Yearly(ReadOnlySpan<DateOnly> dates, ReadOnlySpan<double> returns) =>
        Aggregate(dates, returns, monthly: false);

    private static List<PeriodReturn> Aggregate(ReadOnlySpan<DateOnly> dates, ReadOnlySpan<double> returns, bool monthly)
    {
        if (dates.Length != returns.Length)
            throw new ArgumentException($"{dates.Length} dates for {returns.Length} returns.", nameof(returns));
        var result = new List<PeriodReturn>();
        int i = 0;
        while (i < dates.Length)
        {
            int year = dates[i].Year, month = monthly ? dates[i].Month : 0;
            double wealth = 1;
            while (i < dates.Length && dates[i].Year == year && (!monthly || dates[i].Month == month))
            {
                if (!double.IsNaN(returns[i])) wealth *= 1 + returns[i];
                i++;
            }

            result.Add(new PeriodReturn(year, month, wealth - 1));
        }

        return result;
    }
}
