using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Text.Json.Nodes;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Scripting;
using Research.Notebooks.Formatting;

namespace Research.Notebooks;

/// <summary>How to run a notebook.</summary>
public sealed record NotebookRunOptions
{
    /// <summary>Values for the variables of the cell tagged <c>parameters</c> (name → text).</summary>
    public IReadOnlyDictionary<string, string> Parameters { get; init; } = new Dictionary<string, string>();

    /// <summary>Where the executed notebook goes (default: <c>.out/</c> beside the notebook).</summary>
    public string? OutputDirectory { get; init; }

    /// <summary>Also write a self-contained HTML export.</summary>
    public bool Html { get; init; }

    /// <summary>Longest a cell may run (compile + execute) before the run is stopped.</summary>
    public TimeSpan CellTimeout { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>Progress lines (one per cell) go here; null for none.</summary>
    public TextWriter? Log { get; init; }

    /// <summary>Package restore cache (default: <see cref="NuGetRestorer.DefaultCacheRoot"/>).</summary>
    public NuGetRestorer? Restorer { get; init; }

    /// <summary>
    /// Run with the notebook's folder as the working directory, as VS Code does (default). The working directory is
    /// process-wide, so such runs are serialised.
    /// </summary>
    public bool UseNotebookDirectory { get; init; } = true;
}

/// <summary>Where and why a run stopped.</summary>
/// <param name="CellNumber">1-based index of the cell in the source notebook (0 for the injected parameters cell).</param>
/// <param name="Line">1-based line in that cell, when known.</param>
/// <param name="ErrorName">Exception type or error kind.</param>
/// <param name="Message">What went wrong.</param>
public sealed record CellFailure(int CellNumber, int? Line, string ErrorName, string Message)
{
    /// <summary><c>notebook: cell N, line L: Error: message</c>.</summary>
    public string Describe(string notebook) =>
        $"{notebook}: {(CellNumber == 0 ? "injected parameters cell" : $"cell {CellNumber}")}{(Line is int l ? $", line {l}" : "")}: {ErrorName}: {Message}";
}

/// <summary>The time one code cell took.</summary>
/// <param name="CellNumber">1-based index in the source notebook (0 for the injected parameters cell).</param>
/// <param name="Elapsed">Compile + run time (and restore, when the cell had packages).</param>
public sealed record CellTiming(int CellNumber, TimeSpan Elapsed);

/// <summary>What a run produced.</summary>
/// <param name="SourcePath">The notebook that was run (never written to).</param>
/// <param name="OutputPath">The executed copy with outputs.</param>
/// <param name="HtmlPath">The HTML export, when asked for.</param>
/// <param name="Failure">Null when every cell succeeded.</param>
/// <param name="Timings">One per executed code cell.</param>
/// <param name="Elapsed">Wall time of the whole run.</param>
/// <param name="Executed">The executed notebook.</param>
public sealed record NotebookRunResult(string SourcePath, string OutputPath, string? HtmlPath, CellFailure? Failure,
    IReadOnlyList<CellTiming> Timings, TimeSpan Elapsed, NotebookDocument Executed)
{
    /// <summary>True when no cell failed.</summary>
    public bool Succeeded => Failure is null;

    /// <summary>Every error output in the executed notebook.</summary>
    public IEnumerable<JsonObject> ErrorOutputs => Executed.Cells.OfType<JsonObject>()
        .SelectMany(c => c["outputs"] as JsonArray ?? [])
        .OfType<JsonObject>()
        .Where(o => (string?)o["output_type"] == "error");
}

/// <summary>
/// Executes a notebook's C# cells in order in one Roslyn scripting session, headless, and writes an executed copy with
/// outputs (nbformat 4.5) and optionally an HTML export. A failing cell stops the run.
/// </summary>
public static class NotebookRunner
{
    private static readonly SemaphoreSlim WorkingDirectoryGate = new(1, 1);

    /// <summary>The executed copy's file name for <paramref name="notebookPath"/>.</summary>
    public static string ExecutedFileName(string notebookPath) => Path.GetFileNameWithoutExtension(notebookPath) + ".executed.ipynb";

    /// <summary>The default output folder: <c>.out/</c> beside the notebook.</summary>
    public static string DefaultOutputDirectory(string notebookPath) =>
        Path.Combine(Path.GetDirectoryName(Path.GetFullPath(notebookPath))!, ".out");

    /// <summary>Runs <paramref name="notebookPath"/>.</summary>
    /// <exception cref="ArgumentException">Parameters that the notebook does not declare or that do not parse.</exception>
    /// <exception cref="FileNotFoundException">No such notebook.</exception>
    /// <exception cref="InvalidDataException">Not an nbformat 4 notebook.</exception>
    public static async Task<NotebookRunResult> RunAsync(string notebookPath, NotebookRunOptions options, CancellationToken cancellationToken = default)
    {
        string source = Path.GetFullPath(notebookPath);
        var document = NotebookDocument.Load(source);
        string outDir = Path.GetFullPath(options.OutputDirectory ?? DefaultOutputDirectory(source));
        string outPath = Path.Combine(outDir, ExecutedFileName(source));
        if (string.Equals(outPath, source, StringComparison.Ordinal)) throw new ArgumentException($"The output would overwrite the notebook {source}.");
        bool hasParametersCell = document.Cells.OfType<JsonObject>().Any(c => NotebookDocument.TagsOf(c).Contains(ParameterInjection.ParametersTag));
        if (options.Parameters.Count > 0 && !hasParametersCell)
        {
            throw new ArgumentException($"{notebookPath} has no cell tagged '{ParameterInjection.ParametersTag}', so --param {options.Parameters.Keys.First()} cannot be set.");
        }

        bool gated = options.UseNotebookDirectory;
        if (gated) await WorkingDirectoryGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        string previousDirectory = Environment.CurrentDirectory;
        try
        {
            if (gated) Environment.CurrentDirectory = Path.GetDirectoryName(source)!;
            ConsoleRouter.Install();
            return await RunCoreAsync(notebookPath, source, document, outPath, options, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            if (gated)
            {
                Environment.CurrentDirectory = previousDirectory;
                WorkingDirectoryGate.Release();
            }
        }
    }

    private static async Task<NotebookRunResult> RunCoreAsync(string displayPath, string source, NotebookDocument document,
        string outPath, NotebookRunOptions options, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var started = DateTimeOffset.UtcNow;
        var log = options.Log;
        var executed = document.Clone();
        var formatter = new DisplayFormatter();
        var kernel = new ScriptKernel(Path.GetDirectoryName(source)!, options.Restorer ?? new NuGetRestorer());
        var cells = executed.Cells.OfType<JsonObject>().ToList();
        // The executed copy is nbformat 4.5 (cell ids), whatever minor version the source had.
        if ((executed.Root["nbformat_minor"]?.GetValue<int>() ?? 0) < 5)
        {
            executed.Root["nbformat_minor"] = 5;
            foreach (var c in cells.Where(c => c["id"] is null)) c["id"] = NotebookDocument.NewCellId();
        }

        foreach (var c in cells.Where(c => (string?)c["cell_type"] == "code"))
        {
            c["execution_count"] = null;
            c["outputs"] = new JsonArray();
        }

        var timings = new List<CellTiming>();
        CellFailure? failure = null;
        int executionCount = 0;
        int total = cells.Count;
        string paramText = options.Parameters.Count == 0 ? "" : " (" + string.Join(", ", options.Parameters.Select(p => $"{p.Key}={p.Value}")) + ")";
        log?.WriteLine($"{displayPath}{paramText}");

        for (int i = 0; i < cells.Count && failure is null; i++)
        {
            var cell = cells[i];
            int number = i + 1;
            if ((string?)cell["cell_type"] != "code") continue;
            var (fail, elapsed) = await RunCellAsync(cell, number, NotebookDocument.SourceOf(cell), executed.KernelOf(cell)).ConfigureAwait(false);
            failure = fail;
            if (failure is not null) break;

            if (options.Parameters.Count > 0 && NotebookDocument.TagsOf(cell).Contains(ParameterInjection.ParametersTag))
            {
                string code = ParameterInjection.BuildCell(options.Parameters, ParameterInjection.Declared(kernel.Variables));
                var metadata = NotebookDocument.CSharpCellMetadata();
                metadata["tags"] = new JsonArray(ParameterInjection.InjectedTag);
                var injected = NotebookDocument.NewCodeCell(code, metadata);
                int at = executed.Cells.IndexOf(cell) + 1;
                executed.Cells.Insert(at, injected);
                (failure, _) = await RunCellAsync(injected, 0, code, "csharp").ConfigureAwait(false);
            }
        }

        var runInfo = new JsonObject
        {
            ["parameters"] = new JsonObject(options.Parameters.Select(p => KeyValuePair.Create(p.Key, (JsonNode?)JsonValue.Create(p.Value)))),
            ["start_time"] = started.ToString("O", CultureInfo.InvariantCulture),
            ["duration_s"] = Math.Round(clock.Elapsed.TotalSeconds, 3),
            ["status"] = failure is null ? "completed" : "failed",
        };
        if (failure is not null) runInfo["failure"] = failure.Describe(Path.GetFileName(source));
        executed.Metadata["research_notebook_run"] = runInfo;
        executed.Save(outPath);
        string? htmlPath = null;
        if (options.Html)
        {
            htmlPath = Path.ChangeExtension(Path.Combine(Path.GetDirectoryName(outPath)!, Path.GetFileNameWithoutExtension(source)), ".html");
            File.WriteAllText(htmlPath, HtmlExporter.Export(executed, Path.GetFileNameWithoutExtension(source)));
        }

        if (failure is null)
        {
            log?.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  ok: {timings.Count} code cells in {clock.Elapsed.TotalSeconds:F1} s -> {outPath}{(htmlPath is null ? "" : ", " + htmlPath)}"));
        }
        else
        {
            log?.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  FAILED after {clock.Elapsed.TotalSeconds:F1} s; partial output in {outPath}"));
        }

        return new NotebookRunResult(source, outPath, htmlPath, failure, timings, clock.Elapsed, executed);

        async Task<(CellFailure? Failure, TimeSpan Elapsed)> RunCellAsync(JsonObject cell, int number, string code, string kernelName)
        {
            var cellClock = Stopwatch.StartNew();
            var execution = new CellExecution(formatter);
            string label = number == 0 ? "parameters" : $"cell {number}/{total}";
            CellFailure? result = null;
            string note = "";
            ParsedCell? parsed = null;
            try
            {
                parsed = ParsedCell.Parse(code, kernelName);
            }
            catch (NotebookCellException e)
            {
                result = Record(execution, number, e, null);
            }

            if (parsed is not null)
            {
                switch (parsed.Kind)
                {
                    case CellKind.Markdown:
                    case CellKind.Raw:
                        cellClock.Stop();
                        return (null, cellClock.Elapsed);
                    case CellKind.Html:
                        execution.AddDisplay(new Scripting.HtmlString(parsed.Code), ["text/html"]);
                        break;
                    case CellKind.Unsupported:
                        result = Record(execution, number, new NotebookCellException("UnsupportedKernel",
                            $"The cell is for the '{parsed.Kernel}' kernel; the headless runner runs C# (and #!markdown, #!html) cells only."), null);
                        break;
                    default:
                        executionCount++;
                        cell["execution_count"] = executionCount;
                        (result, note) = await ExecuteCSharpAsync(execution, parsed, number, executionCount).ConfigureAwait(false);
                        break;
                }
            }

            cell["outputs"] = execution.ToNbformat();
            cellClock.Stop();
            timings.Add(new CellTiming(number, cellClock.Elapsed));
            log?.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  [{label}] {cellClock.Elapsed.TotalSeconds:F2} s{note}   (total {clock.Elapsed.TotalSeconds:F1} s){(result is null ? "" : "  FAILED")}"));
            return (result, cellClock.Elapsed);
        }

        async Task<(CellFailure?, string)> ExecuteCSharpAsync(CellExecution execution, ParsedCell parsed, int number, int count)
        {
            string filePath = $"{source}#cell{(number == 0 ? "-parameters" : number.ToString(CultureInfo.InvariantCulture))}";
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var work = Task.Run(async () =>
            {
                CellExecution.Current.Value = execution;
                try
                {
                    var value = await kernel.ExecuteAsync(parsed, filePath, timeout.Token).ConfigureAwait(false);
                    if (kernel.LastCellHasValue) execution.AddExecuteResult(count, value);
                }
                finally
                {
                    await Console.Out.FlushAsync().ConfigureAwait(false);
                    CellExecution.Current.Value = null;
                }
            }, CancellationToken.None);
            var finished = await Task.WhenAny(work, Task.Delay(options.CellTimeout, cancellationToken)).ConfigureAwait(false);
            string note = kernel.LastRestore is { } r
                ? string.Create(CultureInfo.InvariantCulture, $"  ({r.Assemblies.Count} package assemblies {(r.FromCache ? "from cache" : $"restored in {r.Elapsed.TotalSeconds:F1} s")})")
                : "";
            if (finished != work)
            {
                await timeout.CancelAsync().ConfigureAwait(false);
                execution.Close();
                cancellationToken.ThrowIfCancellationRequested();
                var e = new NotebookCellException("TimeoutError",
                    string.Create(CultureInfo.InvariantCulture, $"The cell did not finish within {options.CellTimeout.TotalSeconds:0.###} s (--timeout) and was abandoned; the run stops here."));
                return (Record(execution, number, e, filePath), note);
            }

            try
            {
                await work.ConfigureAwait(false);
                return (null, note);
            }
            catch (Exception e)
            {
                return (Record(execution, number, e, filePath), note);
            }
        }
    }

    /// <summary>Adds the error output for <paramref name="error"/> and returns where it happened.</summary>
    private static CellFailure Record(CellExecution execution, int number, Exception error, string? filePath)
    {
        while (error is TargetInvocationException or AggregateException { InnerExceptions.Count: 1 } && error.InnerException is not null)
        {
            error = error.InnerException;
        }

        switch (error)
        {
            case CompilationErrorException compile:
                {
                    var errors = compile.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).ToArray();
                    if (errors.Length == 0) errors = compile.Diagnostics.ToArray();
                    var lines = errors.Select(d => FormatDiagnostic(d, filePath)).ToArray();
                    int? line = errors.Select(d => LineOf(d, filePath)).FirstOrDefault(l => l is not null);
                    execution.AddError("CompilationError", string.Join("\n", lines), lines);
                    return new CellFailure(number, line, "CompilationError", lines.FirstOrDefault() ?? compile.Message);
                }

            case NotebookCellException cell:
                execution.AddError(cell.ErrorName, cell.Message, [$"{cell.ErrorName}: {cell.Message}"]);
                return new CellFailure(number, cell.Line, cell.ErrorName, cell.Message);
            default:
                {
                    var (line, origin) = LineOf(error, filePath);
                    string name = error.GetType().FullName ?? error.GetType().Name;
                    string message = error.Message + origin;
                    execution.AddError(name, error.Message, error.ToString().Replace("\r", "", StringComparison.Ordinal).Split('\n'));
                    return new CellFailure(number, line, name, message);
                }
        }
    }

    private static string FormatDiagnostic(Diagnostic d, string? filePath)
    {
        var span = d.Location.GetMappedLineSpan();
        string where = d.Location.IsInSource && (filePath is null || span.Path == filePath)
            ? $"({span.StartLinePosition.Line + 1},{span.StartLinePosition.Character + 1}): "
            : "";
        return $"{where}{d.Severity.ToString().ToLowerInvariant()} {d.Id}: {d.GetMessage(CultureInfo.InvariantCulture)}";
    }

    private static int? LineOf(Diagnostic d, string? filePath)
    {
        if (!d.Location.IsInSource) return null;
        var span = d.Location.GetMappedLineSpan();
        return filePath is null || span.Path == filePath ? span.StartLinePosition.Line + 1 : null;
    }

    /// <summary>
    /// The line of the cell's own code the exception passed through (the call site in this cell), and, when it was
    /// raised in code another cell defined, where.
    /// </summary>
    private static (int? Line, string Origin) LineOf(Exception error, string? filePath)
    {
        if (filePath is null) return (null, "");
        int? line = null;
        string origin = "";
        bool innermost = true;
        foreach (var frame in new StackTrace(error, fNeedFileInfo: true).GetFrames())
        {
            string? file = frame.GetFileName();
            if (file is null || !file.Contains("#cell", StringComparison.Ordinal)) continue;
            if (file == filePath)
            {
                line = frame.GetFileLineNumber();
                break;
            }

            if (innermost)
            {
                origin = $" (raised in {file[(file.LastIndexOf('#') + 1)..].Replace("cell", "cell ", StringComparison.Ordinal)}, line {frame.GetFileLineNumber()})";
                innermost = false;
            }
        }

        return (line is > 0 ? line : null, origin);
    }
}
