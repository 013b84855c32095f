using System.Globalization;
using System.Text;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Scripting;

namespace Research.Notebooks;

/// <summary>
/// Papermill-style parameters: the values given on the command line become a cell, inserted right after the cell
/// tagged <c>parameters</c>, that assigns each one to the variable of that name. Each value is parsed as the type the
/// parameters cell gave the variable (bool, int, long, double, float, decimal, string, DateOnly, DateTime, TimeSpan,
/// enums, their nullable forms, arrays and lists of those as comma-separated values), so a typo or a value of the wrong
/// type is an error before any code runs with it.
/// </summary>
public static class ParameterInjection
{
    /// <summary>The tag papermill and Jupyter use for the parameters cell.</summary>
    public const string ParametersTag = "parameters";

    /// <summary>The tag of the inserted cell (papermill's).</summary>
    public const string InjectedTag = "injected-parameters";

    /// <summary>
    /// The C# of the injected cell for <paramref name="values"/> given the <paramref name="declared"/> variables
    /// (name → type) of the session after the parameters cell ran.
    /// </summary>
    /// <exception cref="ArgumentException">A parameter is not declared, or its value does not parse as the variable's type.</exception>
    public static string BuildCell(IReadOnlyDictionary<string, string> values, IReadOnlyDictionary<string, Type> declared)
    {
        var sb = new StringBuilder("// Parameters injected by `research notebook run`.\n");
        foreach (var (name, text) in values)
        {
            if (!declared.TryGetValue(name, out var type))
            {
                throw new ArgumentException(
                    $"Parameter '{name}' is not declared in the parameters cell (declared: {(declared.Count == 0 ? "none" : string.Join(", ", declared.Keys))}).");
            }

            sb.Append(name).Append(" = ").Append(Literal(name, text, type)).Append(";\n");
        }

        return sb.ToString();
    }

    /// <summary>The variables a session has after the parameters cell (latest of each name).</summary>
    public static IReadOnlyDictionary<string, Type> Declared(IEnumerable<ScriptVariable> variables) =>
        variables.GroupBy(v => v.Name).ToDictionary(g => g.Key, g => g.Last().Type, StringComparer.Ordinal);

    /// <summary>Parses <c>k=v</c> pairs (the value may contain '='); throws naming a malformed one.</summary>
    public static IReadOnlyDictionary<string, string> ParsePairs(IEnumerable<string> pairs)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in pairs)
        {
            int eq = pair.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0) throw new ArgumentException($"--param '{pair}' is not of the form name=value.");
            string name = pair[..eq].Trim();
            if (!SyntaxFacts.IsValidIdentifier(name)) throw new ArgumentException($"--param '{pair}': '{name}' is not a C# identifier.");
            result[name] = pair[(eq + 1)..];
        }

        return result;
    }

    /// <summary>A C# expression of type <paramref name="type"/> for <paramref name="text"/>.</summary>
    public static string Literal(string name, string text, Type type)
    {
        string Fail(string what) => throw new ArgumentException(
            $"--param {name}={text}: {what} ({name} is declared as {Formatting.DisplayFormatter.TypeName(type)} in the parameters cell).");

        var inv = CultureInfo.InvariantCulture;
        if (Nullable.GetUnderlyingType(type) is { } inner)
        {
            return text.Trim() is "null" or "" ? "null" : Literal(name, text, inner);
        }

        if (type == typeof(string)) return SymbolDisplay.FormatLiteral(text, quote: true);
        if (type == typeof(bool))
        {
            return text.Trim().ToLowerInvariant() switch
            {
                "true" or "1" or "yes" or "on" => "true",
                "false" or "0" or "no" or "off" => "false",
                _ => Fail("not a bool (true/false)"),
            };
        }

        if (type == typeof(int)) return int.TryParse(text, NumberStyles.Integer, inv, out var i) ? i.ToString(inv) : Fail("not an int");
        if (type == typeof(long)) return long.TryParse(text, NumberStyles.Integer, inv, out var l) ? l.ToString(inv) + "L" : Fail("not a long");
        if (type == typeof(double))
        {
            if (!double.TryParse(text, NumberStyles.Float, inv, out var d)) return Fail("not a number");
            return double.IsNaN(d) ? "double.NaN" : double.IsPositiveInfinity(d) ? "double.PositiveInfinity"
                : double.IsNegativeInfinity(d) ? "double.NegativeInfinity" : d.ToString("R", inv) + "d";
        }

        if (type == typeof(float)) return float.TryParse(text, NumberStyles.Float, inv, out var f) && float.IsFinite(f) ? f.ToString("R", inv) + "f" : Fail("not a number");
        if (type == typeof(decimal)) return decimal.TryParse(text, NumberStyles.Float, inv, out var m) ? m.ToString(inv) + "m" : Fail("not a decimal");
        if (type == typeof(DateOnly))
        {
            return DateOnly.TryParseExact(text.Trim(), "yyyy-MM-dd", inv, DateTimeStyles.None, out var d)
                ? $"new global::System.DateOnly({d.Year}, {d.Month}, {d.Day})"
                : Fail("not a date (yyyy-MM-dd)");
        }

        if (type == typeof(DateTime))
        {
            return DateTime.TryParse(text.Trim(), inv, DateTimeStyles.RoundtripKind, out var t)
                ? $"new global::System.DateTime({t.Ticks}L, global::System.DateTimeKind.{t.Kind})"
                : Fail("not a date/time (ISO 8601)");
        }

        if (type == typeof(TimeSpan))
        {
            return TimeSpan.TryParse(text.Trim(), inv, out var s) ? $"new global::System.TimeSpan({s.Ticks}L)" : Fail("not a time span (hh:mm:ss)");
        }

        if (type.IsEnum)
        {
            var match = Enum.GetNames(type).FirstOrDefault(n => n.Equals(text.Trim().Replace("-", "", StringComparison.Ordinal), StringComparison.OrdinalIgnoreCase));
            return match is not null ? $"{TypeName(type)}.{match}" : Fail($"not one of {string.Join(", ", Enum.GetNames(type))}");
        }

        if (type.IsArray && type.GetArrayRank() == 1)
        {
            var element = type.GetElementType()!;
            return $"new {TypeName(element)}[] {{ {string.Join(", ", SplitList(text).Select(x => Literal(name, x, element)))} }}";
        }

        if (type.IsGenericType && type.GetGenericTypeDefinition() is var def
            && (def == typeof(List<>) || def == typeof(IReadOnlyList<>) || def == typeof(IList<>) || def == typeof(IEnumerable<>) || def == typeof(IReadOnlyCollection<>)))
        {
            var element = type.GetGenericArguments()[0];
            return $"new global::System.Collections.Generic.List<{TypeName(element)}> {{ {string.Join(", ", SplitList(text).Select(x => Literal(name, x, element)))} }}";
        }

        return Fail("this type cannot be set from the command line");
    }

    private static IEnumerable<string> SplitList(string text) =>
        text.Trim().Length == 0 ? [] : text.Split(',').Select(s => s.Trim());

    /// <summary>A fully qualified C# name for <paramref name="type"/>.</summary>
    public static string TypeName(Type type)
    {
        if (type.IsArray) return TypeName(type.GetElementType()!) + "[]";
        string name = (type.FullName ?? type.Name).Replace('+', '.');
        if (type.IsGenericType)
        {
            string bare = name[..name.IndexOf('`', StringComparison.Ordinal)];
            return $"global::{bare}<{string.Join(", ", type.GetGenericArguments().Select(TypeName))}>";
        }

        return "global::" + name;
    }
}
