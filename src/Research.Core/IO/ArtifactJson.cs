using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Research.Core.IO;

/// <summary>
/// The JSON conventions shared by every JSON artifact the workbench writes and every <c>--json</c> output: NaN, +∞
/// and −∞ are the strings <c>"NaN"</c>, <c>"Infinity"</c> and <c>"-Infinity"</c>
/// (<see cref="JsonNumberHandling.AllowNamedFloatingPointLiterals"/>), and are read back the same way, so an infinite
/// ratio stays distinguishable from an undefined one. Other settings (naming policy, converters) are derived from
/// <see cref="Options"/> with <see cref="Derive"/>.
/// </summary>
public static class ArtifactJson
{
    /// <summary>The string written for NaN.</summary>
    public const string NaN = "NaN";

    /// <summary>The string written for +∞.</summary>
    public const string PositiveInfinity = "Infinity";

    /// <summary>The string written for −∞.</summary>
    public const string NegativeInfinity = "-Infinity";

    /// <summary>Indented output, named floating-point literals (read-only).</summary>
    public static JsonSerializerOptions Options { get; } = Freeze(new JsonSerializerOptions
    {
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        WriteIndented = true,
    });

    /// <summary><see cref="Options"/> on one line (read-only).</summary>
    public static JsonSerializerOptions Compact { get; } = Derive(o => o.WriteIndented = false);

    /// <summary>A read-only copy of <see cref="Options"/> with <paramref name="configure"/> applied.</summary>
    public static JsonSerializerOptions Derive(Action<JsonSerializerOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        var o = new JsonSerializerOptions(Options);
        configure(o);
        return Freeze(o);
    }

    /// <summary>Indented JSON of <paramref name="value"/>.</summary>
    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, Options);

    /// <summary>
    /// Hand-written JSON: runs <paramref name="write"/> on an indented <see cref="Utf8JsonWriter"/> and returns the
    /// text. Doubles go through <see cref="WriteDouble(Utf8JsonWriter, string, double)"/>.
    /// </summary>
    public static string Write(Action<Utf8JsonWriter> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms, new JsonWriterOptions { Indented = true }))
            write(w);
        return Encoding.UTF8.GetString(ms.ToArray());
    }

    /// <summary>Writes a property holding <paramref name="value"/>: a number, or a named literal when not finite.</summary>
    public static void WriteDouble(this Utf8JsonWriter writer, string propertyName, double value)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WritePropertyName(propertyName);
        writer.WriteDoubleValue(value);
    }

    /// <summary>Writes <paramref name="value"/> as an array element or property value: a number, or a named literal when not finite.</summary>
    public static void WriteDoubleValue(this Utf8JsonWriter writer, double value)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (double.IsFinite(value)) writer.WriteNumberValue(value);
        else writer.WriteStringValue(Literal(value));
    }

    /// <summary>The named literal of a non-finite <paramref name="value"/>.</summary>
    public static string Literal(double value) =>
        double.IsNaN(value) ? NaN
        : double.IsPositiveInfinity(value) ? PositiveInfinity
        : double.IsNegativeInfinity(value) ? NegativeInfinity
        : throw new ArgumentOutOfRangeException(nameof(value), value, "a finite value has no named literal.");

    /// <summary>
    /// The double in <paramref name="element"/>: a JSON number, or one of the strings <c>"NaN"</c>,
    /// <c>"Infinity"</c>, <c>"-Infinity"</c>. Anything else throws <see cref="FormatException"/>.
    /// </summary>
    public static double GetDouble(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Number => element.GetDouble(),
        JsonValueKind.String => element.GetString() switch
        {
            NaN => double.NaN,
            PositiveInfinity => double.PositiveInfinity,
            NegativeInfinity => double.NegativeInfinity,
            var s => throw new FormatException($"'{s}' is not a number (expected a number, \"NaN\", \"Infinity\" or \"-Infinity\")."),
        },
        var k => throw new FormatException($"a JSON {k} is not a number."),
    };

    private static JsonSerializerOptions Freeze(JsonSerializerOptions o)
    {
        o.MakeReadOnly(populateMissingResolver: true);
        return o;
    }
}
