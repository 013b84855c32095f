using System.CommandLine;
using Research.Core.Data;

namespace Research.Cli;

/// <summary>
/// Runs a command body with the invocation's output streams and turns expected failures into a one-line message on
/// stderr and exit code 2 (bad input: file, line, column or parameter named), never a stack trace.
/// </summary>
internal static class CommandAction
{
    /// <summary>Exit code for input that cannot be read or arguments that are invalid.</summary>
    public const int BadInput = 2;

    /// <summary>Sets <paramref name="command"/>'s action to <paramref name="body"/> wrapped in the error mapping.</summary>
    public static void Set(Command command, Func<ParseResult, TextWriter, TextWriter, int> body) =>
        command.SetAction(parse =>
        {
            var stdout = parse.InvocationConfiguration.Output;
            var stderr = parse.InvocationConfiguration.Error;
            try
            {
                return body(parse, stdout, stderr);
            }
            catch (Exception e) when (e is DataFormatException or ArgumentException or FileNotFoundException
                                          or DirectoryNotFoundException or InvalidOperationException
                                          or System.Text.Json.JsonException or UnauthorizedAccessException
                                          or InvalidDataException or Research.Core.Tracking.TrackingException
                                          or Research.Core.Data.Providers.ProviderException)
            {
                stderr.WriteLine($"error: {e.Message}");
                return BadInput;
            }
        });
}
