using Research.Core.Tracking;

namespace Research.Serving;

/// <summary>
/// Where the served model comes from: <see cref="Load"/> loads it (at start and on every reload) and
/// <see cref="Probe"/>, when given, reports the version currently at the source without loading it, so a poller can
/// reload when a new version appears.
/// </summary>
/// <param name="Load">Loads the model.</param>
/// <param name="Probe">The version at the source (null: the source cannot be polled).</param>
public sealed record ModelSource(Func<ServedModel> Load, Func<string>? Probe = null)
{
    /// <summary>
    /// The source <c>--model</c> names: <paramref name="uri"/> is resolved again on every load and probe, so a
    /// <c>runs:/</c> URI or a folder whose files are replaced serves the new files, and <c>models:/name/latest</c> serves
    /// the newest registered version.
    /// </summary>
    public static ModelSource FromUri(string uri, string? riskFile = null, FileStore? store = null) =>
        new(() => ServedModel.Load(uri, riskFile, store), () => ServedModel.Probe(uri, store));
}
