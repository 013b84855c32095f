namespace Research.Core.Tests.Notebooks;

[Collection(NotebookCollection.Name)]
public class NotebookCliTests
{
    private static (int Code, string Out, string Err) Run(params string[] args) => CliHarness.Run(args);

    [Fact]
    public void Notebook_run_exit_codes_progress_lines_and_error_location()
    {
        string dir = TestPaths.NewTempDir("notebook-cli");
        string outDir = Path.Combine(dir, "out");
        NotebookTestSupport.Write(dir, "a-ok.ipynb", "[parameters]int n = 1;", "Console.WriteLine(n * 2);");
        var ok = Run("notebook", "run", Path.Combine(dir, "a-ok.ipynb"), "--param", "n=21", "--out", outDir, "--html");
        Assert.True(ok.Code == 0, ok.Out + ok.Err);
        Assert.Matches(@"\[cell 1/2\] \d+\.\d\d s", ok.Out);
        Assert.Contains("[parameters]", ok.Out, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(outDir, "a-ok.executed.ipynb")));
        Assert.True(File.Exists(Path.Combine(outDir, "a-ok.html")));
        Assert.Contains("42", File.ReadAllText(Path.Combine(outDir, "a-ok.executed.ipynb")), StringComparison.Ordinal);

        NotebookTestSupport.Write(dir, "b-fails.ipynb", "var x = 1;", "var y = 2;\nthrow new Exception(\"bad data\");");
        var failed = Run("notebook", "run", Path.Combine(dir, "b-fails.ipynb"), "--out", outDir);
        Assert.Equal(1, failed.Code);
        Assert.Contains("b-fails.ipynb: cell 2, line 2: System.Exception: bad data", failed.Err, StringComparison.Ordinal);

        var folder = Run("notebook", "run", dir, "--out", outDir, "-p", "n=1");
        Assert.Equal(2, folder.Code); // b-fails has no parameters cell: bad input, nothing run

        var both = Run("notebook", "run", dir, "--out", outDir);
        Assert.Equal(1, both.Code);
        Assert.Contains("1 of 2 notebooks ran without errors.", both.Out, StringComparison.Ordinal);

        Assert.Equal(2, Run("notebook", "run", Path.Combine(dir, "missing.ipynb")).Code);
        Assert.Equal(2, Run("notebook", "run", Path.Combine(dir, "a-ok.ipynb"), "--param", "n=x", "--out", outDir).Code);
        Assert.Equal(2, Run("notebook", "run", Path.Combine(dir, "a-ok.ipynb"), "--param", "novalue", "--out", outDir).Code);
        Assert.Equal(2, Run("notebook", "run", Path.Combine(dir, "a-ok.ipynb"), "--timeout", "0").Code);
    }
}
