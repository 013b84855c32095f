using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Research.Notebooks;

/// <summary>What a cell is, as far as the runner is concerned.</summary>
public enum CellKind
{
    /// <summary>A markdown cell (or a code cell whose kernel is <c>markdown</c>).</summary>
    Markdown,
    /// <summary>C# code, executed by the runner.</summary>
    CSharp,
    /// <summary>Raw HTML (<c>#!html</c>), displayed as is.</summary>
    Html,
    /// <summary>A raw cell: kept, never executed.</summary>
    Raw,
    /// <summary>Code for a kernel the runner does not have (F#, PowerShell, JavaScript, ...).</summary>
    Unsupported,
}

/// <summary>
/// An nbformat 4 notebook as JSON, edited in place so that everything the runner does not understand (metadata,
/// attachments, unknown keys) survives a round trip. Reads the .ipynb files VS Code Polyglot Notebooks and Jupyter write.
/// </summary>
public sealed class NotebookDocument
{
    private static readonly JsonSerializerOptions WriteOptions = new()
    {
        WriteIndented = true, IndentSize = 1,
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals, // NaN/±∞ as Research.Core.IO.ArtifactJson writes them
    };

    private NotebookDocument(JsonObject root) => Root = root;

    /// <summary>The whole notebook.</summary>
    public JsonObject Root { get; }

    /// <summary>The cells array.</summary>
    public JsonArray Cells => Root["cells"] as JsonArray ?? throw new InvalidDataException("The notebook has no 'cells' array.");

    /// <summary>Notebook-level metadata (created when missing).</summary>
    public JsonObject Metadata => GetOrAdd(Root, "metadata");

    /// <summary>Reads a notebook file; throws <see cref="InvalidDataException"/> naming the file when it is not nbformat 4 JSON.</summary>
    public static NotebookDocument Load(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"Notebook '{path}' not found.", path);
        return Parse(File.ReadAllText(path), path);
    }

    /// <summary>Parses notebook JSON; <paramref name="source"/> names it in errors.</summary>
    public static NotebookDocument Parse(string json, string source)
    {
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(json, documentOptions: new JsonDocumentOptions { AllowTrailingCommas = true });
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{source}: not valid JSON (line {e.LineNumber + 1}): {e.Message}", e);
        }

        if (node is not JsonObject root || root["cells"] is not JsonArray)
        {
            throw new InvalidDataException($"{source}: not a Jupyter notebook (no 'cells' array).");
        }

        int major = root["nbformat"]?.GetValue<int>() ?? 4;
        if (major != 4) throw new InvalidDataException($"{source}: nbformat {major} is not supported (only 4).");
        return new NotebookDocument(root);
    }

    /// <summary>A new empty notebook with the metadata VS Code Polyglot Notebooks writes for a C# notebook.</summary>
    public static NotebookDocument CreateCSharp()
    {
        var root = new JsonObject
        {
            ["cells"] = new JsonArray(),
            ["metadata"] = PolyglotMetadata(),
            ["nbformat"] = 4,
            ["nbformat_minor"] = 5,
        };
        return new NotebookDocument(root);
    }

    /// <summary>
    /// Notebook metadata for the .NET Interactive C# kernel, as VS Code Polyglot Notebooks writes it: kernelspec,
    /// language_info and the polyglot_notebook kernel info.
    /// </summary>
    public static JsonObject PolyglotMetadata() => new()
    {
        ["kernelspec"] = new JsonObject { ["display_name"] = ".NET (C#)", ["language"] = "C#", ["name"] = ".net-csharp" },
        ["language_info"] = new JsonObject { ["name"] = "polyglot-notebook" },
        ["polyglot_notebook"] = new JsonObject
        {
            ["kernelInfo"] = new JsonObject
            {
                ["defaultKernelName"] = "csharp",
                ["items"] = new JsonArray(new JsonObject { ["aliases"] = new JsonArray(), ["name"] = "csharp" }),
            },
        },
    };

    /// <summary>Cell metadata for a C# code cell as VS Code Polyglot Notebooks writes it.</summary>
    public static JsonObject CSharpCellMetadata() => new()
    {
        ["polyglot_notebook"] = new JsonObject { ["kernelName"] = "csharp" },
        ["vscode"] = new JsonObject { ["languageId"] = "polyglot-notebook" },
    };

    /// <summary>Appends a markdown cell.</summary>
    public JsonObject AddMarkdown(string text)
    {
        var cell = new JsonObject
        {
            ["cell_type"] = "markdown",
            ["id"] = NewCellId(),
            ["metadata"] = new JsonObject(),
            ["source"] = SourceToJson(text),
        };
        Cells.Add(cell);
        return cell;
    }

    /// <summary>Appends a C# code cell, optionally with tags (e.g. <c>parameters</c>).</summary>
    public JsonObject AddCode(string code, params string[] tags)
    {
        var metadata = CSharpCellMetadata();
        if (tags.Length > 0) metadata["tags"] = new JsonArray(tags.Select(t => (JsonNode?)JsonValue.Create(t)).ToArray());
        var cell = NewCodeCell(code, metadata);
        Cells.Add(cell);
        return cell;
    }

    /// <summary>A code cell with no outputs.</summary>
    public static JsonObject NewCodeCell(string code, JsonObject metadata) => new()
    {
        ["cell_type"] = "code",
        ["execution_count"] = null,
        ["id"] = NewCellId(),
        ["metadata"] = metadata,
        ["outputs"] = new JsonArray(),
        ["source"] = SourceToJson(code),
    };

    /// <summary>A fresh nbformat 4.5 cell id.</summary>
    public static string NewCellId() => Guid.NewGuid().ToString("N")[..12];

    /// <summary>The cell's source as one string (nbformat allows a string or a list of lines).</summary>
    public static string SourceOf(JsonObject cell) => cell["source"] switch
    {
        JsonArray lines => string.Concat(lines.Select(l => l?.GetValue<string>() ?? "")),
        JsonValue v => v.GetValue<string>(),
        _ => "",
    };

    /// <summary>Multi-line text as nbformat writes it: a list of lines, each but the last ending in a newline.</summary>
    public static JsonArray SourceToJson(string text)
    {
        var array = new JsonArray();
        foreach (var line in SplitLines(text)) array.Add(line);
        return array;
    }

    /// <summary>Splits keeping the line terminators.</summary>
    public static IEnumerable<string> SplitLines(string text)
    {
        int start = 0;
        for (int i = 0; i < text.Length; i++)
        {
            if (text[i] != '\n') continue;
            yield return text[start..(i + 1)];
            start = i + 1;
        }

        if (start < text.Length) yield return text[start..];
    }

    /// <summary>The cell's tags (metadata.tags).</summary>
    public static IReadOnlyList<string> TagsOf(JsonObject cell) =>
        cell["metadata"]?["tags"] is JsonArray tags
            ? tags.Select(t => t?.GetValue<string>() ?? "").ToArray()
            : [];

    /// <summary>
    /// The kernel a code cell is for: its metadata (polyglot_notebook.kernelName, or the older
    /// dotnet_interactive.language), else the notebook's default kernel, else C#.
    /// </summary>
    public string KernelOf(JsonObject cell)
    {
        string? name = cell["metadata"]?["polyglot_notebook"]?["kernelName"]?.GetValue<string>()
                       ?? cell["metadata"]?["dotnet_interactive"]?["language"]?.GetValue<string>()
                       ?? Root["metadata"]?["polyglot_notebook"]?["kernelInfo"]?["defaultKernelName"]?.GetValue<string>()
                       ?? KernelFromLanguage(Root["metadata"]?["kernelspec"]?["language"]?.GetValue<string>());
        return NormalizeKernel(name ?? "csharp");
    }

    /// <summary>Maps the aliases .NET Interactive accepts to a kernel name (<c>c#</c>, <c>cs</c> → <c>csharp</c>).</summary>
    public static string NormalizeKernel(string name) => name.Trim().ToLowerInvariant() switch
    {
        "c#" or "cs" or "csharp" => "csharp",
        "f#" or "fs" or "fsharp" => "fsharp",
        "md" or "markdown" => "markdown",
        "js" or "javascript" => "javascript",
        "powershell" or "pwsh" => "pwsh",
        var other => other,
    };

    private static string? KernelFromLanguage(string? language) => language switch
    {
        null => null,
        "C#" => "csharp",
        "F#" => "fsharp",
        "PowerShell" => "pwsh",
        _ => language,
    };

    /// <summary>Serialises as Jupyter does (one-space indent, UTF-8, trailing newline).</summary>
    public string ToJson() => Root.ToJsonString(WriteOptions) + "\n";

    /// <summary>Writes the notebook to <paramref name="path"/> (atomically: a temp file then a rename).</summary>
    public void Save(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        string temp = path + ".tmp-" + Environment.ProcessId;
        File.WriteAllText(temp, ToJson(), new UTF8Encoding(false));
        File.Move(temp, path, overwrite: true);
    }

    /// <summary>A deep copy.</summary>
    public NotebookDocument Clone() => new((JsonObject)Root.DeepClone());

    /// <summary>Gets or creates an object-valued property.</summary>
    internal static JsonObject GetOrAdd(JsonObject parent, string key)
    {
        if (parent[key] is JsonObject o) return o;
        var created = new JsonObject();
        parent[key] = created;
        return created;
    }
}
