namespace Research.Core.Data.Quality;

/// <summary>What a policy does about a class of defect.</summary>
public enum RepairAction
{
    /// <summary>Leave the data as it is (the defect stays in the report).</summary>
    Keep,
    /// <summary>Fill a missing or non-positive open/high/low from the close (high/low also bound open and close).</summary>
    FillFromClose,
    /// <summary>Carry the previous row's value forward (for a calendar gap: a flat bar at the previous close, volume 0).</summary>
    ForwardFill,
    /// <summary>Set a missing volume to zero.</summary>
    FillZero,
    /// <summary>Widen high/low so that open and close lie in [low, high] (and swap an inverted high/low).</summary>
    Widen,
    /// <summary>Drop the ticker's row for that date.</summary>
    DropDay,
    /// <summary>Drop the date from the calendar for every ticker.</summary>
    DropDate,
    /// <summary>Of duplicate dates keep the first row in the file.</summary>
    KeepFirst,
    /// <summary>Of duplicate dates keep the last row in the file.</summary>
    KeepLast,
    /// <summary>Sort rows by date.</summary>
    Sort,
    /// <summary>Reject the whole file: none of its rows enter the panel.</summary>
    Reject,
}

/// <summary>One change made to the data, with the value before and after.</summary>
/// <param name="Action">The action taken.</param>
/// <param name="Defect">The defect kind that triggered it.</param>
/// <param name="Ticker">The ticker.</param>
/// <param name="Date">The date changed, inserted or dropped.</param>
/// <param name="Field">The field changed, when one is.</param>
/// <param name="Before">The value before (null when it was missing or does not apply).</param>
/// <param name="After">The value after (null when the row was dropped or it does not apply).</param>
/// <param name="Detail">The change, in words.</param>
public sealed record Repair(RepairAction Action, DefectKind Defect, string Ticker, DateOnly Date, string? Field,
    double? Before, double? After, string Detail);
