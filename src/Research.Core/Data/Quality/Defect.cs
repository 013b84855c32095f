namespace Research.Core.Data.Quality;

/// <summary>The kinds of problem the quality checker finds in bar data.</summary>
public enum DefectKind
{
    /// <summary>A price or volume field is empty or <c>null</c>.</summary>
    MissingField,
    /// <summary>A price is zero or negative.</summary>
    NonPositivePrice,
    /// <summary>Volume is negative.</summary>
    NegativeVolume,
    /// <summary>High is below low.</summary>
    HighBelowLow,
    /// <summary>Open is outside [low, high].</summary>
    OpenOutsideRange,
    /// <summary>Close is outside [low, high].</summary>
    CloseOutsideRange,
    /// <summary>Volume is zero on a row that has a price.</summary>
    ZeroVolume,
    /// <summary>The same date appears more than once for a ticker.</summary>
    DuplicateDate,
    /// <summary>Rows are not in ascending date order.</summary>
    UnsortedRows,
    /// <summary>A ticker lacks a date that other tickers have, inside its own first..last range.</summary>
    CalendarGap,
    /// <summary>A ticker starts after or ends before the union calendar (listing, delisting or a short file).</summary>
    PartialCoverage,
    /// <summary>A close-to-close return beyond the configured threshold (reported, never changed).</summary>
    OutlierReturn,
}

/// <summary>One problem found: what, which ticker and date, which field, and where in which file.</summary>
/// <param name="Kind">What is wrong.</param>
/// <param name="Ticker">The ticker.</param>
/// <param name="Date">The date of the row (or of the missing row for gaps).</param>
/// <param name="Field">The field concerned, when one is.</param>
/// <param name="Detail">The numbers, in words.</param>
/// <param name="Source">The file.</param>
/// <param name="Line">The 1-based line, when the defect is on a line of the file.</param>
public sealed record Defect(DefectKind Kind, string Ticker, DateOnly Date, string? Field, string Detail, string Source,
    int? Line)
{
    /// <summary><c>file:line</c>, or the file alone (relative to the working directory when inside it).</summary>
    public string Where => Line is int l ? $"{DisplayPath(Source)}:{l}" : DisplayPath(Source);

    /// <summary><paramref name="path"/> relative to the working directory when it lies inside it, else as given.</summary>
    public static string DisplayPath(string path)
    {
        if (!Path.IsPathRooted(path)) return path;
        string rel = Path.GetRelativePath(Directory.GetCurrentDirectory(), path);
        return rel.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(rel) ? path : rel;
    }
}
