using System.Text;
using System.Text.RegularExpressions;

namespace Research.Notebooks;

/// <summary>A package a cell asks for with <c>#r "nuget: Name, Version"</c>.</summary>
/// <param name="Id">Package id.</param>
/// <param name="Version">Version or range as NuGet accepts it; <c>*</c> when the directive gives none.</param>
public sealed record PackageReference(string Id, string Version)
{
    /// <summary>As in the directive: <c>Name, Version</c>.</summary>
    public override string ToString() => $"{Id}, {Version}";
}

/// <summary>
/// A code cell after the runner took out what Roslyn does not understand: the cell magic (<c>#!csharp</c>,
/// <c>#!markdown</c>, ...), <c>#r "nuget: ..."</c> and <c>#i "nuget: ..."</c>. Removed lines are left blank so that a
/// line number in <see cref="Code"/> is the same line in the cell. <c>#r "path.dll"</c> stays in the code (Roslyn
/// resolves it against the notebook's folder) and is also listed in <see cref="AssemblyPaths"/>.
/// </summary>
public sealed partial record ParsedCell(CellKind Kind, string Kernel, string Code, IReadOnlyList<PackageReference> Packages,
    IReadOnlyList<string> PackageSources, IReadOnlyList<string> AssemblyPaths)
{
    [GeneratedRegex("""^\s*#r\s+"nuget:\s*(?<id>[^,"]+?)\s*(,\s*(?<version>[^"]*?)\s*)?"\s*$""")]
    private static partial Regex NugetReference();

    [GeneratedRegex("""^\s*#i\s+"(?<value>[^"]*)"\s*$""")]
    private static partial Regex IncludeSource();

    [GeneratedRegex("""^\s*#r\s+"(?<path>[^"]+)"\s*$""")]
    private static partial Regex AssemblyReference();

    [GeneratedRegex("""^#!(?<magic>[A-Za-z#\-]+)(\s.*)?$""")]
    private static partial Regex Magic();

    /// <summary>
    /// Parses a code cell's <paramref name="source"/>; <paramref name="kernel"/> is the kernel its metadata names.
    /// A first line <c>#!csharp</c> / <c>#!markdown</c> / <c>#!html</c> overrides it.
    /// </summary>
    public static ParsedCell Parse(string source, string kernel)
    {
        var lines = source.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var packages = new List<PackageReference>();
        var sources = new List<string>();
        var assemblies = new List<string>();
        string effective = NotebookDocument.NormalizeKernel(kernel);
        int first = Array.FindIndex(lines, l => l.Trim().Length > 0);
        if (first >= 0 && Magic().Match(lines[first].Trim()) is { Success: true } m && IsKernelName(m.Groups["magic"].Value))
        {
            effective = NotebookDocument.NormalizeKernel(m.Groups["magic"].Value);
            lines[first] = "";
        }

        var kind = effective switch
        {
            "csharp" => CellKind.CSharp,
            "markdown" => CellKind.Markdown,
            "html" => CellKind.Html,
            _ => CellKind.Unsupported,
        };
        if (kind != CellKind.CSharp)
        {
            return new ParsedCell(kind, effective, string.Join('\n', lines).Trim('\n'), [], [], []);
        }

        for (int i = 0; i < lines.Length; i++)
        {
            string line = lines[i];
            if (NugetReference().Match(line) is { Success: true } r)
            {
                string version = r.Groups["version"].Success && r.Groups["version"].Value.Length > 0 ? r.Groups["version"].Value : "*";
                packages.Add(new PackageReference(r.Groups["id"].Value.Trim(), version));
                lines[i] = "";
            }
            else if (IncludeSource().Match(line) is { Success: true } s)
            {
                string value = s.Groups["value"].Value.Trim();
                if (!value.StartsWith("nuget:", StringComparison.OrdinalIgnoreCase))
                {
                    throw new NotebookCellException("DirectiveError", $"#i \"{value}\" is not supported: only #i \"nuget: <package source>\".", i + 1);
                }

                sources.Add(value["nuget:".Length..].Trim());
                lines[i] = "";
            }
            else if (AssemblyReference().Match(line) is { Success: true } a)
            {
                assemblies.Add(a.Groups["path"].Value);
            }
            else if (line.TrimStart().StartsWith("#!", StringComparison.Ordinal))
            {
                var magic = Magic().Match(line.Trim());
                string name = magic.Success ? magic.Groups["magic"].Value : line.Trim();
                if (magic.Success && NotebookDocument.NormalizeKernel(name) == "csharp")
                {
                    lines[i] = "";
                    continue;
                }

                throw new NotebookCellException("DirectiveError",
                    $"The magic command '#!{name.TrimStart('#', '!')}' is not supported by the headless runner (it runs C# cells, #!markdown and #!html).", i + 1);
            }
        }

        var code = new StringBuilder();
        for (int i = 0; i < lines.Length; i++)
        {
            if (i > 0) code.Append('\n');
            code.Append(lines[i]);
        }

        return new ParsedCell(kind, effective, code.ToString(), packages, sources, assemblies);
    }

    private static bool IsKernelName(string magic) => NotebookDocument.NormalizeKernel(magic) is
        "csharp" or "fsharp" or "markdown" or "html" or "javascript" or "pwsh" or "sql" or "kql" or "mermaid" or "http" or "value";
}
