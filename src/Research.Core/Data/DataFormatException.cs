namespace Research.Core.Data;

/// <summary>
/// An input file could not be read. The message names the file, and where known the 1-based line and column,
/// in the <c>file:line:column: message</c> form editors and CI logs recognise.
/// </summary>
public sealed class DataFormatException : Exception
{
    /// <summary>Creates the error for <paramref name="source"/> at an optional line and column.</summary>
    public DataFormatException(string source, int? line, int? column, string detail, Exception? inner = null)
        : base(Format(source, line, column, detail), inner)
    {
        Source = source;
        Line = line;
        Column = column;
        Detail = detail;
    }

    /// <summary>The file (or stream name) that failed.</summary>
    public new string Source { get; }

    /// <summary>1-based line number, when the problem is on a line.</summary>
    public int? Line { get; }

    /// <summary>1-based column (field) number, when the problem is in a field.</summary>
    public int? Column { get; }

    /// <summary>The problem without the location prefix.</summary>
    public string Detail { get; }

    private static string Format(string source, int? line, int? column, string detail) =>
        (line, column) switch
        {
            (null, _) => $"{source}: {detail}",
            (int l, null) => $"{source}:{l}: {detail}",
            (int l, int c) => $"{source}:{l}:{c}: {detail}",
        };
}
