using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Research.Notebooks;

namespace Research.Core.Tests.Notebooks;

/// <summary>Every notebook in notebooks/ runs headless in quick mode without an error output.</summary>
[Collection(NotebookCollection.Name)]
public class NotebookSuiteTests
{
    private static string[] NotebookNames() =>
        Directory.EnumerateFiles(Path.Combine(TestPaths.RepoRoot, "notebooks"), "*.ipynb")
            .Where(f => !f.EndsWith(".executed.ipynb", StringComparison.Ordinal))
            .Select(f => Path.GetFileName(f))
            .Order(StringComparer.Ordinal)
            .ToArray();

    public static TheoryData<string> Notebooks() => new(NotebookNames());

    [Fact]
    public void The_suite_finds_the_notebooks()
    {
        var names = NotebookNames();
        Assert.Contains("00-quickstart.ipynb", names);
        Assert.Contains("01-data-exploration.ipynb", names);
        Assert.Contains("02-feature-engineering.ipynb", names);
        Assert.Contains("04-rl-agents.ipynb", names);
        Assert.Contains("05-backtest-risk.ipynb", names);
        Assert.Contains("06-hyperparameter-sweeps.ipynb", names);
    }

    [Theory]
    [MemberData(nameof(Notebooks))]
    public void Notebook_runs_in_quick_mode_without_errors(string name)
    {
        string source = Path.Combine(TestPaths.RepoRoot, "notebooks", name);
        var before = SHA256.HashData(File.ReadAllBytes(source));
        var doc = NotebookDocument.Load(source);
        var parametersCell = doc.Cells.OfType<JsonObject>().SingleOrDefault(c => NotebookDocument.TagsOf(c).Contains("parameters"));
        Assert.True(parametersCell is not null, $"{name} has no cell tagged 'parameters'.");
        Assert.Contains("quick", NotebookDocument.SourceOf(parametersCell!), StringComparison.Ordinal);
        var last = doc.Cells.OfType<JsonObject>().Last(c => (string?)c["cell_type"] == "code");
        Assert.Contains("throw", NotebookDocument.SourceOf(last), StringComparison.Ordinal); // the final assertion cell

        string outDir = TestPaths.NewTempDir("notebook-suite");
        var result = NotebookTestSupport.Run(source, NotebookTestSupport.Options(outDir, ("quick", "true")) with { Html = true });

        Assert.True(result.Succeeded, result.Failure?.Describe(name));
        Assert.Empty(result.ErrorOutputs);
        Assert.Empty(NotebookTestSupport.SchemaErrors(result.OutputPath));
        Assert.True(File.Exists(result.HtmlPath));
        Assert.Equal(before, SHA256.HashData(File.ReadAllBytes(source))); // the source is never written
        Assert.All(result.Executed.Cells.OfType<JsonObject>().Where(c => (string?)c["cell_type"] == "code"),
            c => Assert.NotNull(c["execution_count"]));
    }
}
