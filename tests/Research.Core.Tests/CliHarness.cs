using System.Diagnostics;

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

    /// <summary>
    /// Runs the CLI as a child process, as a script would: <paramref name="environment"/> sets variables (a null value
    /// removes one), <paramref name="workingDirectory"/> null keeps the test's. Fails the test after
    /// <paramref name="timeout"/>.
    /// </summary>
    public static (int Code, string Out, string Err) RunProcess(IReadOnlyDictionary<string, string?> environment,
        string? workingDirectory, TimeSpan timeout, params string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (workingDirectory is not null) info.WorkingDirectory = workingDirectory;
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "research.dll"));
        foreach (var a in args) info.ArgumentList.Add(a);
        foreach (var (k, v) in environment)
        {
            if (v is null) info.Environment.Remove(k);
            else info.Environment[k] = v;
        }

        using var p = Process.Start(info)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(timeout))
        {
            p.Kill(entireProcessTree: true);
            Assert.Fail($"research {string.Join(' ', args)} did not finish in {timeout.TotalMinutes:0.#} minutes:\n{stdout.Result}");
        }

        p.WaitForExit();
        return (p.ExitCode, stdout.Result, stderr.Result);
    }
}
