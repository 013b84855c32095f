using System.Text.Json;
using System.Text.Json.Serialization;
using Research.Core.Data.Quality;

namespace Research.Core.Configuration;

/// <summary>
/// Reads a quality policy as a preset name (<c>"policy": "strict"</c>) or as an object whose <c>preset</c> is the
/// starting point and whose other keys override single settings
/// (<c>{"preset": "default", "calendarGaps": "drop-date", "outlierThreshold": 0.3}</c>).
/// </summary>
public sealed class QualityPolicyJsonConverter : JsonConverter<QualityPolicy>
{
    /// <inheritdoc />
    public override QualityPolicy Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.String) return Preset(reader.GetString()!);
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("A policy is a preset name or an object.");
        }

        var p = QualityPolicy.Default;
        bool first = true;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            string key = reader.GetString()!;
            if (key == "preset" && !first) throw new JsonException("'preset' must be the first key of a policy object.");
            first = false;
            reader.Read();
            var action = key is "preset" or "outlierThreshold" ? default : ReadAction(ref reader, options);
            p = key switch
            {
                "preset" => Preset(reader.GetString() ?? "") with { },
                "missingPrice" => p with { MissingPrice = action },
                "missingClose" => p with { MissingClose = action },
                "missingVolume" => p with { MissingVolume = action },
                "inconsistentRange" => p with { InconsistentRange = action },
                "zeroVolume" => p with { ZeroVolume = action },
                "duplicateDates" => p with { DuplicateDates = action },
                "unsortedRows" => p with { UnsortedRows = action },
                "calendarGaps" => p with { CalendarGaps = action },
                "outlierThreshold" => p with { OutlierThreshold = reader.GetDouble() },
                _ => throw new JsonException(
                    $"Unknown policy setting '{key}'. Known: preset, missingPrice, missingClose, missingVolume, " +
                    "inconsistentRange, zeroVolume, duplicateDates, unsortedRows, calendarGaps, outlierThreshold."),
            };
        }

        return p;
    }

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, QualityPolicy value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        writer.WriteString("preset", value.Name);
        void W(string name, RepairAction a) => writer.WriteString(name, JsonNamingPolicy.KebabCaseLower.ConvertName(a.ToString()));
        W("missingPrice", value.MissingPrice);
        W("missingClose", value.MissingClose);
        W("missingVolume", value.MissingVolume);
        W("inconsistentRange", value.InconsistentRange);
        W("zeroVolume", value.ZeroVolume);
        W("duplicateDates", value.DuplicateDates);
        W("unsortedRows", value.UnsortedRows);
        W("calendarGaps", value.CalendarGaps);
        writer.WriteNumber("outlierThreshold", value.OutlierThreshold);
        writer.WriteEndObject();
    }

    private static RepairAction ReadAction(ref Utf8JsonReader reader, JsonSerializerOptions options) =>
        JsonSerializer.Deserialize<RepairAction>(ref reader, options);

    private static QualityPolicy Preset(string name)
    {
        try
        {
            return QualityPolicy.Preset(name);
        }
        catch (ArgumentException e)
        {
            throw new JsonException(e.Message, e);
        }
    }
}
