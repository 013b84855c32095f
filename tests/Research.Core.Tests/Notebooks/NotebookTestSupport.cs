using System.Text.Json.Nodes;
using Json.Schema;
using Research.Notebooks;

namespace Research.Core.Tests.Notebooks;

/// <summary>
/// Notebook runs change the process's working directory (to the notebook's folder, as VS Code does), so every test
/// that runs a notebook is in this collection, which xUnit runs alone, after the parallel ones.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class NotebookCollection
{
    public const string Name = "notebooks";
}

internal static class NotebookTestSupport
{
    private static readonly Lazy<JsonSchema> Schema = new(() =>
        JsonSchema.FromFile(Path.Combine(AppContext.BaseDirectory, "Notebooks", "nbformat.v4.5.schema.json")));

    /// <summary>A notebook of C# cells (a string starting with "md:" is a markdown cell; "[parameters]" tags a cell).</summary>
    public static string Write(string dir, string name, params string[] cells)
    {
        var nb = NotebookDocument.CreateCSharp();
        foreach (var c in cells)
        {
            if (c.StartsWith("md:", StringComparison.Ordinal)) nb.AddMarkdown(c[3..]);
            else if (c.StartsWith("[parameters]", StringComparison.Ordinal)) nb.AddCode(c["[parameters]".Length..], ParameterInjection.ParametersTag);
            else nb.AddCode(c);
        }

        string path = Path.Combine(dir, name);
        nb.Save(path);
        return path;
    }

    public static NotebookRunOptions Options(string outDir, params (string Key, string Value)[] parameters) => new()
    {
        OutputDirectory = outDir,
        Parameters = parameters.ToDictionary(p => p.Key, p => p.Value),
        CellTimeout = TimeSpan.FromSeconds(120),
    };

    public static NotebookRunResult Run(string path, NotebookRunOptions options) =>
        NotebookRunner.RunAsync(path, options).GetAwaiter().GetResult();

    /// <summary>The outputs of the code cell whose source contains <paramref name="marker"/>.</summary>
    public static JsonArray OutputsOf(NotebookRunResult result, string marker) =>
        (JsonArray)result.Executed.Cells.OfType<JsonObject>()
            .Single(c => (string?)c["cell_type"] == "code" && NotebookDocument.SourceOf(c).Contains(marker, StringComparison.Ordinal))["outputs"]!;

    public static string Text(JsonNode? node) => node switch
    {
        JsonArray a => string.Concat(a.Select(x => (string?)x)),
        JsonValue v => v.GetValue<string>(),
        _ => "",
    };

    /// <summary>Validates a notebook file against the nbformat 4.5 schema; returns the errors (empty when valid).</summary>
    public static IReadOnlyList<string> SchemaErrors(string path)
    {
        var node = JsonNode.Parse(File.ReadAllText(path));
        var result = Schema.Value.Evaluate(node, new EvaluationOptions { OutputFormat = OutputFormat.List });
        if (result.IsValid) return [];
        return (result.Details ?? [])
            .Where(d => d.Errors is { Count: > 0 })
            .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Key}: {e.Value}"))
            .Take(20)
            .ToArray();
    }
}
