namespace Research.Notebooks.Scripting;

/// <summary>
/// What every cell sees as globals, named as in .NET Interactive so that a notebook runs unchanged in VS Code
/// Polyglot Notebooks and in the headless runner: <c>display(x)</c> and <c>HTML("...")</c>.
/// </summary>
public class NotebookGlobals
{
    /// <summary>Displays <paramref name="value"/> below the cell (optionally as the given MIME types only).</summary>
#pragma warning disable IDE1006 // The name is .NET Interactive's.
    public DisplayedValue display(object? value, params string[] mimeTypes) => value.Display(mimeTypes);
#pragma warning restore IDE1006

    /// <summary>Wraps HTML so that displaying it renders the markup (as .NET Interactive's <c>HTML()</c>).</summary>
    public HtmlString HTML(string content) => new(content);
}

/// <summary>HTML markup to be displayed as <c>text/html</c>.</summary>
/// <param name="Html">The markup.</param>
public sealed record HtmlString(string Html)
{
    /// <summary>The markup.</summary>
    public override string ToString() => Html;
}

/// <summary><c>x.Display()</c>, as in .NET Interactive.</summary>
public static class DisplayExtensions
{
    /// <summary>
    /// Displays <paramref name="value"/> below the running cell: DataFrames as HTML tables, Plotly.NET charts as
    /// interactive charts, anything else as text. Outside a notebook run it prints the text form to the console.
    /// </summary>
    public static DisplayedValue Display(this object? value, params string[] mimeTypes)
    {
        if (CellExecution.Current.Value is { } cell) return cell.AddDisplay(value, mimeTypes);
        Console.Out.WriteLine(Formatting.DisplayFormatter.PlainText(value));
        return new DisplayedValue(null);
    }
}

/// <summary>A displayed output, which can be replaced in place (as in .NET Interactive).</summary>
public sealed class DisplayedValue
{
    private readonly Action<object?>? _update;

    internal DisplayedValue(Action<object?>? update) => _update = update;

    /// <summary>Replaces what this output shows with <paramref name="value"/>.</summary>
    public void Update(object? value) => _update?.Invoke(value);
}
