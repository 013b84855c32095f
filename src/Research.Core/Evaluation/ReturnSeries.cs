namespace Research.Core.Evaluation;

/// <summary>A dated series of simple periodic returns (dates strictly increasing, one value each; NaN = missing).</summary>
public sealed class ReturnSeries
{
    /// <summary>Creates the series; throws <see cref="ArgumentException"/> if lengths differ or dates do not increase.</summary>
    public ReturnSeries(DateOnly[] dates, double[] values, string name = "returns")
    {
        if (dates.Length != values.Length)
            throw new ArgumentException($"{dates.Length} dates for {values.Length} values.", nameof(values));
        for (int i = 1; i < dates.Length; i++)
        {
            if (dates[i] <= dates[i - 1])
            {
                throw new ArgumentException(
                    $"Dates must be strictly increasing: {dates[i - 1]:yyyy-MM-dd} then {dates[i]:yyyy-MM-dd} at index {i}.",
                    nameof(dates));
            }
        }

        Dates = dates;
        Values = values;
        Name = name;
    }

    /// <summary>The dates.</summary>
    public DateOnly[] Dates { get; }

    /// <summary>The returns, one per date.</summary>
    public double[] Values { get; }

    /// <summary>A label (file stem, strategy or benchmark name).</summary>
    public string Name { get; }

    /// <summary>Number of observations.</summary>
    public int Count => Values.Length;

    /// <summary>The series without its NaN entries.</summary>
    public ReturnSeries DropMissing()
    {
        var keep = new List<int>(Count);
        for (int i = 0; i < Count; i++) if (!double.IsNaN(Values[i])) keep.Add(i);
        return keep.Count == Count ? this : Select(keep);
    }

    /// <summary>The positions in <paramref name="rows"/>, in order.</summary>
    public ReturnSeries Select(IReadOnlyList<int> rows)
    {
        var d = new DateOnly[rows.Count];
        var v = new double[rows.Count];
        for (int i = 0; i < rows.Count; i++)
        {
            d[i] = Dates[rows[i]];
            v[i] = Values[rows[i]];
        }

        return new ReturnSeries(d, v, Name);
    }

    /// <summary>
    /// Inner join on date: the dates both series have, with each side's values (empyrical aligns a strategy and
    /// its factor returns the same way before alpha and beta).
    /// </summary>
    public static (ReturnSeries Left, ReturnSeries Right) InnerJoin(ReturnSeries left, ReturnSeries right)
    {
        var l = new List<int>();
        var r = new List<int>();
        int i = 0, j = 0;
        while (i < left.Count && j < right.Count)
        {
            int c = left.Dates[i].CompareTo(right.Dates[j]);
            if (c == 0)
            {
                l.Add(i++);
                r.Add(j++);
            }
            else if (c < 0) i++;
            else j++;
        }

        return (left.Select(l), right.Select(r));
    }

    /// <summary>
    /// The values of <paramref name="other"/> on this series' dates, NaN where <paramref name="other"/> has no
    /// value (a left join; used to lay benchmarks and backtester series onto the strategy's dates).
    /// </summary>
    public double[] Reindex(ReturnSeries other)
    {
        var result = new double[Count];
        int j = 0;
        for (int i = 0; i < Count; i++)
        {
            while (j < other.Count && other.Dates[j] < Dates[i]) j++;
            result[i] = j < other.Count && other.Dates[j] == Dates[i] ? other.Values[j] : double.NaN;
        }

        return result;
    }
}
