using System.Diagnostics;
using System.Text;

namespace Research.Tests.Shared;

/// <summary>
/// Finds a program a test needs on PATH, or installs its Debian package with <c>apt-get</c> when running as root (as CI
/// does), so <c>dotnet test Research.sln</c> alone works on a fresh machine. Linked into each test project that needs it.
/// </summary>
internal static class DebianPackage
{
    /// <summary>The first of <paramref name="programs"/> found on PATH (or in /usr/bin), else null.</summary>
    public static string? Which(params string[] programs)
    {
        var dirs = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries).Append("/usr/bin");
        foreach (var name in programs)
        foreach (var dir in dirs)
        {
            string candidate = Path.Combine(dir, name);
            if (File.Exists(candidate)) return candidate;
        }

        return null;
    }

    /// <summary>
    /// The first of <paramref name="programs"/> found; when none is, installs <paramref name="package"/> with apt-get (first
    /// without, then after, <c>apt-get update</c>; each attempt at most <paramref name="timeout"/>) and looks again.
    /// Returns the path (null when still missing) and a log of the attempts.
    /// </summary>
    public static (string? Path, string Log) Locate(string package, TimeSpan timeout, params string[] programs)
    {
        if (Which(programs) is { } found) return (found, "");
        if (!OperatingSystem.IsLinux() || Environment.UserName != "root" || Which("apt-get") is null)
            return (null, $"no {string.Join(" or ", programs)} on PATH and no root apt-get to install {package}");
        var log = new StringBuilder();
        // Test assemblies run in parallel and may install at once: wait for the other's dpkg lock instead of failing.
        const string apt = "apt-get -o DPkg::Lock::Timeout=600";
        foreach (var cmd in new[] { $"{apt} install -y {package}", $"{apt} update && {apt} install -y {package}" })
        {
            var psi = new ProcessStartInfo("/bin/sh") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            psi.ArgumentList.Add("-c");
            psi.ArgumentList.Add(cmd);
            psi.Environment["DEBIAN_FRONTEND"] = "noninteractive";
            using var p = Process.Start(psi)!;
            var stdout = p.StandardOutput.ReadToEndAsync();
            var stderr = p.StandardError.ReadToEndAsync();
            if (!p.WaitForExit(timeout)) p.Kill(entireProcessTree: true);
            p.WaitForExit();
            log.Append($"`{cmd}` exited {p.ExitCode}: {Tail(stderr.Result)} {Tail(stdout.Result)}\n");
            if (Which(programs) is { } installed) return (installed, log.ToString());
        }

        return (null, log.ToString());
    }

    private static string Tail(string s) => s.Length <= 400 ? s.Trim() : s[^400..].Trim();
}
