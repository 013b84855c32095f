using System.Collections.Immutable;
using System.Runtime.InteropServices;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Scripting;
using Microsoft.CodeAnalysis.Scripting;
using Research.Notebooks.Scripting;

namespace Research.Notebooks;

/// <summary>
/// One notebook's C# session: every cell is a Roslyn script submission continuing the previous one
/// (<see cref="CSharpScript.RunAsync(string, ScriptOptions, object, Type, CancellationToken)"/> for the first, then
/// <see cref="ScriptState.ContinueWithAsync(string, ScriptOptions, CancellationToken)"/>), so variables, types and
/// usings carry across cells as in .NET Interactive. References: the framework, the runner's display API, assemblies
/// named by <c>#r "path"</c> (resolved against the notebook's folder) and packages from <c>#r "nuget: ..."</c>.
/// </summary>
internal sealed class ScriptKernel
{
    /// <summary>The usings .NET Interactive's C# kernel starts with, plus the display API.</summary>
    public static readonly string[] DefaultImports =
    [
        "System", "System.Collections.Generic", "System.Linq", "System.Text", "System.Threading.Tasks", "System.Net.Http",
        "Research.Notebooks.Scripting",
    ];

    private static readonly Lazy<ImmutableArray<MetadataReference>> FrameworkReferences = new(LoadFrameworkReferences);
    private static readonly Lazy<IReadOnlyDictionary<string, string>> HostAssemblies = new(LoadHostAssemblies);
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, PortableExecutableReference> ReferenceCache = new(StringComparer.Ordinal);

    private readonly NuGetRestorer _restorer;
    private readonly NotebookGlobals _globals = new();
    private readonly List<PackageReference> _packages = [];
    private readonly List<string> _sources = [];
    private readonly HashSet<string> _packageAssemblies = new(StringComparer.OrdinalIgnoreCase);
    private ScriptOptions _options;
    private ScriptState<object>? _state;

    public ScriptKernel(string baseDirectory, NuGetRestorer restorer)
    {
        _restorer = restorer;
        BaseDirectory = baseDirectory;
        AssemblyResolution.Install();
        var resolver = new HostFirstResolver(ScriptMetadataResolver.Default.WithBaseDirectory(baseDirectory));
        _options = ScriptOptions.Default
            .WithReferences(FrameworkReferences.Value.Add(Reference(typeof(NotebookGlobals).Assembly.Location)))
            .WithImports(DefaultImports)
            .WithMetadataResolver(resolver)
            .WithSourceResolver(ScriptSourceResolver.Default.WithBaseDirectory(baseDirectory))
            .WithLanguageVersion(LanguageVersion.Latest)
            .WithAllowUnsafe(true)
            .WithEmitDebugInformation(true)
            .WithFileEncoding(Encoding.UTF8);
    }

    /// <summary>The folder relative paths in directives resolve against (the notebook's).</summary>
    public string BaseDirectory { get; }

    /// <summary>Wall time of the last package restore (zero when the cell had none or it was cached).</summary>
    public RestoreResult? LastRestore { get; private set; }

    /// <summary>The session's variables, latest value of each name.</summary>
    public IReadOnlyList<ScriptVariable> Variables => _state?.Variables.GroupBy(v => v.Name).Select(g => g.Last()).ToArray() ?? [];

    /// <summary>Runs one C# cell; returns the value of its trailing expression (null when none).</summary>
    public async Task<object?> ExecuteAsync(ParsedCell cell, string filePath, CancellationToken cancellationToken)
    {
        LastRestore = null;
        if (cell.PackageSources.Count > 0 || cell.Packages.Count > 0) AddPackages(cell, cancellationToken);
        foreach (var path in cell.AssemblyPaths)
        {
            string full = Path.GetFullPath(Path.Combine(BaseDirectory, path));
            if (File.Exists(full)) AssemblyResolution.RegisterDirectory(Path.GetDirectoryName(full)!);
        }

        var options = _options.WithFilePath(filePath);
        if (_state is null)
        {
            _state = await CSharpScript.RunAsync<object>(cell.Code, options, _globals, typeof(NotebookGlobals), cancellationToken).ConfigureAwait(false);
        }
        else
        {
            _state = await _state.ContinueWithAsync<object>(cell.Code, options, cancellationToken).ConfigureAwait(false);
        }

        return _state.ReturnValue;
    }

    /// <summary>True when the last cell ended in an expression (its value, even null, is the cell's result).</summary>
    public bool LastCellHasValue
    {
        get
        {
            if (_state is null) return false;
            var compilation = _state.Script.GetCompilation();
            var tree = compilation.SyntaxTrees.LastOrDefault();
            if (tree?.GetRoot() is not Microsoft.CodeAnalysis.CSharp.Syntax.CompilationUnitSyntax root) return false;
            var last = root.Members.LastOrDefault();
            return last is Microsoft.CodeAnalysis.CSharp.Syntax.GlobalStatementSyntax { Statement: Microsoft.CodeAnalysis.CSharp.Syntax.ExpressionStatementSyntax e }
                   && e.SemicolonToken.IsMissing;
        }
    }

    private void AddPackages(ParsedCell cell, CancellationToken cancellationToken)
    {
        foreach (var s in cell.PackageSources)
        {
            if (!_sources.Contains(s)) _sources.Add(Path.IsPathRooted(s) || s.Contains("://", StringComparison.Ordinal) ? s : Path.GetFullPath(Path.Combine(BaseDirectory, s)));
        }

        foreach (var p in cell.Packages)
        {
            if (_packages.Any(x => x.Id.Equals(p.Id, StringComparison.OrdinalIgnoreCase)))
            {
                var existing = _packages.First(x => x.Id.Equals(p.Id, StringComparison.OrdinalIgnoreCase));
                if (existing.Version != p.Version && p.Version != "*")
                {
                    throw new NotebookCellException("NuGetRestoreError",
                        $"Package {p.Id} was already added with version {existing.Version}; a session cannot load a second version ({p.Version}).");
                }

                continue;
            }

            _packages.Add(p);
        }

        if (_packages.Count == 0) return;
        // The whole set so far is restored together (and cached by that set), as .NET Interactive does, so that
        // versions stay consistent across cells.
        var result = _restorer.Restore(_packages, _sources, cancellationToken);
        LastRestore = result;
        AssemblyResolution.RegisterDirectory(result.Directory);
        var added = new List<MetadataReference>();
        foreach (var path in result.Assemblies)
        {
            string name = Path.GetFileNameWithoutExtension(path);
            if (!_packageAssemblies.Add(name)) continue;
            // When the host already has the assembly (e.g. Plotly.NET or FSharp.Core under the research CLI), that copy
            // is the one that will run: compile against it too.
            string reference = HostAssemblies.Value.TryGetValue(name, out var hostPath) ? hostPath : path;
            added.Add(Reference(reference));
        }

        _options = _options.AddReferences(added);
    }

    private static ImmutableArray<MetadataReference> LoadFrameworkReferences()
    {
        string runtimeDir = Path.GetFullPath(RuntimeEnvironment.GetRuntimeDirectory());
        return HostAssemblies.Value.Values
            .Where(p => Path.GetFullPath(p).StartsWith(runtimeDir, StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(p => (MetadataReference)Reference(p))
            .ToImmutableArray();
    }

    /// <summary>One metadata reference per file for the whole process (they are immutable and memory-mapped).</summary>
    private static PortableExecutableReference Reference(string path) =>
        ReferenceCache.GetOrAdd(path, p => MetadataReference.CreateFromFile(p));

    private static IReadOnlyDictionary<string, string> LoadHostAssemblies()
    {
        var tpa = (AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") as string ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);
        var map = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var p in tpa) map.TryAdd(Path.GetFileNameWithoutExtension(p), p);
        return map;
    }

    /// <summary>
    /// Roslyn's script resolver, except that an assembly a reference needs but the script did not name is taken from
    /// the host's trusted platform assemblies first (the copy the runtime will load), then from the referencing
    /// assembly's folder (Roslyn's rule, which is what .NET Interactive does in VS Code).
    /// </summary>
    private sealed class HostFirstResolver(ScriptMetadataResolver inner) : MetadataReferenceResolver
    {
        private readonly ScriptMetadataResolver _inner = inner;

        public override bool ResolveMissingAssemblies => true;

        public override ImmutableArray<PortableExecutableReference> ResolveReference(string reference, string? baseFilePath, MetadataReferenceProperties properties) =>
            _inner.ResolveReference(reference, baseFilePath, properties);

        public override PortableExecutableReference? ResolveMissingAssembly(MetadataReference definition, AssemblyIdentity referenceIdentity)
        {
            if (HostAssemblies.Value.TryGetValue(referenceIdentity.Name, out var path))
            {
                return Reference(path);
            }

            return _inner.ResolveMissingAssembly(definition, referenceIdentity);
        }

        public override bool Equals(object? other) => other is HostFirstResolver r && r._inner.Equals(_inner);

        public override int GetHashCode() => _inner.GetHashCode() ^ 0x5eed;
    }
}
