using System.CommandLine;
using Research.Cli.Commands;

namespace Research.Cli;

/// <summary>Every top-level command of <c>research</c>, one line each.</summary>
internal static class CommandCatalog
{
    public static IEnumerable<Command> All() =>
    [
        RunCommand.Create(),
        DataCommands.Create(),
        FeatureCommands.Create(),
        BacktestCommand.Create(),
        MetricsCommands.CreateMetrics(),
        MetricsCommands.CreateReport(),
        NotebookCommands.Create(),
        ModelCommands.Create(),
        ServeCommand.Create(),
        EnvCommands.Create(),
        RlCommands.Create(),
        SweepCommand.Create(),
        MlflowCommands.Create(),
        MlflowCommands.Reproduce(),
        WorkerCommand.Create(),
    ];
}
