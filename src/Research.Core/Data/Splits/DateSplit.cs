namespace Research.Core.Data.Splits;

/// <summary>A contiguous block of calendar indices [Start, End) with a name (train, validation, test).</summary>
/// <param name="Name">What the block is for.</param>
/// <param name="Start">First calendar index (inclusive).</param>
/// <param name="End">End calendar index (exclusive).</param>
public readonly record struct DateSplit(string Name, int Start, int End)
{
    /// <summary>Number of dates in the block.</summary>
    public int Length => End - Start;

    /// <summary>True when the block holds no dates.</summary>
    public bool IsEmpty => End <= Start;

    /// <summary>True when calendar index <paramref name="index"/> is in the block.</summary>
    public bool Contains(int index) => index >= Start && index < End;

    /// <summary>The first and last date of the block on <paramref name="calendar"/>, as text.</summary>
    public string Describe(TradingCalendar calendar) => IsEmpty
        ? $"{Name}: empty"
        : $"{Name}: {calendar[Start]:yyyy-MM-dd}..{calendar[End - 1]:yyyy-MM-dd} ({Length} days)";
}
