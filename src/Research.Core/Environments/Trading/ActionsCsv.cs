using System.Globalization;
using Research.Core.Data;

namespace Research.Core.Environments.Trading;

/// <summary>
/// A CSV of actions for replay: header = the tickers in the data's tic order, one row per step, each value a number in
/// [−1, 1] parsed as float32 (what a policy emits). Errors name the file, line and column.
/// </summary>
public static class ActionsCsv
{
    /// <summary>Reads the actions (steps × tickers, row-major) and checks the header against <paramref name="tickers"/>.</summary>
    public static float[][] Read(string path, IReadOnlyList<string> tickers)
    {
        if (!File.Exists(path)) throw new DataFormatException(path, null, null, "file not found");
        using var reader = new StreamReader(path);
        string? header = reader.ReadLine();
        if (header is null) throw new DataFormatException(path, 1, null, $"the file is empty; expected a header with the tickers {string.Join(",", tickers)}");
        var names = header.TrimStart('\uFEFF').Split(',').Select(s => s.Trim()).ToArray();
        if (names.Length != tickers.Count) throw new DataFormatException(path, 1, null, $"the header names {names.Length} tickers; the data has {tickers.Count} ({string.Join(",", tickers)})");
        for (int k = 0; k < names.Length; k++)
        {
            if (names[k] != tickers[k]) throw new DataFormatException(path, 1, k + 1, $"column {k + 1} is '{names[k]}'; the data's ticker {k + 1} (tic order) is '{tickers[k]}'");
        }

        var rows = new List<float[]>();
        int line = 1;
        string? text;
        while ((text = reader.ReadLine()) is not null)
        {
            line++;
            if (text.Trim().Length == 0) continue;
            var f = text.Split(',');
            if (f.Length != names.Length) throw new DataFormatException(path, line, null, $"{f.Length} values; the header names {names.Length} tickers");
            var row = new float[f.Length];
            for (int k = 0; k < f.Length; k++)
            {
                if (!float.TryParse(f[k].Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var v)) throw new DataFormatException(path, line, k + 1, $"{names[k]} action '{f[k]}' is not a number");
                if (!(v >= -1 && v <= 1)) throw new DataFormatException(path, line, k + 1, $"{names[k]} action {f[k].Trim()} is outside [-1, 1]");
                row[k] = v;
            }

            rows.Add(row);
        }

        if (rows.Count == 0) throw new DataFormatException(path, line, null, "no action rows; one row per step is expected");
        return [.. rows];
    }
}
