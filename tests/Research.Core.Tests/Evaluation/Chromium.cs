using System.Diagnostics;
using Xunit.Abstractions;
using Research.Tests.Shared;

namespace Research.Core.Tests.Evaluation;

/// <summary>
/// Finds (or installs, with Debian's <c>apt-get install -y chromium</c> when running as root) a headless Chromium and
/// runs it with a fresh profile and no network features.
/// </summary>
internal static class Chromium
{
    private static readonly Lazy<(string? Path, string Log)> Located = new(Locate);

    /// <summary>The browser, or null with the reason in <paramref name="why"/>.</summary>
    public static string? Find(out string why)
    {
        var (path, log) = Located.Value;
        why = log;
        return path;
    }

    /// <summary>
    /// Returns the browser; when it is missing and cannot be installed, fails under CI=true and returns null
    /// otherwise (after telling the test output why).
    /// </summary>
    public static string? Require(ITestOutputHelper output)
    {
        string? path = Find(out string why);
        if (path is not null) return path;
        if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
            Assert.Fail($"Chromium is required under CI and could not be installed: {why}");
        output.WriteLine($"Chromium unavailable, browser checks not run: {why}");
        return null;
    }

    public static (int Code, string Stdout, string Stderr) Run(string chromium, TimeSpan timeout, params string[] args)
    {
        string profile = TestPaths.NewTempDir("chromium-profile");
        var psi = new ProcessStartInfo(chromium)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in new[]
                 {
                     "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                     "--disable-component-update", "--disable-sync", "--disable-extensions", "--hide-scrollbars", "--mute-audio",
                     $"--user-data-dir={profile}", "--enable-logging=stderr", "--v=0",
                 })
            psi.ArgumentList.Add(a);
        foreach (var a in args) psi.ArgumentList.Add(a);
        try
        {
            using var p = Process.Start(psi)!;
            var stdout = p.StandardOutput.ReadToEndAsync();
            var stderr = p.StandardError.ReadToEndAsync();
            if (!p.WaitForExit(timeout))
            {
                p.Kill(entireProcessTree: true);
                Assert.Fail($"Chromium did not finish within {timeout.TotalSeconds} s.");
            }

            p.WaitForExit();
            return (p.ExitCode, stdout.Result, stderr.Result);
        }
        finally
        {
            try { Directory.Delete(profile, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    private static (string? Path, string Log) Locate() =>
        DebianPackage.Locate("chromium", TimeSpan.FromMinutes(8), "chromium", "chromium-browser", "google-chrome");
}
