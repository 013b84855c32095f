using System.Text.Json;
using System.Text.Json.Serialization;

namespace Research.Core.Configuration;

/// <summary>The JSON conventions of config files: camelCase keys, kebab-case enum values, comments and trailing
/// commas allowed, unknown keys rejected (a misspelt key is an error, not a silently ignored setting).</summary>
public static class ConfigJson
{
    /// <summary>Options for reading and writing configs.</summary>
    public static JsonSerializerOptions Options { get; } = Create();

    private static JsonSerializerOptions Create()
    {
        var o = new JsonSerializerOptions
        {
            PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
            ReadCommentHandling = JsonCommentHandling.Skip,
            AllowTrailingCommas = true,
            UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
            WriteIndented = true,
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        };
        o.Converters.Add(new QualityPolicyJsonConverter());
        o.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower, allowIntegerValues: false));
        o.MakeReadOnly(populateMissingResolver: true);
        return o;
    }
}
