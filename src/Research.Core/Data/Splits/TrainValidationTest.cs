namespace Research.Core.Data.Splits;

/// <summary>
/// A chronological train / validation / test split with an embargo of <see cref="Embargo"/> trading days left out
/// between consecutive blocks, so that labels looking a few days ahead cannot leak across a boundary.
/// </summary>
public sealed record TrainValidationTest(DateSplit Train, DateSplit Validation, DateSplit Test, int Embargo)
{
    /// <summary>Splits by fractions of the calendar (the embargo days come out of the later block).</summary>
    public static TrainValidationTest ByFraction(TradingCalendar calendar, double train, double validation, int embargo)
    {
        if (!(train > 0 && train < 1)) throw new ArgumentOutOfRangeException(nameof(train), train, "train must be in (0, 1).");
        if (!(validation >= 0 && train + validation < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(validation), validation, "validation must be ≥ 0 and train + validation < 1.");
        }

        int n = calendar.Count;
        int trainEnd = (int)Math.Round(n * train);
        int validationEnd = (int)Math.Round(n * (train + validation));
        return Build(calendar, trainEnd, validationEnd, embargo);
    }

    /// <summary>
    /// Splits at dates: train is every date up to and including <paramref name="trainEnd"/>, validation up to and
    /// including <paramref name="validationEnd"/>, test the rest.
    /// </summary>
    public static TrainValidationTest ByDate(TradingCalendar calendar, DateOnly trainEnd, DateOnly validationEnd, int embargo)
    {
        if (validationEnd < trainEnd)
        {
            throw new ArgumentException($"validationEnd {validationEnd:yyyy-MM-dd} is before trainEnd {trainEnd:yyyy-MM-dd}.",
                nameof(validationEnd));
        }

        return Build(calendar, calendar.LowerBound(trainEnd.AddDays(1)), calendar.LowerBound(validationEnd.AddDays(1)), embargo);
    }

    private static TrainValidationTest Build(TradingCalendar calendar, int trainEnd, int validationEnd, int embargo)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(embargo);
        int n = calendar.Count;
        var train = new DateSplit("train", 0, trainEnd);
        int vStart = Math.Min(n, trainEnd + embargo);
        var validation = new DateSplit("validation", vStart, Math.Max(vStart, validationEnd));
        int tStart = Math.Min(n, Math.Max(validationEnd, vStart) + (validation.IsEmpty ? 0 : embargo));
        var test = new DateSplit("test", tStart, n);
        if (train.IsEmpty || test.IsEmpty)
        {
            throw new ArgumentException(
                $"The split leaves an empty {(train.IsEmpty ? "train" : "test")} block on {n} dates " +
                $"(train ends at index {trainEnd}, validation at {validationEnd}, embargo {embargo}).");
        }

        return new TrainValidationTest(train, validation, test, embargo);
    }

    /// <summary>The three blocks in order.</summary>
    public IEnumerable<DateSplit> Blocks => [Train, Validation, Test];

    /// <summary>A one-line description on <paramref name="calendar"/>.</summary>
    public string Describe(TradingCalendar calendar) =>
        $"{Train.Describe(calendar)}; {Validation.Describe(calendar)}; {Test.Describe(calendar)}; embargo {Embargo} days";
}
