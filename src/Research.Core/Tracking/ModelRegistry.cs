using System.Globalization;
using System.Text;
using Research.Core.IO;

namespace Research.Core.Tracking;

/// <summary>One version of a registered model.</summary>
/// <param name="Name">Registered model name.</param>
/// <param name="Version">Version number (1, 2, …).</param>
/// <param name="RunId">The run that logged the model.</param>
/// <param name="Source">Where its files are, e.g. <c>runs:/&lt;run-id&gt;/model</c>.</param>
/// <param name="CreatedMillis">Creation time, Unix milliseconds.</param>
public sealed record RegisteredModelVersion(string Name, int Version, string? RunId, string Source, long CreatedMillis);

/// <summary>
/// MLflow's model registry in a local file store, in MLflow's own layout (<c>models/&lt;name&gt;/meta.yaml</c> and
/// <c>models/&lt;name&gt;/version-N/meta.yaml</c>), so MLflow's client, UI and a server over the store see the same
/// registered models and versions. <c>models:/&lt;name&gt;/&lt;version&gt;</c> and <c>models:/&lt;name&gt;/latest</c>
/// resolve here (<see cref="ModelUri"/>).
/// </summary>
public sealed class ModelRegistry(FileStore store)
{
    private string Models => Path.Combine(store.Root, "models");

    /// <summary>Registers <paramref name="source"/> (a <c>runs:/</c> URI) as the next version of <paramref name="name"/>,
    /// creating the registered model when it does not exist. Concurrent registrations get distinct versions.</summary>
    public RegisteredModelVersion Register(string name, string source, string? runId)
    {
        ValidateName(name);
        if (!source.StartsWith("runs:/", StringComparison.Ordinal))
            throw new ArgumentException($"source '{source}': expected runs:/<run-id>/<artifact path>.", nameof(source));
        string folder = Path.Combine(Models, name);
        Directory.CreateDirectory(folder);
        long now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        string meta = Path.Combine(folder, "meta.yaml");
        using var registrationLock = Lock(folder);
        if (!File.Exists(meta)) TryCreate(meta, ModelMeta(name, now, now));
        for (int attempt = 0; attempt < 100; attempt++)
        {
            int version = Versions(name).Select(v => v.Version).DefaultIfEmpty(0).Max() + 1;
            string versionFolder = Path.Combine(folder, $"version-{version}");
            Directory.CreateDirectory(versionFolder);
            var entry = new RegisteredModelVersion(name, version, runId, source, now);
            if (!TryCreate(Path.Combine(versionFolder, "meta.yaml"), VersionMeta(entry))) continue; // a writer without the lock took it
            var created = MlflowYaml.Read(meta);
            long createdAt = long.TryParse(created.GetValueOrDefault("creation_timestamp"), CultureInfo.InvariantCulture, out var c) ? c : now;
            AtomicFile.WriteAllText(meta, ModelMeta(name, createdAt, now));
            return entry;
        }

        throw new IOException($"{folder}: could not allocate a version number (too many concurrent registrations).");
    }

    /// <summary>Every version of <paramref name="name"/>, oldest first; empty when it is not registered.</summary>
    public IReadOnlyList<RegisteredModelVersion> Versions(string name)
    {
        ValidateName(name);
        string folder = Path.Combine(Models, name);
        if (!Directory.Exists(folder)) return [];
        var result = new List<RegisteredModelVersion>();
        foreach (var dir in Directory.EnumerateDirectories(folder, "version-*"))
        {
            string meta = Path.Combine(dir, "meta.yaml");
            if (!File.Exists(meta)) continue; // a version being created
            var m = MlflowYaml.Read(meta);
            if (!int.TryParse(m.GetValueOrDefault("version"), CultureInfo.InvariantCulture, out int version) || m.GetValueOrDefault("source") is not { } source)
                throw new InvalidDataException($"{meta}: not a model version (needs 'version' and 'source').");
            long.TryParse(m.GetValueOrDefault("creation_timestamp"), CultureInfo.InvariantCulture, out long created);
            result.Add(new RegisteredModelVersion(name, version, m.GetValueOrDefault("run_id"), source, created));
        }

        return result.OrderBy(v => v.Version).ToList();
    }

    /// <summary>Version <paramref name="version"/> of <paramref name="name"/>, or its latest (highest) version for
    /// <c>latest</c>, as MLflow resolves <c>models:/name/latest</c>.</summary>
    public RegisteredModelVersion Get(string name, string version)
    {
        var versions = Versions(name);
        if (versions.Count == 0)
            throw new KeyNotFoundException($"registered model '{name}' not found in {Models} (register one with `research model register`).");
        if (version == "latest") return versions[^1];
        if (!int.TryParse(version, NumberStyles.None, CultureInfo.InvariantCulture, out int n))
            throw new ArgumentException($"model version '{version}': expected a positive integer or 'latest'.", nameof(version));
        return versions.FirstOrDefault(v => v.Version == n)
               ?? throw new KeyNotFoundException($"registered model '{name}' has no version {n} (versions {string.Join(", ", versions.Select(v => v.Version))}).");
    }

    private static void ValidateName(string name)
    {
        if (string.IsNullOrWhiteSpace(name) || name.IndexOfAny(['/', '\\', ':']) >= 0 || name is "." or "..")
            throw new ArgumentException($"registered model name '{name}': must be non-empty without '/', '\\' or ':'.", nameof(name));
    }

    /// <summary>An exclusive lock on the registered model's folder (an OS file lock on <c>.register.lock</c>, held across
    /// processes), so reading the highest version and writing the next one is one step; the version folder's
    /// exclusive create stays as a second guard.</summary>
    private static FileStream Lock(string folder)
    {
        string path = Path.Combine(folder, ".register.lock");
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                Thread.Sleep(Random.Shared.Next(2, 12));
            }
        }
    }

    private static bool TryCreate(string path, string content)
    {
        string temp = $"{path}.{Guid.NewGuid():N}.tmp";
        File.WriteAllText(temp, content, new UTF8Encoding(false));
        try
        {
            File.Move(temp, path, overwrite: false);
            return true;
        }
        catch (IOException) when (File.Exists(path))
        {
            File.Delete(temp);
            return false;
        }
    }

    private static string ModelMeta(string name, long created, long updated) => MlflowYaml.Write(new Dictionary<string, object?>
    {
        ["aliases"] = new Dictionary<string, string>(), ["creation_timestamp"] = created, ["description"] = null,
        ["last_updated_timestamp"] = updated, ["name"] = name,
    });

    private static string VersionMeta(RegisteredModelVersion v) => MlflowYaml.Write(new Dictionary<string, object?>
    {
        ["aliases"] = Array.Empty<string>(), ["creation_timestamp"] = v.CreatedMillis, ["current_stage"] = "None", ["description"] = null,
        ["last_updated_timestamp"] = v.CreatedMillis, ["name"] = v.Name, ["run_id"] = v.RunId, ["run_link"] = null, ["source"] = v.Source,
        ["status"] = "READY", ["status_message"] = null, ["storage_location"] = v.Source, ["user_id"] = null, ["version"] = v.Version,
    });
}
