using System.CommandLine;

namespace Research.Cli.Commands;

/// <summary><c>research data ...</c>: quality checks and a summary of the embedded data.</summary>
internal static class DataCommands
{
    public static Command Create()
    {
        var data = new Command("data", "Load, check and summarise market data.");
        return data;
    }
}
