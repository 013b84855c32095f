using System.Reflection;
using System.Runtime.InteropServices;
using System.Runtime.Loader;

namespace Research.Notebooks;

/// <summary>
/// Makes assemblies referenced by path (<c>#r "…/bin/Debug/net10.0/X.dll"</c>) and by package find their dependencies
/// and native libraries at run time, without the host's deps.json knowing them:
/// <list type="bullet">
/// <item>managed: the folders of referenced assemblies are probed when the default context cannot resolve a name
/// (Roslyn's loader already probes the folder of the assembly it loaded from a path);</item>
/// <item>native: every load context an assembly lands in gets a <see cref="AssemblyLoadContext.ResolvingUnmanagedDll"/>
/// handler probing the referenced folders, their <c>runtimes/&lt;rid&gt;/native</c> subfolders (the layout a build
/// without a runtime identifier leaves, e.g. TorchSharp's libtorch), and package folders. That event is raised for
/// <c>[DllImport]</c> and for <see cref="NativeLibrary.TryLoad(string, Assembly, DllImportSearchPath?, out IntPtr)"/>
/// (which TorchSharp uses) once the normal probing failed. LD_LIBRARY_PATH cannot be changed for a running process;
/// libraries found this way are loaded by full path, and their own dependencies resolve through their RUNPATH
/// (<c>$ORIGIN</c> for libtorch) or the libraries already loaded.</item>
/// </list>
/// </summary>
public static class AssemblyResolution
{
    private static readonly Lock Gate = new();
    private static readonly List<string> ManagedDirectories = [];
    private static readonly List<string> NativeDirectories = [];
    private static readonly HashSet<AssemblyLoadContext> Hooked = [];
    private static bool _installed;

    /// <summary>The runtime identifiers whose <c>runtimes/&lt;rid&gt;/native</c> folders are probed, most specific first.</summary>
    public static IReadOnlyList<string> RuntimeIdentifiers { get; } = BuildRids();

    /// <summary>The folders probed for native libraries, in order.</summary>
    public static IReadOnlyList<string> NativeSearchDirectories
    {
        get
        {
            lock (Gate) return NativeDirectories.ToArray();
        }
    }

    /// <summary>Adds the folder of a referenced assembly (or a package output folder) to the probing lists.</summary>
    public static void RegisterDirectory(string directory)
    {
        directory = Path.GetFullPath(directory);
        Install();
        lock (Gate)
        {
            if (!ManagedDirectories.Contains(directory)) ManagedDirectories.Add(directory);
            foreach (var rid in RuntimeIdentifiers)
            {
                string native = Path.Combine(directory, "runtimes", rid, "native");
                if (Directory.Exists(native) && !NativeDirectories.Contains(native)) NativeDirectories.Add(native);
            }

            if (!NativeDirectories.Contains(directory)) NativeDirectories.Add(directory);
        }
    }

    /// <summary>Hooks the default context and every context created from now on (idempotent).</summary>
    public static void Install()
    {
        lock (Gate)
        {
            if (_installed) return;
            _installed = true;
        }

        AssemblyLoadContext.Default.Resolving += ResolveManaged;
        HookContext(AssemblyLoadContext.Default);
        AppDomain.CurrentDomain.AssemblyLoad += (_, e) =>
        {
            if (AssemblyLoadContext.GetLoadContext(e.LoadedAssembly) is { } context) HookContext(context);
        };
        foreach (var context in AssemblyLoadContext.All) HookContext(context);
    }

    private static void HookContext(AssemblyLoadContext context)
    {
        lock (Gate)
        {
            if (!Hooked.Add(context)) return;
        }

        context.ResolvingUnmanagedDll += ResolveNative;
    }

    private static Assembly? ResolveManaged(AssemblyLoadContext context, AssemblyName name)
    {
        string[] dirs;
        lock (Gate) dirs = ManagedDirectories.ToArray();
        foreach (var dir in dirs)
        {
            string path = Path.Combine(dir, name.Name + ".dll");
            if (File.Exists(path)) return context.LoadFromAssemblyPath(path);
        }

        return null;
    }

    private static IntPtr ResolveNative(Assembly assembly, string name)
    {
        if (name.Contains('/') || name.Contains('\\')) return IntPtr.Zero;
        var dirs = new List<string>();
        if (!string.IsNullOrEmpty(assembly.Location))
        {
            string own = Path.GetDirectoryName(assembly.Location)!;
            foreach (var rid in RuntimeIdentifiers) dirs.Add(Path.Combine(own, "runtimes", rid, "native"));
            dirs.Add(own);
        }

        lock (Gate) dirs.AddRange(NativeDirectories);
        foreach (var dir in dirs.Distinct())
        {
            if (!Directory.Exists(dir)) continue;
            foreach (var file in CandidateFileNames(name))
            {
                string path = Path.Combine(dir, file);
                if (File.Exists(path) && NativeLibrary.TryLoad(path, out var handle)) return handle;
            }
        }

        return IntPtr.Zero;
    }

    /// <summary>The file names a native library name maps to on this OS (<c>torch</c> → <c>libtorch.so</c>, ...).</summary>
    public static IEnumerable<string> CandidateFileNames(string name)
    {
        yield return name;
        if (OperatingSystem.IsWindows())
        {
            if (!name.EndsWith(".dll", StringComparison.OrdinalIgnoreCase)) yield return name + ".dll";
            yield break;
        }

        string ext = OperatingSystem.IsMacOS() ? ".dylib" : ".so";
        bool hasExt = name.EndsWith(ext, StringComparison.Ordinal) || name.Contains(ext + ".", StringComparison.Ordinal);
        bool hasLib = name.StartsWith("lib", StringComparison.Ordinal);
        if (!hasExt) yield return name + ext;
        if (!hasLib) yield return "lib" + name + (hasExt ? "" : ext);
    }

    private static string[] BuildRids()
    {
        string arch = RuntimeInformation.OSArchitecture.ToString().ToLowerInvariant();
        string os = OperatingSystem.IsWindows() ? "win" : OperatingSystem.IsMacOS() ? "osx" : "linux";
        return new[] { RuntimeInformation.RuntimeIdentifier, $"{os}-{arch}", os, OperatingSystem.IsWindows() ? "win" : "unix" }
            .Distinct().ToArray();
    }
}
