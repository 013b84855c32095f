using Research.Core.Data;
using Research.Core.Data.Splits;

namespace Research.Core.Configuration;

/// <summary>
/// The <c>split</c> section: train/validation/test by dates (<c>trainEnd</c>, <c>validationEnd</c>, inclusive) or,
/// when those are absent, by fractions; an embargo of trading days between blocks.
/// </summary>
public sealed record SplitConfig
{
    /// <summary>Last training date (inclusive).</summary>
    public DateOnly? TrainEnd { get; init; } = new DateOnly(2014, 12, 31);

    /// <summary>Last validation date (inclusive).</summary>
    public DateOnly? ValidationEnd { get; init; } = new DateOnly(2015, 12, 31);

    /// <summary>Training fraction when no dates are given.</summary>
    public double TrainFraction { get; init; } = 0.7;

    /// <summary>Validation fraction when no dates are given.</summary>
    public double ValidationFraction { get; init; } = 0.15;

    /// <summary>Trading days left out between consecutive blocks.</summary>
    public int Embargo { get; init; } = 5;

    /// <summary>Applies the split to <paramref name="calendar"/>.</summary>
    public TrainValidationTest Apply(TradingCalendar calendar) =>
        TrainEnd is { } te && ValidationEnd is { } ve
            ? TrainValidationTest.ByDate(calendar, te, ve, Embargo)
            : TrainValidationTest.ByFraction(calendar, TrainFraction, ValidationFraction, Embargo);

    internal void Validate(string at)
    {
        if (Embargo < 0) throw new ConfigException($"{at}.embargo", $"must be ≥ 0, got {Embargo}.");
        if ((TrainEnd is null) != (ValidationEnd is null))
        {
            throw new ConfigException($"{at}.{(TrainEnd is null ? "trainEnd" : "validationEnd")}",
                "must be given together with the other split date (or leave both out to split by fractions).");
        }

        if (TrainEnd is { } a && ValidationEnd is { } b && b < a)
        {
            throw new ConfigException($"{at}.validationEnd", $"({b:yyyy-MM-dd}) is before trainEnd ({a:yyyy-MM-dd}).");
        }

        if (!(TrainFraction > 0 && TrainFraction < 1))
        {
            throw new ConfigException($"{at}.trainFraction", $"must be in (0, 1), got {TrainFraction}.");
        }

        if (!(ValidationFraction >= 0 && TrainFraction + ValidationFraction < 1))
        {
            throw new ConfigException($"{at}.validationFraction", "must be ≥ 0 with trainFraction + validationFraction < 1.");
        }
    }
}

/// <summary>The <c>walkForward</c> section.</summary>
public sealed record WalkForwardConfig
{
    /// <summary>Rolling or expanding training windows.</summary>
    public WindowMode Mode { get; init; } = WindowMode.Rolling;

    /// <summary>Training window length in trading days (the first window's, when expanding).</summary>
    public int TrainDays { get; init; } = 756;

    /// <summary>Validation days held out at the end of each training window.</summary>
    public int ValidationDays { get; init; } = 126;

    /// <summary>Test window length in trading days.</summary>
    public int TestDays { get; init; } = 252;

    /// <summary>Trading days left out between blocks.</summary>
    public int Embargo { get; init; } = 5;

    /// <summary>Generates the windows over <paramref name="dateCount"/> dates.</summary>
    public IReadOnlyList<WalkForwardWindow> Apply(int dateCount) =>
        WalkForward.Windows(dateCount, Mode, TrainDays, TestDays, Embargo, ValidationDays);

    internal void Validate(string at)
    {
        if (TrainDays <= 0) throw new ConfigException($"{at}.trainDays", $"must be positive, got {TrainDays}.");
        if (TestDays <= 0) throw new ConfigException($"{at}.testDays", $"must be positive, got {TestDays}.");
        if (Embargo < 0) throw new ConfigException($"{at}.embargo", $"must be ≥ 0, got {Embargo}.");
        if (ValidationDays < 0 || (ValidationDays > 0 && ValidationDays + Embargo >= TrainDays))
        {
            throw new ConfigException($"{at}.validationDays", "must be ≥ 0 and leave training days (validationDays + embargo < trainDays).");
        }
    }
}
