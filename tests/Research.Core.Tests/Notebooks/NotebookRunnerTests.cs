using System.Diagnostics;
using System.Text.Json.Nodes;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Research.Notebooks;
using static Research.Core.Tests.Notebooks.NotebookTestSupport;

namespace Research.Core.Tests.Notebooks;

[Collection(NotebookCollection.Name)]
public class NotebookRunnerTests
{
    private readonly string _dir = TestPaths.NewTempDir("notebook-runner");

    private NotebookRunResult RunCells(string name, NotebookRunOptions? options, params string[] cells) =>
        Run(Write(_dir, name, cells), options ?? Options(Path.Combine(_dir, "out")));

    [Fact]
    public void State_carries_across_cells_and_a_trailing_expression_is_the_result()
    {
        var r = RunCells("state.ipynb", null,
            "var x = 20;",
            "record Point(int X, int Y);\nint Twice(int v) => 2 * v;",
            "using System.IO;\nvar p = new Point(x, Twice(x + 1));\np",
            "x += 1;\nnull as string");
        Assert.True(r.Succeeded, r.Failure?.Describe("state"));
        var result = (JsonObject)OutputsOf(r, "var p =").Single()!;
        Assert.Equal("execute_result", (string?)result["output_type"]);
        Assert.Equal(3, (int?)result["execution_count"]);
        Assert.Equal("Point { X = 20, Y = 42 }", Text(result["data"]!["text/plain"]));
        // A statement produces no result; an expression that is null shows <null>.
        Assert.Empty(OutputsOf(r, "var x = 20;"));
        Assert.Equal("<null>", Text(OutputsOf(r, "x += 1;")[0]!["data"]!["text/plain"]));
    }

    [Fact]
    public void Parameters_are_injected_after_the_parameters_cell_and_typed_as_declared()
    {
        var options = Options(Path.Combine(_dir, "out"),
            ("quick", "true"), ("n", "7"), ("rate", "0.25"), ("name", "say \"hi\""), ("start", "2015-03-02"),
            ("tickers", "AAPL, MSFT"), ("big", "12345678901"), ("mode", "Expanding"), ("limit", "null"));
        var r = RunCells("params.ipynb", options,
            "md:# Parameters",
            "#r \"" + typeof(Research.Core.Data.Splits.WindowMode).Assembly.Location + "\"",
            "[parameters]bool quick = false;\nint n = 1;\ndouble rate = 0.1;\nstring name = \"x\";\nDateOnly start = new DateOnly(2010, 1, 1);\n" +
            "string[] tickers = [];\nlong big = 0;\nResearch.Core.Data.Splits.WindowMode mode = Research.Core.Data.Splits.WindowMode.Rolling;\nint? limit = 5;",
            "$\"{quick} {n} {rate} {name} {start:yyyy-MM-dd} {string.Join('|', tickers)} {big} {mode} {limit is null}\"");
        Assert.True(r.Succeeded, r.Failure?.Describe("params"));
        var cells = r.Executed.Cells.OfType<JsonObject>().ToList();
        int parametersAt = cells.FindIndex(c => NotebookDocument.TagsOf(c).Contains("parameters"));
        var injected = cells[parametersAt + 1];
        Assert.Contains("injected-parameters", NotebookDocument.TagsOf(injected));
        Assert.Contains("n = 7;", NotebookDocument.SourceOf(injected), StringComparison.Ordinal);
        Assert.Equal("True 7 0.25 say \"hi\" 2015-03-02 AAPL|MSFT 12345678901 Expanding True",
            Text(OutputsOf(r, "string.Join('|', tickers)")[0]!["data"]!["text/plain"]));
    }

    [Fact]
    public void Parameters_that_are_not_declared_or_do_not_parse_are_rejected()
    {
        string path = Write(_dir, "badparams.ipynb", "[parameters]int n = 1;\nbool quick = false;", "n");
        var unknown = Assert.Throws<ArgumentException>(() => Run(path, Options(Path.Combine(_dir, "out"), ("m", "2"))));
        Assert.Contains("'m' is not declared in the parameters cell (declared: n, quick)", unknown.Message, StringComparison.Ordinal);
        var wrong = Assert.Throws<ArgumentException>(() => Run(path, Options(Path.Combine(_dir, "out"), ("n", "two"))));
        Assert.Contains("--param n=two: not an int (n is declared as int", wrong.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => Run(path, Options(Path.Combine(_dir, "out"), ("quick", "maybe"))));
        string plain = Write(_dir, "noparams.ipynb", "1");
        Assert.Contains("no cell tagged 'parameters'",
            Assert.Throws<ArgumentException>(() => Run(plain, Options(Path.Combine(_dir, "out"), ("n", "1")))).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_nuget_reference_is_restored_once_and_then_served_from_the_cache()
    {
        string[] cells =
        [
            "#r \"nuget: Newtonsoft.Json, 13.0.3\"\nusing Newtonsoft.Json;",
            "JsonConvert.SerializeObject(new { a = 1, b = new[] { 2, 3 } })",
        ];
        var first = RunCells("nuget.ipynb", null, cells);
        Assert.True(first.Succeeded, first.Failure?.Describe("nuget"));
        Assert.Equal("{\"a\":1,\"b\":[2,3]}", Text(OutputsOf(first, "SerializeObject")[0]!["data"]!["text/plain"]));

        var log = new StringWriter();
        var clock = Stopwatch.StartNew();
        var second = RunCells("nuget2.ipynb", Options(Path.Combine(_dir, "out")) with { Log = log }, cells);
        Assert.True(second.Succeeded);
        Assert.Contains("from cache", log.ToString(), StringComparison.Ordinal);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"cached restore took {clock.Elapsed}");
    }

    [Fact]
    public void A_dll_reference_resolves_relative_to_the_notebook()
    {
        string lib = Path.Combine(_dir, "lib");
        Directory.CreateDirectory(lib);
        var compilation = CSharpCompilation.Create("Greeter",
            [CSharpSyntaxTree.ParseText("namespace Greeting; public static class Greeter { public static string Hello(string who) => $\"hello {who}\"; }")],
            [MetadataReference.CreateFromFile(typeof(object).Assembly.Location),
             MetadataReference.CreateFromFile(Path.Combine(Path.GetDirectoryName(typeof(object).Assembly.Location)!, "System.Runtime.dll"))],
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        var emit = compilation.Emit(Path.Combine(lib, "Greeter.dll"));
        Assert.True(emit.Success, string.Join("\n", emit.Diagnostics));

        var r = RunCells("dll.ipynb", null, "#r \"lib/Greeter.dll\"\nusing Greeting;", "Greeter.Hello(\"notebook\")");
        Assert.True(r.Succeeded, r.Failure?.Describe("dll"));
        Assert.Equal("hello notebook", Text(OutputsOf(r, "Greeter.Hello")[0]!["data"]!["text/plain"]));
        Assert.Contains(Path.GetFullPath(lib), AssemblyResolution.NativeSearchDirectories);
    }

    [Fact]
    public void Native_library_names_map_to_files_and_runtimes_folders_are_probed()
    {
        if (OperatingSystem.IsLinux())
        {
            Assert.Equal(["torch", "torch.so", "libtorch.so"], AssemblyResolution.CandidateFileNames("torch").ToArray());
            Assert.Contains("libLibTorchSharp.so", AssemblyResolution.CandidateFileNames("LibTorchSharp"));
        }

        string bin = Path.Combine(_dir, "bin");
        string native = Path.Combine(bin, "runtimes", AssemblyResolution.RuntimeIdentifiers[0], "native");
        Directory.CreateDirectory(native);
        AssemblyResolution.RegisterDirectory(bin);
        Assert.Contains(Path.GetFullPath(native), AssemblyResolution.NativeSearchDirectories);
    }

    [Fact]
    public void DataFrames_render_as_html_tables_charts_with_plotly_once_and_other_values_as_text()
    {
        string core = typeof(Research.Core.Data.MarketPanel).Assembly.Location;
        var r = RunCells("formatters.ipynb", null,
            $"#r \"{core}\"\n#r \"nuget: Plotly.NET, 6.0.0\"\n#r \"nuget: Plotly.NET.CSharp, 0.14.0\"\nusing Microsoft.Data.Analysis;",
            "var df = new DataFrame(new Int32DataFrameColumn(\"n\", Enumerable.Range(0, 50)), new StringDataFrameColumn(\"s\", Enumerable.Range(0, 50).Select(i => $\"<{i}>\")));\ndisplay(df);",
            "var chart = Plotly.NET.CSharp.Chart.Line<int, int, string>(new[] { 1, 2, 3 }, new[] { 3, 1, 2 });\nchart.Display();\ndisplay(chart);",
            "new List<int> { 1, 2, 3 }",
            "display(HTML(\"<b>bold</b>\"));\ndisplay(\"<i>it</i>\", \"text/html\");\nEnumerable.Range(0, 100).ToArray()");
        Assert.True(r.Succeeded, r.Failure?.Describe("formatters"));

        var table = (JsonObject)OutputsOf(r, "display(df)")[0]!["data"]!;
        string html = Text(table["text/html"]);
        Assert.StartsWith("<div class=\"dataframe-wrap\"><table class=\"dataframe\">", html, StringComparison.Ordinal);
        Assert.Contains("<th>n</th><th>s</th>", html, StringComparison.Ordinal);
        Assert.Contains("&lt;19&gt;", html, StringComparison.Ordinal); // escaped, 20 rows shown
        Assert.DoesNotContain("&lt;20&gt;", html, StringComparison.Ordinal);
        Assert.Contains("First 20 of 50 rows × 2 columns", html, StringComparison.Ordinal);
        Assert.StartsWith("DataFrame: 50 rows × 2 columns", Text(table["text/plain"]), StringComparison.Ordinal);

        var charts = OutputsOf(r, "chart.Display()");
        Assert.Equal(2, charts.Count);
        string first = Text(charts[0]!["data"]!["text/html"]), second = Text(charts[1]!["data"]!["text/html"]);
        Assert.Contains("plotly.js v2", first, StringComparison.Ordinal); // inlined: works offline
        Assert.Contains("Plotly.newPlot(", first, StringComparison.Ordinal);
        Assert.DoesNotContain("plotly.js v2", second, StringComparison.Ordinal); // once per notebook
        Assert.Contains("Plotly.newPlot(", second, StringComparison.Ordinal);
        Assert.DoesNotContain("<script src=", first + second, StringComparison.Ordinal); // nothing fetched

        Assert.Equal("List<int> (3 items): [1, 2, 3]", Text(OutputsOf(r, "new List<int>")[0]!["data"]!["text/plain"]));
        var last = OutputsOf(r, "HTML(");
        Assert.Equal("<b>bold</b>", Text(last[0]!["data"]!["text/html"]));
        Assert.Equal("<i>it</i>", Text(last[1]!["data"]!["text/html"]));
        Assert.Equal("int[] (100 items): [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, … (80 more)]",
            Text(last[2]!["data"]!["text/plain"]));
    }

    [Fact]
    public void Stdout_and_stderr_are_captured_per_cell_in_order_with_displays()
    {
        var r = RunCells("streams.ipynb", null,
            "Console.WriteLine(\"one\");\nConsole.Write(\"two \");\nConsole.WriteLine(\"three\");\nConsole.Error.WriteLine(\"oops\");\ndisplay(42);\nConsole.WriteLine(\"after\");",
            "await Task.Run(() => Console.WriteLine(\"from a task\"));",
            "Console.WriteLine(\"second cell\");");
        Assert.True(r.Succeeded);
        var o = OutputsOf(r, "\"one\"");
        Assert.Equal(["stream", "stream", "display_data", "stream"], o.Select(x => (string)x!["output_type"]!).ToArray());
        Assert.Equal("one\ntwo three\n", Text(o[0]!["text"]));
        Assert.Equal("stderr", (string?)o[1]!["name"]);
        Assert.Equal("oops\n", Text(o[1]!["text"]));
        Assert.Equal("42", Text(o[2]!["data"]!["text/plain"]));
        Assert.Equal("after\n", Text(o[3]!["text"]));
        Assert.Equal("from a task\n", Text(OutputsOf(r, "from a task")[0]!["text"]));
        Assert.Equal("second cell\n", Text(OutputsOf(r, "second cell")[0]!["text"]));
    }

    [Fact]
    public void A_compile_error_is_reported_at_its_cell_and_line_and_stops_the_run()
    {
        var r = RunCells("compile.ipynb", null,
            "md:# Title",
            "#r \"nuget: Newtonsoft.Json, 13.0.3\"\nvar ok = 1;",
            "var a = 1;\nvar b = a +;\n",
            "Console.WriteLine(\"never\");");
        Assert.False(r.Succeeded);
        Assert.Equal(3, r.Failure!.CellNumber);
        Assert.Equal(2, r.Failure.Line);
        Assert.Equal("CompilationError", r.Failure.ErrorName);
        Assert.StartsWith("compile.ipynb: cell 3, line 2: CompilationError: (2,12): error CS1525", r.Failure.Describe("compile.ipynb"), StringComparison.Ordinal);
        var error = (JsonObject)OutputsOf(r, "var b = a +;")[0]!;
        Assert.Equal("error", (string?)error["output_type"]);
        Assert.Empty(OutputsOf(r, "never"));
        Assert.Null(r.Executed.Cells.OfType<JsonObject>().Last()["execution_count"]);
        Assert.Empty(SchemaErrors(r.OutputPath)); // the partial notebook is written and valid
    }

    [Fact]
    public void A_runtime_exception_is_reported_at_the_line_of_the_failing_cell()
    {
        var r = RunCells("runtime.ipynb", null,
            "int Divide(int a, int b)\n{\n    return a / b;\n}",
            "var x = 1;\n\nthrow new InvalidOperationException(\"broken\");",
            "x");
        Assert.Equal(2, r.Failure!.CellNumber);
        Assert.Equal(3, r.Failure.Line);
        Assert.Equal("System.InvalidOperationException", r.Failure.ErrorName);
        var error = (JsonObject)OutputsOf(r, "broken")[0]!;
        Assert.Equal("broken", (string?)error["evalue"]);
        Assert.Contains(((JsonArray)error["traceback"]!).Select(t => (string?)t), t => t!.Contains("#cell2:line 3", StringComparison.Ordinal));

        var nested = RunCells("nested.ipynb", null,
            "int Divide(int a, int b)\n{\n    return a / b;\n}",
            "var zero = 0;\nvar y = Divide(1, zero);");
        Assert.Equal(2, nested.Failure!.CellNumber);
        Assert.Equal(2, nested.Failure.Line);
        Assert.Equal("System.DivideByZeroException", nested.Failure.ErrorName);
        Assert.Contains("(raised in cell 1, line 3)", nested.Failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_cell_that_runs_past_the_timeout_is_abandoned_and_reported()
    {
        var clock = Stopwatch.StartNew();
        var r = RunCells("timeout.ipynb", Options(Path.Combine(_dir, "out")) with { CellTimeout = TimeSpan.FromSeconds(5) },
            "var started = DateTime.UtcNow;",
            "System.Threading.Thread.Sleep(60_000);",
            "Console.WriteLine(\"never\");");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(40), $"took {clock.Elapsed}");
        Assert.Equal(2, r.Failure!.CellNumber);
        Assert.Equal("TimeoutError", r.Failure.ErrorName);
        Assert.Contains("did not finish within 5 s", r.Failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Cell_magics_and_kernel_metadata_select_what_runs()
    {
        var r = RunCells("magics.ipynb", null,
            "#!csharp\nvar fromMagic = 3;",
            "#!markdown\n# Not code\nthis would not compile",
            "#!html\n<p id=\"x\">raw html</p>",
            "fromMagic * 2");
        Assert.True(r.Succeeded, r.Failure?.Describe("magics"));
        Assert.Empty(OutputsOf(r, "# Not code"));
        Assert.Equal("<p id=\"x\">raw html</p>", Text(OutputsOf(r, "raw html")[0]!["data"]!["text/html"]));
        Assert.Equal("6", Text(OutputsOf(r, "fromMagic * 2")[0]!["data"]!["text/plain"]));

        var fsharp = RunCells("fsharp.ipynb", null, "#!fsharp\nlet x = 1");
        Assert.Equal("UnsupportedKernel", fsharp.Failure!.ErrorName);
    }

    [Fact]
    public void A_vscode_notebook_without_cell_ids_is_written_as_valid_nbformat_4_5_with_an_html_export()
    {
        // As VS Code writes it: nbformat_minor 2, no cell ids, kernel named in the cell metadata.
        string path = Path.Combine(_dir, "vscode.ipynb");
        File.WriteAllText(path, """
            {
             "cells": [
              { "cell_type": "markdown", "metadata": {}, "source": ["# Heading\n", "Some *markdown* | here"] },
              { "cell_type": "code", "execution_count": null, "metadata": { "dotnet_interactive": { "language": "csharp" }, "polyglot_notebook": { "kernelName": "csharp" }, "vscode": { "languageId": "polyglot-notebook" } },
                "outputs": [], "source": ["Console.WriteLine(\"hi\");\n", "1 + 1"] }
             ],
             "metadata": {
              "kernelspec": { "display_name": ".NET (C#)", "language": "C#", "name": ".net-csharp" },
              "language_info": { "name": "polyglot-notebook" },
              "polyglot_notebook": { "kernelInfo": { "defaultKernelName": "csharp", "items": [ { "aliases": [], "name": "csharp" } ] } }
             },
             "nbformat": 4,
             "nbformat_minor": 2
            }
            """);
        var r = Run(path, Options(Path.Combine(_dir, "out")) with { Html = true });
        Assert.True(r.Succeeded);
        Assert.Equal(Path.Combine(_dir, "out", "vscode.executed.ipynb"), r.OutputPath);
        Assert.Empty(SchemaErrors(r.OutputPath));
        var executed = NotebookDocument.Load(r.OutputPath);
        Assert.Equal(5, (int?)executed.Root["nbformat_minor"]);
        Assert.Equal("polyglot-notebook", (string?)executed.Metadata["language_info"]!["name"]);
        string html = File.ReadAllText(r.HtmlPath!);
        Assert.Contains("<h1 id=\"heading\">Heading</h1>", html, StringComparison.Ordinal);
        Assert.Contains("<em>markdown</em>", html, StringComparison.Ordinal);
        Assert.Contains("<pre class=\"stream stdout\">hi\n</pre>", html, StringComparison.Ordinal);
        Assert.Contains("In [1]", html, StringComparison.Ordinal);
    }

    [Fact]
    public void The_schema_rejects_what_nbformat_rejects()
    {
        string path = Path.Combine(_dir, "invalid.ipynb");
        File.WriteAllText(path, """{ "cells": [ { "cell_type": "code", "id": "a", "metadata": {}, "source": "", "outputs": [ { "output_type": "error", "ename": "E" } ] } ], "metadata": {}, "nbformat": 4, "nbformat_minor": 5 }""");
        Assert.NotEmpty(SchemaErrors(path)); // no execution_count, error output without evalue/traceback
    }

    [Fact]
    public void The_default_output_folder_is_dot_out_beside_the_notebook_and_the_source_is_untouched()
    {
        string path = Write(_dir, "default-out.ipynb", "1");
        string before = File.ReadAllText(path);
        var r = Run(path, new NotebookRunOptions());
        Assert.Equal(Path.Combine(_dir, ".out", "default-out.executed.ipynb"), r.OutputPath);
        Assert.Equal(before, File.ReadAllText(path));
    }
}
