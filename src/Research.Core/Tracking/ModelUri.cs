namespace Research.Core.Tracking;

/// <summary>Resolves where a model lives: a folder, or MLflow's <c>runs:/&lt;run-id&gt;/&lt;path&gt;</c> in a local store.</summary>
public static class ModelUri
{
    /// <summary>
    /// The local folder of <paramref name="uri"/>: <c>runs:/ID/path</c> → that run's artifact folder in
    /// <paramref name="store"/>; a run folder holding <c>model/</c> → its model folder; otherwise the path itself.
    /// </summary>
    public static string Resolve(string uri, FileStore? store = null)
    {
        if (uri.StartsWith("runs:/", StringComparison.Ordinal))
        {
            var parts = uri["runs:/".Length..].Split('/', 2);
            if (parts.Length < 2 || parts[0].Length == 0 || parts[1].Length == 0)
                throw new ArgumentException($"'{uri}': a runs URI is runs:/<run-id>/<artifact path>, e.g. runs:/0a1b.../model.");
            store ??= new FileStore(Tracker.ResolveUri(Environment.GetEnvironmentVariable("MLFLOW_TRACKING_URI")) is ("file", var p) ? p : "mlruns");
            string folder = store.ArtifactPath(parts[0], parts[1]);
            return Directory.Exists(folder) ? folder : throw new DirectoryNotFoundException($"'{uri}': run {parts[0]} has no artifact folder '{parts[1]}' in {store.Root}.");
        }

        if (Directory.Exists(Path.Combine(uri, "model")) && !File.Exists(Path.Combine(uri, "MLmodel"))) return Path.Combine(uri, "model");
        return Directory.Exists(uri) ? uri : throw new DirectoryNotFoundException($"'{uri}': no such model folder.");
    }
}
