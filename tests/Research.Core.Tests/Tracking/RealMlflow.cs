using System.Diagnostics;

namespace Research.Core.Tests.Tracking;

/// <summary>
/// The real MLflow 2.12.2 from ../shared/tools/mlflow (next to the repository; RESEARCH_MLFLOW_TOOLS overrides):
/// installs its Debian dependencies once, runs its Python client, starts and stops servers on 127.0.0.1.
/// It must exist: these tests fail, never skip, without it.
/// </summary>
public static class RealMlflow
{
    private static readonly Lazy<string> ToolsLazy = new(Locate);
    private static readonly object InstallGate = new();
    private static bool _installed;

    /// <summary>The tools folder.</summary>
    public static string Tools => ToolsLazy.Value;

    private static string Locate()
    {
        string? env = Environment.GetEnvironmentVariable("RESEARCH_MLFLOW_TOOLS");
        var candidates = new List<string>();
        if (env is not null) candidates.Add(env);
        for (var d = new DirectoryInfo(TestPaths.RepoRoot); d is not null; d = d.Parent)
            candidates.Add(Path.Combine(d.FullName, "shared", "tools", "mlflow"));
        string? found = candidates.FirstOrDefault(c => File.Exists(Path.Combine(c, "server")));
        Assert.True(found is not null,
            $"The real MLflow (shared/tools/mlflow beside the repository) is required by the tracking tests (CI={Environment.GetEnvironmentVariable("CI")}); looked in: {string.Join(", ", candidates)}");
        EnsureInstalled(found!);
        return found!;
    }

    private static void EnsureInstalled(string tools)
    {
        lock (InstallGate)
        {
            if (_installed) return;
            // Another test assembly may hold dpkg's lock while it installs a package of its own: wait for it (up to 10 min).
            var (code, output) = Exec(Path.Combine(tools, "install-deps"), "", TimeSpan.FromMinutes(5));
            for (var waited = Stopwatch.StartNew(); code != 0 && output.Contains("Could not get lock", StringComparison.Ordinal) && waited.Elapsed < TimeSpan.FromMinutes(10);)
            {
                Thread.Sleep(TimeSpan.FromSeconds(5));
                (code, output) = Exec(Path.Combine(tools, "install-deps"), "", TimeSpan.FromMinutes(5));
            }

            Assert.True(code == 0, $"install-deps failed: {output}");
            _installed = true;
        }
    }

    /// <summary>Runs a Python script with MLflow importable; returns exit code, stdout and stderr.</summary>
    public static (int Code, string Stdout, string Stderr) Python(string script)
    {
        string file = Path.Combine(TestPaths.NewTempDir("mlflow-py"), "script.py");
        File.WriteAllText(file, script);
        var psi = new ProcessStartInfo(Path.Combine(Tools, "python"), $"\"{file}\"")
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        using var p = Process.Start(psi)!;
        var stderr = p.StandardError.ReadToEndAsync();
        string stdout = p.StandardOutput.ReadToEnd();
        Assert.True(p.WaitForExit(120_000), "python timed out");
        return (p.ExitCode, stdout, stderr.Result);
    }

    /// <summary>Runs a command; returns exit code and combined output.</summary>
    public static (int Code, string Output) Exec(string file, string args, TimeSpan timeout)
    {
        var psi = new ProcessStartInfo(file, args) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        using var p = Process.Start(psi)!;
        var err = p.StandardError.ReadToEndAsync();
        string output = p.StandardOutput.ReadToEnd();
        Assert.True(p.WaitForExit((int)timeout.TotalMilliseconds), $"{file} {args} timed out");
        return (p.ExitCode, output + err.Result);
    }
}

/// <summary>A real MLflow tracking server on 127.0.0.1 with its own SQLite backend and proxied artifacts.</summary>
public sealed class MlflowServer : IDisposable
{
    /// <summary>Starts a server in a new temp folder (or <paramref name="dir"/>, to restart over the same data).</summary>
    public MlflowServer(string? dir = null)
    {
        Dir = dir ?? TestPaths.NewTempDir("mlflow-server");
        Start();
    }

    /// <summary>The server's data folder.</summary>
    public string Dir { get; }

    /// <summary>http://127.0.0.1:port</summary>
    public string Url { get; private set; } = "";

    /// <summary>(Re)starts the server over <see cref="Dir"/>.</summary>
    public void Start()
    {
        var (code, output) = RealMlflow.Exec(Path.Combine(RealMlflow.Tools, "server"), $"start --dir \"{Dir}\"", TimeSpan.FromMinutes(2));
        Assert.True(code == 0, $"mlflow server start failed: {output}");
        string line = output.Split('\n').First(l => l.StartsWith("MLFLOW_TRACKING_URI=", StringComparison.Ordinal));
        Url = line["MLFLOW_TRACKING_URI=".Length..].Trim();
    }

    /// <summary>Stops the server (its whole process group).</summary>
    public void Stop() => RealMlflow.Exec(Path.Combine(RealMlflow.Tools, "server"), $"stop --dir \"{Dir}\"", TimeSpan.FromMinutes(1));

    /// <inheritdoc />
    public void Dispose() => Stop();
}

/// <summary>One server shared by a test class.</summary>
public sealed class MlflowServerFixture : IDisposable
{
    /// <summary>The server.</summary>
    public MlflowServer Server { get; } = new();

    /// <inheritdoc />
    public void Dispose() => Server.Dispose();
}
