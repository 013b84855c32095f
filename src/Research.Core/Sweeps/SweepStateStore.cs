using System.Text.Json;

namespace Research.Core.Sweeps;

/// <summary>The sweep state file (<c>sweep-state.json</c>): every trial with its parameters, state, value, step and
/// intermediate results. Written atomically: a temporary file in the same folder, then <see cref="File.Move(string, string, bool)"/>.</summary>
public sealed class SweepStateStore(string directory, SearchSpace space)
{
    /// <summary>The state file name.</summary>
    public const string FileName = "sweep-state.json";

    /// <summary>Full path of the state file.</summary>
    public string Path { get; } = System.IO.Path.Combine(directory, FileName);

    /// <summary>The trials saved, or empty when there is no state file.</summary>
    public IReadOnlyList<TrialRecord> Load()
    {
        if (!File.Exists(Path)) return [];
        using var doc = JsonDocument.Parse(File.ReadAllBytes(Path));
        var list = new List<TrialRecord>();
        foreach (var t in doc.RootElement.GetProperty("trials").EnumerateArray())
        {
            var parameters = new Dictionary<string, object>(StringComparer.Ordinal);
            foreach (var p in t.GetProperty("parameters").EnumerateObject()) parameters[p.Name] = space[p.Name].ReadValue(p.Value);
            var inter = t.GetProperty("intermediate").EnumerateArray().Select(a => (a[0].GetInt32(), a[1].ValueKind == JsonValueKind.Null ? double.NaN : a[1].GetDouble())).ToList();
            var value = t.GetProperty("value");
            list.Add(new TrialRecord(
                new Trial(t.GetProperty("id").GetInt32(), parameters),
                Enum.Parse<TrialState>(t.GetProperty("state").GetString()!),
                value.ValueKind == JsonValueKind.Null ? double.NaN : value.GetDouble(),
                t.GetProperty("step").GetInt32(),
                inter,
                t.TryGetProperty("error", out var e) && e.ValueKind == JsonValueKind.String ? e.GetString() : null));
        }
        return list;
    }

    /// <summary>Writes all trials atomically.</summary>
    public void Save(IEnumerable<TrialRecord> trials)
    {
        Directory.CreateDirectory(directory);
        string tmp = Path + "." + Guid.NewGuid().ToString("N") + ".tmp";
        using (var stream = File.Create(tmp))
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteNumber("version", 1);
            w.WriteStartArray("trials");
            foreach (var r in trials.OrderBy(r => r.Trial.Id))
            {
                w.WriteStartObject();
                w.WriteNumber("id", r.Trial.Id);
                w.WriteString("state", r.State.ToString());
                WriteNumber(w, "value", r.Value);
                w.WriteNumber("step", r.Step);
                w.WriteStartObject("parameters");
                foreach (var (k, v) in r.Trial.Parameters)
                {
                    w.WritePropertyName(k);
                    ParameterValues.Write(w, v);
                }
                w.WriteEndObject();
                w.WriteStartArray("intermediate");
                foreach (var (s, v) in r.Intermediate)
                {
                    w.WriteStartArray();
                    w.WriteNumberValue(s);
                    if (double.IsFinite(v)) w.WriteNumberValue(v); else w.WriteNullValue();
                    w.WriteEndArray();
                }
                w.WriteEndArray();
                if (r.Error is not null) w.WriteString("error", r.Error);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        File.Move(tmp, Path, overwrite: true);
    }

    private static void WriteNumber(Utf8JsonWriter w, string name, double v)
    {
        if (double.IsFinite(v)) w.WriteNumber(name, v); else w.WriteNull(name);
    }
}
