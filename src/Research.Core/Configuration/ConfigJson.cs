using System.Text.Json;
using System.Text.Json.Serialization;
using Research.Core.IO;

namespace Research.Core.Configuration;

/// <summary>The JSON conventions of config files: camelCase keys, kebab-case enum values, comments and trailing
/// commas allowed, unknown keys rejected (a misspelt key is an error, not a silently ignored setting); NaN and ±∞ as
/// <see cref="ArtifactJson"/> writes them.</summary>
public static class ConfigJson
{
    /// <summary>Options for reading and writing configs.</summary>
    public static JsonSerializerOptions Options { get; } = Create();

    private static JsonSerializerOptions Create()
    {
        return ArtifactJson.Derive(o =>
        {
            o.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
            o.ReadCommentHandling = JsonCommentHandling.Skip;
            o.AllowTrailingCommas = true;
            o.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
            o.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
            o.Converters.Add(new QualityPolicyJsonConverter());
            o.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower, allowIntegerValues: false));
        });
    }
}
