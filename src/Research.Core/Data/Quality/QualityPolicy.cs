namespace Research.Core.Data.Quality;

/// <summary>
/// Which repair the checker applies to each class of defect. Presets: <c>default</c> (repair and keep going),
/// <c>strict</c> (reject any file with a defect), <c>drop</c> (drop defective rows and dates), <c>report</c>
/// (change nothing that can stay as it is). Outlier returns are only ever reported.
/// </summary>
public sealed record QualityPolicy
{
    /// <summary>Preset name this policy started from.</summary>
    public string Name { get; init; } = "default";

    /// <summary>Missing or non-positive open/high/low: FillFromClose, ForwardFill, DropDay, Reject or Keep.</summary>
    public RepairAction MissingPrice { get; init; } = RepairAction.FillFromClose;

    /// <summary>Missing or non-positive close (and adjusted close): ForwardFill, DropDay, Reject or Keep.</summary>
    public RepairAction MissingClose { get; init; } = RepairAction.DropDay;

    /// <summary>Missing or negative volume: FillZero, ForwardFill, DropDay, Reject or Keep.</summary>
    public RepairAction MissingVolume { get; init; } = RepairAction.FillZero;

    /// <summary>High below low, or open/close outside [low, high]: Widen, DropDay, Reject or Keep.</summary>
    public RepairAction InconsistentRange { get; init; } = RepairAction.Widen;

    /// <summary>Zero volume: Keep, DropDay or Reject.</summary>
    public RepairAction ZeroVolume { get; init; } = RepairAction.Keep;

    /// <summary>Duplicate dates: KeepFirst, KeepLast or Reject.</summary>
    public RepairAction DuplicateDates { get; init; } = RepairAction.KeepFirst;

    /// <summary>Rows out of date order: Sort or Reject.</summary>
    public RepairAction UnsortedRows { get; init; } = RepairAction.Sort;

    /// <summary>Dates other tickers have and this one lacks: ForwardFill, Keep (NaN), DropDate or Reject.</summary>
    public RepairAction CalendarGaps { get; init; } = RepairAction.ForwardFill;

    /// <summary>Absolute close-to-close simple return above which a day is reported as an outlier.</summary>
    public double OutlierThreshold { get; init; } = 0.25;

    /// <summary>The names of the presets.</summary>
    public static IReadOnlyList<string> PresetNames { get; } = ["default", "strict", "drop", "report"];

    /// <summary>Repair what can be repaired, record every change, reject nothing.</summary>
    public static QualityPolicy Default { get; } = new();

    /// <summary>Any defect other than an outlier rejects the file.</summary>
    public static QualityPolicy Strict { get; } = new()
    {
        Name = "strict", MissingPrice = RepairAction.Reject, MissingClose = RepairAction.Reject,
        MissingVolume = RepairAction.Reject, InconsistentRange = RepairAction.Reject, ZeroVolume = RepairAction.Reject,
        DuplicateDates = RepairAction.Reject, UnsortedRows = RepairAction.Reject, CalendarGaps = RepairAction.Reject,
    };

    /// <summary>Drop defective rows, and dates not every ticker has.</summary>
    public static QualityPolicy Drop { get; } = new()
    {
        Name = "drop", MissingPrice = RepairAction.DropDay, MissingClose = RepairAction.DropDay,
        MissingVolume = RepairAction.DropDay, InconsistentRange = RepairAction.DropDay, ZeroVolume = RepairAction.DropDay,
        DuplicateDates = RepairAction.KeepFirst, UnsortedRows = RepairAction.Sort, CalendarGaps = RepairAction.DropDate,
    };

    /// <summary>Change nothing that can stay: missing values stay NaN, gaps stay NaN (only sorting and de-duplication).</summary>
    public static QualityPolicy Report { get; } = new()
    {
        Name = "report", MissingPrice = RepairAction.Keep, MissingClose = RepairAction.Keep,
        MissingVolume = RepairAction.Keep, InconsistentRange = RepairAction.Keep, ZeroVolume = RepairAction.Keep,
        DuplicateDates = RepairAction.KeepFirst, UnsortedRows = RepairAction.Sort, CalendarGaps = RepairAction.Keep,
    };

    /// <summary>The preset called <paramref name="name"/>; throws naming the valid names.</summary>
    public static QualityPolicy Preset(string name) => name.Trim().ToLowerInvariant() switch
    {
        "default" => Default,
        "strict" => Strict,
        "drop" => Drop,
        "report" => Report,
        _ => throw new ArgumentException(
            $"Unknown data quality policy '{name}'. Choose one of: {string.Join(", ", PresetNames)}.", nameof(name)),
    };

    /// <summary>Throws <see cref="ArgumentException"/> naming the setting whose action does not apply to it.</summary>
    public QualityPolicy Validate()
    {
        Check(MissingPrice, nameof(MissingPrice), RepairAction.FillFromClose, RepairAction.ForwardFill, RepairAction.DropDay,
            RepairAction.Reject, RepairAction.Keep);
        Check(MissingClose, nameof(MissingClose), RepairAction.ForwardFill, RepairAction.DropDay, RepairAction.Reject,
            RepairAction.Keep);
        Check(MissingVolume, nameof(MissingVolume), RepairAction.FillZero, RepairAction.ForwardFill, RepairAction.DropDay,
            RepairAction.Reject, RepairAction.Keep);
        Check(InconsistentRange, nameof(InconsistentRange), RepairAction.Widen, RepairAction.DropDay, RepairAction.Reject,
            RepairAction.Keep);
        Check(ZeroVolume, nameof(ZeroVolume), RepairAction.Keep, RepairAction.DropDay, RepairAction.Reject);
        Check(DuplicateDates, nameof(DuplicateDates), RepairAction.KeepFirst, RepairAction.KeepLast, RepairAction.Reject);
        Check(UnsortedRows, nameof(UnsortedRows), RepairAction.Sort, RepairAction.Reject);
        Check(CalendarGaps, nameof(CalendarGaps), RepairAction.ForwardFill, RepairAction.Keep, RepairAction.DropDate,
            RepairAction.Reject);
        if (!(OutlierThreshold > 0) || !double.IsFinite(OutlierThreshold))
        {
            throw new ArgumentException($"OutlierThreshold must be a positive number, got {OutlierThreshold}.",
                nameof(OutlierThreshold));
        }

        return this;
    }

    /// <summary>A one-line description of every setting (for reports and run logs).</summary>
    public override string ToString() =>
        $"{Name}: missingPrice={MissingPrice}, missingClose={MissingClose}, missingVolume={MissingVolume}, " +
        $"inconsistentRange={InconsistentRange}, zeroVolume={ZeroVolume}, duplicateDates={DuplicateDates}, " +
        $"unsortedRows={UnsortedRows}, calendarGaps={CalendarGaps}, outlierThreshold={OutlierThreshold}";

    private static void Check(RepairAction value, string name, params RepairAction[] allowed)
    {
        if (!allowed.Contains(value))
        {
            throw new ArgumentException(
                $"Policy setting {name} cannot be {value}; allowed: {string.Join(", ", allowed)}.", name);
        }
    }
}
