using System.CommandLine;

namespace Research.Cli;

/// <summary>The <c>research</c> command line: builds the command tree and runs it.</summary>
public static class Cli
{
    /// <summary>Parses and runs <paramref name="args"/>, writing to the given streams; returns the exit code.</summary>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var root = new RootCommand("Quant Research Workbench: market data to a risk-managed, backtested, tracked model.");
        foreach (var command in CommandCatalog.All()) root.Subcommands.Add(command);
        var config = new InvocationConfiguration { Output = stdout, Error = stderr };
        return root.Parse(args).Invoke(config);
    }
}
