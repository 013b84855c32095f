using System.Text.Json;
using Research.Core.Data;
using Research.Core.IO;

namespace Research.Core.Sweeps;

/// <summary>
/// The settings a sweep started with (<c>sweep-settings.json</c> in the sweep folder): algorithm, seed, quick mode and
/// the objective's content hash must stay the same on <c>--resume</c> (the searcher replays the finished trials);
/// the number of samples may grow.
/// </summary>
internal sealed record SweepSettings(string Algorithm, int Seed, int NumSamples, bool Quick, string ContentHash)
{
    public const string FileName = "sweep-settings.json";

    public static SweepSettings? Load(string directory)
    {
        string path = Path.Combine(directory, FileName);
        if (!File.Exists(path)) return null;
        using var doc = JsonDocument.Parse(File.ReadAllBytes(path));
        var r = doc.RootElement;
        return new SweepSettings(r.GetProperty("algorithm").GetString()!, r.GetProperty("seed").GetInt32(), r.GetProperty("num_samples").GetInt32(),
            r.GetProperty("quick").GetBoolean(), r.GetProperty("content_hash").GetString()!);
    }

    public void Save(string directory)
    {
        Directory.CreateDirectory(directory);
        AtomicFile.WriteAllText(Path.Combine(directory, FileName), ArtifactJson.Write(w =>
        {
            w.WriteStartObject();
            w.WriteString("algorithm", Algorithm);
            w.WriteNumber("seed", Seed);
            w.WriteNumber("num_samples", NumSamples);
            w.WriteBoolean("quick", Quick);
            w.WriteString("content_hash", ContentHash);
            w.WriteEndObject();
        }));
    }

    /// <summary>Throws when a resumed run asks for something the saved sweep did not use.</summary>
    public void CheckResume(string directory, string algorithm, int seed, bool quick, string contentHash)
    {
        string where = Path.Combine(directory, FileName);
        if (algorithm != Algorithm) throw new DataFormatException(where, null, null, $"\"algorithm\": the sweep ran with \"{Algorithm}\"; it cannot resume with \"{algorithm}\".");
        if (seed != Seed) throw new DataFormatException(where, null, null, $"\"seed\": the sweep ran with seed {Seed}; it cannot resume with seed {seed}.");
        if (quick != Quick) throw new DataFormatException(where, null, null, $"\"quick\": the sweep ran {(Quick ? "with" : "without")} --quick; resume it the same way.");
        if (contentHash != ContentHash)
            throw new DataFormatException(where, null, null, "\"content_hash\": the objective's config or data changed since the sweep started; start a new sweep (delete the folder or rename the sweep).");
    }
}
