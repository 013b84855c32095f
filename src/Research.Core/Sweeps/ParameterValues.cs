using System.Globalization;
using System.Text.Json;

namespace Research.Core.Sweeps;

/// <summary>Helpers for parameter values, which are <see cref="double"/>, <see cref="long"/>, <see cref="string"/> or
/// <see cref="bool"/>.</summary>
public static class ParameterValues
{
    /// <summary>Brings a C# value to its canonical boxed form (integers → long, floats → double); null when the type is
    /// not a number, string or bool.</summary>
    public static object? Normalize(object? value) => value switch
    {
        null => null,
        double or long or string or bool => value,
        int i => (long)i,
        short s => (long)s,
        byte b => (long)b,
        uint u => (long)u,
        float f => (double)f,
        decimal m => (double)m,
        _ => null,
    };

    /// <summary>Equality across numeric types (2 equals 2.0); otherwise ordinal equality.</summary>
    public static bool AreEqual(object a, object b)
    {
        if (IsNumber(a) && IsNumber(b)) return Convert.ToDouble(a, CultureInfo.InvariantCulture) == Convert.ToDouble(b, CultureInfo.InvariantCulture);
        return a.Equals(b);
    }

    /// <summary>Invariant text of a value, as shown in messages.</summary>
    public static string Format(object value) => value switch
    {
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        long l => l.ToString(CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        string s => "\"" + s + "\"",
        _ => value.ToString() ?? "",
    };

    internal static bool IsNumber(object v) => v is double or long;

    /// <summary>Reads a JSON number, string or bool as a canonical value; null for other kinds.</summary>
    internal static object? FromJson(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Number => e.TryGetInt64(out var l) ? (object)l : e.GetDouble(),
        JsonValueKind.String => e.GetString(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => null,
    };

    internal static void Write(Utf8JsonWriter w, object value)
    {
        switch (value)
        {
            case double d: w.WriteNumberValue(d); break;
            case long l: w.WriteNumberValue(l); break;
            case bool b: w.WriteBooleanValue(b); break;
            case string s: w.WriteStringValue(s); break;
            default: throw new ArgumentException($"Unsupported parameter value {value}.", nameof(value));
        }
    }
}
