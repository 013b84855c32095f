using System.Diagnostics;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;

namespace Research.Notebooks;

/// <summary>The assemblies a set of packages brings, ready to reference.</summary>
/// <param name="Directory">The folder holding the packages' runtime assemblies and this platform's native libraries.</param>
/// <param name="Assemblies">Full paths of the managed assemblies (the package closure, this platform's variants).</param>
/// <param name="FromCache">True when an earlier restore of the same set was reused.</param>
/// <param name="Elapsed">Wall time.</param>
public sealed record RestoreResult(string Directory, IReadOnlyList<string> Assemblies, bool FromCache, TimeSpan Elapsed);

/// <summary>
/// Resolves <c>#r "nuget: ..."</c> the way .NET Interactive does: a generated project with the package references is
/// restored and published for this platform (<c>dotnet publish -r &lt;rid&gt;</c>, framework-dependent), which selects
/// the right runtime assemblies and places this platform's native libraries beside them. Results are cached by the set
/// of package references, sources, target framework and runtime, so a second run of a notebook restores nothing.
/// </summary>
public sealed class NuGetRestorer
{
    private const string FormatVersion = "1";
    private const string ProjectName = "NotebookPackages";

    /// <summary>Creates a restorer caching under <paramref name="cacheRoot"/> (default: <see cref="DefaultCacheRoot"/>).</summary>
    public NuGetRestorer(string? cacheRoot = null) => CacheRoot = cacheRoot ?? DefaultCacheRoot;

    /// <summary>
    /// <c>$RESEARCH_NOTEBOOK_CACHE</c>, else <c>~/.cache/research-notebooks</c> (the local application data folder).
    /// </summary>
    public static string DefaultCacheRoot =>
        Environment.GetEnvironmentVariable("RESEARCH_NOTEBOOK_CACHE") is { Length: > 0 } env
            ? env
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.Create),
                "research-notebooks");

    /// <summary>The cache folder.</summary>
    public string CacheRoot { get; }

    /// <summary>The target framework packages are restored for (the running runtime's).</summary>
    public static string TargetFramework => $"net{Environment.Version.Major}.{Environment.Version.Minor}";

    /// <summary>Restores <paramref name="packages"/> (with extra <paramref name="sources"/>), or reuses a cached restore.</summary>
    public RestoreResult Restore(IReadOnlyCollection<PackageReference> packages, IReadOnlyCollection<string> sources,
        CancellationToken cancellationToken = default)
    {
        var clock = Stopwatch.StartNew();
        string rid = RuntimeInformation.RuntimeIdentifier;
        var ordered = packages.DistinctBy(p => p.Id.ToLowerInvariant()).OrderBy(p => p.Id, StringComparer.OrdinalIgnoreCase).ToArray();
        var key = new StringBuilder().Append(FormatVersion).Append('\n').Append(TargetFramework).Append('\n').Append(rid).Append('\n');
        foreach (var p in ordered) key.Append(p.Id.ToLowerInvariant()).Append('|').Append(p.Version).Append('\n');
        foreach (var s in sources.Order(StringComparer.Ordinal)) key.Append("source|").Append(s).Append('\n');
        string hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key.ToString())))[..20];
        string dir = Path.Combine(CacheRoot, "packages", hash);
        string lib = Path.Combine(dir, "lib");
        string manifest = Path.Combine(dir, "assemblies.txt");
        Directory.CreateDirectory(dir);

        using (AcquireLock(Path.Combine(dir, ".lock"), cancellationToken))
        {
            if (File.Exists(manifest))
            {
                var cached = File.ReadAllLines(manifest).Where(l => l.Length > 0).Select(l => Path.Combine(lib, l)).ToArray();
                if (cached.All(File.Exists)) return new RestoreResult(lib, cached, true, clock.Elapsed);
            }

            string project = Path.Combine(dir, "project");
            Directory.CreateDirectory(project);
            File.WriteAllText(Path.Combine(project, ProjectName + ".csproj"), ProjectXml(ordered, sources));
            // Keep the generated project away from any Directory.Build.props / Directory.Packages.props above the cache.
            File.WriteAllText(Path.Combine(project, "Directory.Build.props"), "<Project />\n");
            File.WriteAllText(Path.Combine(project, "Directory.Build.targets"), "<Project />\n");
            File.WriteAllText(Path.Combine(project, "Directory.Packages.props"), "<Project />\n");
            if (Directory.Exists(lib)) Directory.Delete(lib, recursive: true);
            RunDotnet(project, ["publish", ProjectName + ".csproj", "-c", "Release", "-r", rid, "--self-contained", "false",
                "-o", lib, "-nologo", "-v", "q", "--disable-build-servers", "-p:NuGetAudit=false"], ordered, cancellationToken);

            var assemblies = Directory.EnumerateFiles(lib, "*.dll")
                .Where(p => !Path.GetFileNameWithoutExtension(p).Equals(ProjectName, StringComparison.OrdinalIgnoreCase))
                .Where(IsManagedAssembly)
                .Order(StringComparer.Ordinal)
                .ToArray();
            File.WriteAllLines(manifest + ".tmp", assemblies.Select(Path.GetFileName)!);
            File.Move(manifest + ".tmp", manifest, overwrite: true);
            return new RestoreResult(lib, assemblies, false, clock.Elapsed);
        }
    }

    private static string ProjectXml(IEnumerable<PackageReference> packages, IEnumerable<string> sources)
    {
        var sb = new StringBuilder();
        sb.AppendLine("<Project Sdk=\"Microsoft.NET.Sdk\">");
        sb.AppendLine("  <PropertyGroup>");
        sb.AppendLine($"    <TargetFramework>{TargetFramework}</TargetFramework>");
        sb.AppendLine("    <OutputType>Library</OutputType>");
        sb.AppendLine("    <ManagePackageVersionsCentrally>false</ManagePackageVersionsCentrally>");
        sb.AppendLine("    <EnableDefaultItems>false</EnableDefaultItems>");
        sb.AppendLine("    <GenerateDocumentationFile>false</GenerateDocumentationFile>");
        sb.AppendLine("    <TreatWarningsAsErrors>false</TreatWarningsAsErrors>");
        sb.AppendLine("    <SatelliteResourceLanguages>en</SatelliteResourceLanguages>");
        sb.AppendLine("    <CopyLocalLockFileAssemblies>true</CopyLocalLockFileAssemblies>");
        var extra = sources.ToArray();
        if (extra.Length > 0)
        {
            sb.AppendLine($"    <RestoreAdditionalProjectSources>{System.Security.SecurityElement.Escape(string.Join(';', extra))}</RestoreAdditionalProjectSources>");
        }

        sb.AppendLine("  </PropertyGroup>");
        sb.AppendLine("  <ItemGroup>");
        foreach (var p in packages)
        {
            sb.AppendLine($"    <PackageReference Include=\"{System.Security.SecurityElement.Escape(p.Id)}\" Version=\"{System.Security.SecurityElement.Escape(p.Version)}\" />");
        }

        sb.AppendLine("  </ItemGroup>");
        sb.AppendLine("</Project>");
        return sb.ToString();
    }

    private static void RunDotnet(string workingDirectory, string[] arguments, IReadOnlyList<PackageReference> packages,
        CancellationToken cancellationToken)
    {
        var psi = new ProcessStartInfo(DotnetExecutable())
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in arguments) psi.ArgumentList.Add(a);
        // A test host or `dotnet run` passes MSBuild settings of its own SDK invocation down; the child must not inherit them.
        foreach (var name in psi.Environment.Keys.ToArray())
        {
            if (name.StartsWith("MSBUILD", StringComparison.OrdinalIgnoreCase) || name.Equals("MSBuildSDKsPath", StringComparison.OrdinalIgnoreCase)
                || name.Equals("MSBuildExtensionsPath", StringComparison.OrdinalIgnoreCase))
            {
                psi.Environment.Remove(name);
            }
        }

        psi.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        psi.Environment["DOTNET_NOLOGO"] = "1";
        using var process = Process.Start(psi) ?? throw new InvalidOperationException("Could not start dotnet.");
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        try
        {
            process.WaitForExitAsync(cancellationToken).GetAwaiter().GetResult();
        }
        catch (OperationCanceledException)
        {
            try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
            throw;
        }

        if (process.ExitCode != 0)
        {
            string output = (stdout.GetAwaiter().GetResult() + stderr.GetAwaiter().GetResult()).Trim();
            var errors = output.Split('\n').Where(l => l.Contains("error", StringComparison.OrdinalIgnoreCase)).Select(l => l.Trim()).Distinct().Take(10).ToArray();
            throw new NotebookCellException("NuGetRestoreError",
                $"Restoring {string.Join("; ", packages)} failed (dotnet {arguments[0]} exited with {process.ExitCode}):\n" +
                string.Join('\n', errors.Length > 0 ? errors : [output]));
        }
    }

    /// <summary>The dotnet host: the one running this process when it is dotnet, else <c>dotnet</c> on the PATH.</summary>
    internal static string DotnetExecutable()
    {
        if (Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host)) return host;
        string? main = Environment.ProcessPath;
        if (main is not null && Path.GetFileNameWithoutExtension(main).Equals("dotnet", StringComparison.OrdinalIgnoreCase)) return main;
        string root = Path.GetFullPath(Path.Combine(RuntimeEnvironment.GetRuntimeDirectory(), "..", "..", ".."));
        string candidate = Path.Combine(root, OperatingSystem.IsWindows() ? "dotnet.exe" : "dotnet");
        return File.Exists(candidate) ? candidate : "dotnet";
    }

    private static bool IsManagedAssembly(string path)
    {
        try
        {
            AssemblyName.GetAssemblyName(path);
            return true;
        }
        catch (BadImageFormatException)
        {
            return false;
        }
    }

    private static FileStream AcquireLock(string path, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (deadline.Elapsed < TimeSpan.FromMinutes(10))
            {
                cancellationToken.WaitHandle.WaitOne(200);
                cancellationToken.ThrowIfCancellationRequested();
            }
        }
    }
}
