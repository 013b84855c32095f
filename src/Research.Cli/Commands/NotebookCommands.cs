using System.CommandLine;
using System.Globalization;
using Research.Notebooks;

namespace Research.Cli.Commands;

/// <summary><c>research notebook run</c>: executes Polyglot notebooks headless (CI, scheduled reports).</summary>
internal static class NotebookCommands
{
    public static Command Create()
    {
        var notebook = new Command("notebook", "Work with the Polyglot (.NET Interactive C#) notebooks in notebooks/.");
        notebook.Subcommands.Add(Run());
        return notebook;
    }

    private static Command Run()
    {
        var path = new Argument<string>("path") { Description = "A notebook (.ipynb) or a folder of notebooks (each *.ipynb in it, in name order)." };
        var param = new Option<string[]>("--param", "-p")
        {
            Description = "name=value for a variable of the cell tagged 'parameters' (repeatable), typed as that variable.",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var output = new Option<string?>("--out") { Description = "Folder for the executed copies (default: .out/ beside each notebook)." };
        var html = new Option<bool>("--html") { Description = "Also write a self-contained HTML export next to each executed copy." };
        var timeout = new Option<double>("--timeout") { Description = "Seconds a cell may run before the run is stopped (default 600).", DefaultValueFactory = _ => 600 };
        var cmd = new Command("run",
            "Execute notebooks cell by cell in one C# session and write executed copies with outputs (the sources are never changed). " +
            "Exit 0 when every cell ran, 1 when a cell failed, 2 for bad input.")
        {
            path, param, output, html, timeout,
        };
        CommandAction.Set(cmd, (parse, stdout, stderr) =>
        {
            string target = parse.GetValue(path)!;
            var notebooks = Notebooks(target);
            var parameters = ParameterInjection.ParsePairs(parse.GetValue(param) ?? []);
            double seconds = parse.GetValue(timeout);
            if (!(seconds > 0)) throw new ArgumentException($"--timeout {seconds.ToString(CultureInfo.InvariantCulture)}: must be a positive number of seconds.");
            var options = new NotebookRunOptions
            {
                Parameters = parameters,
                OutputDirectory = parse.GetValue(output) is { } o ? Path.GetFullPath(o) : null,
                Html = parse.GetValue(html),
                CellTimeout = TimeSpan.FromSeconds(seconds),
                Log = stdout,
            };
            int failed = 0;
            foreach (var nb in notebooks)
            {
                string shown = Path.GetRelativePath(Directory.GetCurrentDirectory(), nb);
                var result = NotebookRunner.RunAsync(shown, options).GetAwaiter().GetResult();
                if (result.Failure is { } f)
                {
                    failed++;
                    stderr.WriteLine($"error: {f.Describe(shown)}");
                }
            }

            if (notebooks.Count > 1)
            {
                stdout.WriteLine($"{notebooks.Count - failed} of {notebooks.Count} notebooks ran without errors.");
            }

            return failed == 0 ? 0 : 1;
        });
        return cmd;
    }

    private static IReadOnlyList<string> Notebooks(string target)
    {
        if (Directory.Exists(target))
        {
            var found = Directory.EnumerateFiles(target, "*.ipynb", SearchOption.TopDirectoryOnly)
                .Where(f => !f.EndsWith(".executed.ipynb", StringComparison.OrdinalIgnoreCase))
                .Order(StringComparer.Ordinal)
                .ToArray();
            if (found.Length == 0) throw new FileNotFoundException($"No .ipynb notebooks in {target}.");
            return found;
        }

        if (!File.Exists(target)) throw new FileNotFoundException($"Notebook or folder '{target}' not found.");
        return [target];
    }
}
