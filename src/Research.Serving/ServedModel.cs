using System.Security.Cryptography;
using Research.Core.Models;
using Research.Core.Tracking;

namespace Research.Serving;

/// <summary>A loaded forecaster with its public description and the sizing and risk policy its predictions go through.</summary>
public sealed class ServedModel : IDisposable
{
    /// <summary>Wraps a loaded forecaster.</summary>
    public ServedModel(Forecaster forecaster, ModelInfo info, ServingPolicy policy, string folder)
    {
        Forecaster = forecaster;
        Info = info;
        Policy = policy;
        Folder = folder;
    }

    /// <summary>The forecaster.</summary>
    public Forecaster Forecaster { get; }

    /// <summary>What <c>/v1/model</c> returns.</summary>
    public ModelInfo Info { get; }

    /// <summary>Sizing and risk limits.</summary>
    public ServingPolicy Policy { get; }

    /// <summary>The model folder it was loaded from.</summary>
    public string Folder { get; }

    /// <summary>
    /// Loads <paramref name="uri"/> (a model folder, a run folder holding <c>model/</c>, <c>runs:/&lt;id&gt;/model</c> or a
    /// registered <c>models:/&lt;name&gt;/&lt;version|latest&gt;</c> in <paramref name="store"/>, by default the local store of
    /// MLFLOW_TRACKING_URI or <c>./mlruns</c>). A registered model is served under its registered name and version number.
    /// </summary>
    public static ServedModel Load(string uri, string? riskFile = null, FileStore? store = null)
    {
        var (folder, registered) = ModelUri.ResolveVersion(uri, store);
        var policy = ServingPolicy.Resolve(folder, riskFile);
        var forecaster = Forecaster.Load(folder);
        try
        {
            var mlmodel = File.ReadAllLines(Path.Combine(folder, "MLmodel"));
            var m = forecaster.Metadata;
            var info = new ModelInfo(registered?.Name ?? Value(mlmodel, "    model_type:") ?? Forecaster.Flavor, VersionOf(folder, registered),
                Value(mlmodel, "run_id:") ?? registered?.RunId,
                m.Tickers, m.Features, m.Window, MinBars(m));
            return new ServedModel(forecaster, info, policy, folder);
        }
        catch
        {
            forecaster.Dispose();
            throw;
        }
    }

    /// <summary>Bars a request needs per ticker: the window plus the warm-up of the features (base lookback or the indicators' lookbacks).</summary>
    public static int MinBars(ForecasterMetadata metadata) => metadata.Window + ForecastFeatures.WarmUp(metadata.Config.Indicators);

    /// <summary>The version <paramref name="uri"/> names now, without loading it (what <see cref="Load"/> would report).</summary>
    public static string Probe(string uri, FileStore? store = null)
    {
        var (folder, registered) = ModelUri.ResolveVersion(uri, store);
        return VersionOf(folder, registered);
    }

    private static string VersionOf(string folder, RegisteredModelVersion? registered) =>
        registered is { } r ? r.Version.ToString(System.Globalization.CultureInfo.InvariantCulture) : Version(folder);

    /// <summary>The first 12 hex digits of SHA-256 over the weights and the metadata.</summary>
    public static string Version(string folder)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var file in new[] { "weights.bin", "metadata.json" }) hash.AppendData(File.ReadAllBytes(Path.Combine(folder, file)));
        return Convert.ToHexStringLower(hash.GetHashAndReset())[..12];
    }

    private static string? Value(string[] lines, string key)
    {
        foreach (var line in lines)
        {
            if (line.StartsWith(key, StringComparison.Ordinal)) return line[key.Length..].Trim().Trim('\'', '"');
        }

        return null;
    }

    /// <summary>Whether the model was disposed (a reload disposes the old one after its last request).</summary>
    public bool IsDisposed { get; private set; }

    /// <inheritdoc />
    public void Dispose()
    {
        IsDisposed = true;
        Forecaster.Dispose();
    }
}
