using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using YamlDotNet.RepresentationModel;

namespace Research.Core.Tracking;

/// <summary>
/// The flat YAML of MLflow's meta.yaml files: keys sorted as PyYAML's <c>safe_dump</c> sorts them, strings
/// double-quoted (JSON escapes are valid YAML), integers plain, null as <c>null</c>, the empty list as <c>[]</c>.
/// Reading uses YamlDotNet.
/// </summary>
internal static class MlflowYaml
{
    private static readonly JsonSerializerOptions Json = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Writes <paramref name="fields"/> (string, long, int, null, an empty array or an empty mapping) as YAML.</summary>
    public static string Write(IEnumerable<KeyValuePair<string, object?>> fields)
    {
        var sb = new StringBuilder();
        foreach (var (key, value) in fields.OrderBy(f => f.Key, StringComparer.Ordinal))
        {
            sb.Append(key).Append(": ");
            sb.Append(value switch
            {
                null => "null",
                string s => JsonSerializer.Serialize(s, Json),
                long l => l.ToString(CultureInfo.InvariantCulture),
                int i => i.ToString(CultureInfo.InvariantCulture),
                Array { Length: 0 } => "[]",
                System.Collections.IDictionary { Count: 0 } => "{}",
                _ => throw new ArgumentException($"cannot write {value.GetType().Name} to meta.yaml", nameof(fields)),
            });
            sb.Append('\n');
        }

        return sb.ToString();
    }

    /// <summary>Reads a flat mapping; scalar values as strings (null for YAML null or a sequence).</summary>
    public static Dictionary<string, string?> Read(string path)
    {
        var stream = new YamlStream();
        try
        {
            using var reader = new StreamReader(path, Encoding.UTF8);
            stream.Load(reader);
        }
        catch (YamlDotNet.Core.YamlException e)
        {
            throw new TrackingException(TrackingException.InternalError, $"{path}:{e.Start.Line}:{e.Start.Column}: malformed YAML: {e.Message}", e);
        }

        var result = new Dictionary<string, string?>(StringComparer.Ordinal);
        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode map) return result;
        foreach (var (k, v) in map.Children)
        {
            string key = ((YamlScalarNode)k).Value ?? "";
            result[key] = v is YamlScalarNode s && !(s.Style == YamlDotNet.Core.ScalarStyle.Plain && s.Value is "null" or "~" or "")
                ? s.Value
                : null;
        }

        return result;
    }
}
