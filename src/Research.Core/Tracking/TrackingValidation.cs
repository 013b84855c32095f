using System.Text.RegularExpressions;

namespace Research.Core.Tracking;

/// <summary>MLflow's rules for names and values (mlflow/utils/validation.py), checked before anything is written.</summary>
public static partial class TrackingValidation
{
    /// <summary>Most params or tags per log-batch request.</summary>
    public const int MaxParamsTagsPerBatch = 100;

    /// <summary>Most metrics per log-batch request.</summary>
    public const int MaxMetricsPerBatch = 1000;

    /// <summary>Most metrics, params and tags together per log-batch request.</summary>
    public const int MaxEntitiesPerBatch = 1000;

    /// <summary>Longest param value.</summary>
    public const int MaxParamValueLength = 6000;

    /// <summary>Longest tag value.</summary>
    public const int MaxTagValueLength = 5000;

    /// <summary>Longest metric, param or tag key.</summary>
    public const int MaxKeyLength = 250;

    private const string BadCharacters =
        "Names may only contain alphanumerics, underscores (_), dashes (-), periods (.), spaces ( ), and slashes (/).";

    [GeneratedRegex(@"^[/\w.\- ]*$")]
    private static partial Regex ValidName();

    /// <summary>Checks a metric key.</summary>
    public static void MetricKey(string key) => Key("metric", "Metric name", key);

    /// <summary>Checks a param key and value.</summary>
    public static void Param(string key, string value)
    {
        Key("parameter", "Param key", key);
        Length("Param value", MaxParamValueLength, value);
    }

    /// <summary>Checks a tag key and value.</summary>
    public static void Tag(string key, string value)
    {
        Key("tag", "Tag key", key);
        Length("Tag value", MaxTagValueLength, value);
    }

    /// <summary>Checks a run id (1–256 alphanumerics or underscores/dashes).</summary>
    public static void RunId(string runId)
    {
        if (string.IsNullOrEmpty(runId) || runId.Length > 256 || !runId.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-'))
            throw new TrackingException(TrackingException.InvalidParameterValue, $"Invalid run ID: '{runId}'");
    }

    private static void Key(string kind, string label, string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (!ValidName().IsMatch(key))
            throw new TrackingException(TrackingException.InvalidParameterValue, $"Invalid {kind} name: '{key}'. {BadCharacters}");
        string norm = NormalisePosix(key);
        if (norm != key || norm == "." || norm.StartsWith("..", StringComparison.Ordinal) || norm.StartsWith('/'))
        {
            throw new TrackingException(TrackingException.InvalidParameterValue,
                $"Invalid {kind} name: '{key}'. Names may be treated as files in certain cases, and must not resolve to other names when treated as such. This name would resolve to '{norm}'");
        }

        Length(label, MaxKeyLength, key);
    }

    private static void Length(string label, int limit, string value)
    {
        if (value.Length > limit)
        {
            throw new TrackingException(TrackingException.InvalidParameterValue,
                $"{label} '{value[..Math.Min(250, value.Length)]}' had length {value.Length}, which exceeded length limit of {limit}");
        }
    }

    /// <summary>posixpath.normpath: collapses duplicate slashes, <c>.</c> and <c>..</c> segments.</summary>
    private static string NormalisePosix(string path)
    {
        if (path.Length == 0) return ".";
        bool absolute = path.StartsWith('/');
        var parts = new List<string>();
        foreach (var p in path.Split('/'))
        {
            if (p.Length == 0 || p == ".") continue;
            if (p == ".." && parts.Count > 0 && parts[^1] != "..") parts.RemoveAt(parts.Count - 1);
            else if (p != ".." || !absolute) parts.Add(p);
        }

        string joined = string.Join('/', parts);
        return absolute ? "/" + joined : joined.Length == 0 ? "." : joined;
    }
}
