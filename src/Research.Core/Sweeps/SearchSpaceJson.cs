using System.Text.Json;

namespace Research.Core.Sweeps;

/// <summary>Parses a sweep file's <c>"space"</c> object:
/// <c>{"&lt;config key&gt;": {"type": "uniform|loguniform|int|choice|grid", ...}}</c>, where uniform and loguniform take
/// <c>low</c>, <c>high</c> and optional <c>q</c>; int takes integer <c>low</c>, <c>high</c>, optional <c>log</c> and
/// <c>q</c>; choice and grid take <c>values</c>; every type takes an optional
/// <c>"when": {"&lt;other key&gt;": value or [values]}</c>.</summary>
public static class SearchSpaceJson
{
    private static readonly string[] Types = ["uniform", "loguniform", "int", "choice", "grid"];

    /// <summary>Parses JSON text holding the space object.</summary>
    public static SearchSpace Parse(string json)
    {
        using var doc = JsonDocument.Parse(json);
        return FromJson(doc.RootElement);
    }

    /// <summary>Builds a space from the space object; throws <see cref="SearchSpaceException"/> naming key and field.</summary>
    public static SearchSpace FromJson(JsonElement space)
    {
        if (space.ValueKind != JsonValueKind.Object) throw new SearchSpaceException(["space: must be an object"]);
        var errors = new List<string>();
        var specs = new List<ParameterSpec>();
        foreach (var prop in space.EnumerateObject())
        {
            int before = errors.Count;
            var spec = ReadParameter(prop.Name, prop.Value, errors);
            if (spec is not null && errors.Count == before) specs.Add(spec);
        }
        if (errors.Count > 0)
        {
            // Report field errors of the well-formed parameters too.
            try { _ = new SearchSpace(specs); }
            catch (SearchSpaceException e) { errors.AddRange(e.Errors.Where(m => !m.Contains("\"when\" names an unknown", StringComparison.Ordinal))); }
            throw new SearchSpaceException(errors);
        }
        return new SearchSpace(specs);
    }

    private static ParameterSpec? ReadParameter(string key, JsonElement e, List<string> errors)
    {
        string p = $"space.{key}: ";
        if (e.ValueKind != JsonValueKind.Object) { errors.Add(p + "must be an object with a \"type\""); return null; }
        if (!e.TryGetProperty("type", out var typeEl)) { errors.Add(p + "missing \"type\""); return null; }
        string? type = typeEl.ValueKind == JsonValueKind.String ? typeEl.GetString() : null;
        if (type is null || !Types.Contains(type))
        {
            errors.Add(p + $"unknown type {typeEl.GetRawText()} (expected {string.Join(", ", Types)})");
            return null;
        }
        string[] allowed = type switch
        {
            "uniform" or "loguniform" => ["type", "low", "high", "q", "when"],
            "int" => ["type", "low", "high", "log", "q", "when"],
            _ => ["type", "values", "when"],
        };
        foreach (var f in e.EnumerateObject())
            if (!allowed.Contains(f.Name)) errors.Add(p + $"unknown field \"{f.Name}\" for type {type}");

        ParameterSpec? spec = type switch
        {
            "uniform" or "loguniform" => ReadFloat(key, e, type == "loguniform", p, errors),
            "int" => ReadInt(key, e, p, errors),
            _ => ReadChoice(key, e, type == "grid", p, errors),
        };
        if (spec is null) return null;
        var when = ReadWhen(e, p, errors);
        return when is null ? spec : spec with { When = when };
    }

    private static FloatParameter? ReadFloat(string key, JsonElement e, bool log, string p, List<string> errors)
    {
        double? low = Number(e, "low", p, errors, required: true), high = Number(e, "high", p, errors, required: true);
        double? q = Number(e, "q", p, errors, required: false);
        return low is null || high is null ? null : new FloatParameter(key, low.Value, high.Value, log, q);
    }

    private static IntParameter? ReadInt(string key, JsonElement e, string p, List<string> errors)
    {
        long? low = Integer(e, "low", p, errors, required: true), high = Integer(e, "high", p, errors, required: true);
        long? q = Integer(e, "q", p, errors, required: false);
        bool log = false;
        if (e.TryGetProperty("log", out var l))
        {
            if (l.ValueKind is JsonValueKind.True or JsonValueKind.False) log = l.GetBoolean();
            else errors.Add(p + "\"log\" must be true or false");
        }
        return low is null || high is null ? null : new IntParameter(key, low.Value, high.Value, log, q);
    }

    private static ChoiceParameter? ReadChoice(string key, JsonElement e, bool grid, string p, List<string> errors)
    {
        if (!e.TryGetProperty("values", out var vs)) { errors.Add(p + "missing \"values\""); return null; }
        if (vs.ValueKind != JsonValueKind.Array) { errors.Add(p + "\"values\" must be an array"); return null; }
        var values = new List<object>();
        int i = 0;
        foreach (var v in vs.EnumerateArray())
        {
            if (ParameterValues.FromJson(v) is { } x) values.Add(x);
            else errors.Add(p + $"\"values\"[{i}] must be a number, string or bool");
            i++;
        }
        return new ChoiceParameter(key, values, grid);
    }

    private static Dictionary<string, IReadOnlyList<object>>? ReadWhen(JsonElement e, string p, List<string> errors)
    {
        if (!e.TryGetProperty("when", out var w)) return null;
        if (w.ValueKind != JsonValueKind.Object) { errors.Add(p + "\"when\" must be an object"); return null; }
        var when = new Dictionary<string, IReadOnlyList<object>>(StringComparer.Ordinal);
        foreach (var c in w.EnumerateObject())
        {
            var items = c.Value.ValueKind == JsonValueKind.Array ? c.Value.EnumerateArray().ToList() : [c.Value];
            var values = new List<object>();
            foreach (var item in items)
            {
                if (ParameterValues.FromJson(item) is { } x) values.Add(x);
                else errors.Add(p + $"\"when\".\"{c.Name}\" must be a number, string, bool or an array of them");
            }
            when[c.Name] = values;
        }
        return when;
    }

    private static double? Number(JsonElement e, string field, string p, List<string> errors, bool required)
    {
        if (!e.TryGetProperty(field, out var v)) { if (required) errors.Add(p + $"missing \"{field}\""); return null; }
        if (v.ValueKind != JsonValueKind.Number) { errors.Add(p + $"\"{field}\" must be a number"); return null; }
        return v.GetDouble();
    }

    private static long? Integer(JsonElement e, string field, string p, List<string> errors, bool required)
    {
        if (!e.TryGetProperty(field, out var v)) { if (required) errors.Add(p + $"missing \"{field}\""); return null; }
        if (v.ValueKind != JsonValueKind.Number || !v.TryGetInt64(out long l)) { errors.Add(p + $"\"{field}\" must be an integer"); return null; }
        return l;
    }
}
