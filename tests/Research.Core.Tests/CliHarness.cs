namespace Research.Core.Tests;

/// <summary>Runs the <c>research</c> command line in process and captures its streams.</summary>
internal static class CliHarness
{
    public static (int Code, string Out, string Err) Run(params string[] args)
    {
        var o = new StringWriter();
        var e = new StringWriter();
        int code = Research.Cli.Cli.Run(args, o, e);
        return (code, o.ToString(), e.ToString());
    }
}
