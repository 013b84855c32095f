namespace Research.Notebooks;

/// <summary>A cell that cannot run for a reason the runner found itself (a directive, a restore, a timeout).</summary>
public sealed class NotebookCellException : Exception
{
    /// <summary>Creates the exception.</summary>
    public NotebookCellException(string errorName, string message, int? line = null, Exception? inner = null)
        : base(message, inner)
    {
        ErrorName = errorName;
        Line = line;
    }

    /// <summary>The nbformat error name (<c>ename</c>).</summary>
    public string ErrorName { get; }

    /// <summary>The 1-based line in the cell, when there is one.</summary>
    public int? Line { get; }
}
