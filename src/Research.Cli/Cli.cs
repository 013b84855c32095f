using System.CommandLine;

namespace Research.Cli;

/// <summary>The <c>research</c> command line: builds the command tree and runs it.</summary>
public static class Cli
{
    /// <summary>Exit code of a command line that does not parse (unknown option, value outside an option's choices, missing required option).</summary>
    public const int UsageError = 2;

    /// <summary>
    /// Parses and runs <paramref name="args"/>, writing to the given streams; returns the exit code. A command line that
    /// does not parse exits <see cref="UsageError"/> with each error on stderr, as a command's own bad arguments do.
    /// </summary>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var root = new RootCommand("Quant Research Workbench: market data to a risk-managed, backtested, tracked model.");
        foreach (var command in CommandCatalog.All()) root.Subcommands.Add(command);
        var config = new InvocationConfiguration { Output = stdout, Error = stderr };
        var parse = root.Parse(args);
        if (parse.Errors.Count == 0) return parse.Invoke(config);
        foreach (var error in parse.Errors) stderr.WriteLine($"error: {error.Message}");
        stderr.WriteLine($"Usage: {string.Join(' ', CommandPath(parse.CommandResult).Prepend("research"))} --help");
        return UsageError;
    }

    private static IEnumerable<string> CommandPath(System.CommandLine.Parsing.CommandResult? result)
    {
        var names = new Stack<string>();
        for (var r = result; r?.Parent is System.CommandLine.Parsing.CommandResult parent; r = parent) names.Push(r.Command.Name);
        return names;
    }
}
