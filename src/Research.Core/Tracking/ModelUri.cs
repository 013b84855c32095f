namespace Research.Core.Tracking;

/// <summary>Resolves where a model lives: a folder, MLflow's <c>runs:/&lt;run-id&gt;/&lt;path&gt;</c>, or a registered
/// model's <c>models:/&lt;name&gt;/&lt;version|latest&gt;</c> in a local store.</summary>
public static class ModelUri
{
    /// <summary>
    /// The local folder of <paramref name="uri"/>: <c>runs:/ID/path</c> → that run's artifact folder in
    /// <paramref name="store"/>; <c>models:/name/N</c> or <c>models:/name/latest</c> → that registered version's source;
    /// a run folder holding <c>model/</c> → its model folder; otherwise the path itself.
    /// </summary>
    public static string Resolve(string uri, FileStore? store = null) => ResolveVersion(uri, store).Folder;

    /// <summary>
    /// <see cref="Resolve"/>, and for a <c>models:/&lt;name&gt;/&lt;version|latest&gt;</c> URI the registered version
    /// it resolved to (read once, so folder and version agree even while new versions are registered).
    /// </summary>
    public static (string Folder, RegisteredModelVersion? Registered) ResolveVersion(string uri, FileStore? store = null)
    {
        if (uri.StartsWith("models:/", StringComparison.Ordinal))
        {
            var parts = uri["models:/".Length..].Split('/');
            if (parts.Length != 2 || parts[0].Length == 0 || parts[1].Length == 0)
                throw new ArgumentException($"'{uri}': a models URI is models:/<name>/<version>, or models:/<name>/latest.");
            store ??= DefaultStore();
            var version = new ModelRegistry(store).Get(parts[0], parts[1]);
            return (ResolveVersion(version.Source, store).Folder, version);
        }

        return (ResolveFolder(uri, store), null);
    }

    /// <summary>The run id and artifact path of <c>runs:/&lt;run-id&gt;/&lt;artifact path&gt;</c>.</summary>
    /// <exception cref="ArgumentException">Not of that form.</exception>
    public static (string RunId, string ArtifactPath) ParseRuns(string uri)
    {
        var parts = uri.StartsWith("runs:/", StringComparison.Ordinal) ? uri["runs:/".Length..].Split('/', 2) : [];
        if (parts.Length < 2 || parts[0].Length == 0 || parts[1].Length == 0)
            throw new ArgumentException($"'{uri}': a runs URI is runs:/<run-id>/<artifact path>, e.g. runs:/0a1b.../model.");
        return (parts[0], parts[1]);
    }

    private static FileStore DefaultStore() =>
        new(Tracker.ResolveUri(Environment.GetEnvironmentVariable("MLFLOW_TRACKING_URI")) is ("file", var p) ? p : "mlruns");

    private static string ResolveFolder(string uri, FileStore? store)
    {
        if (uri.StartsWith("runs:/", StringComparison.Ordinal))
        {
            var (runId, artifactPath) = ParseRuns(uri);
            store ??= DefaultStore();
            string folder = store.ArtifactPath(runId, artifactPath);
            return Directory.Exists(folder) ? folder : throw new DirectoryNotFoundException($"'{uri}': run {runId} has no artifact folder '{artifactPath}' in {store.Root}.");
        }

        if (Directory.Exists(Path.Combine(uri, "model")) && !File.Exists(Path.Combine(uri, "MLmodel"))) return Path.Combine(uri, "model");
        return Directory.Exists(uri) ? uri : throw new DirectoryNotFoundException($"'{uri}': no such model folder.");
    }
}
