using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Research.Core.Data;
using Research.Core.Features;
using Research.Core.Features.Catalog;
using Research.Core.IO;

namespace Research.Cli.Commands;

/// <summary><c>research features list|compute</c>: the indicator catalog and indicators over one CSV of bars.</summary>
internal static class FeatureCommands
{
    public static Command Create()
    {
        var cmd = new Command("features", "Technical indicators: list the catalog, compute indicators over a CSV of bars.");
        cmd.Subcommands.Add(List());
        cmd.Subcommands.Add(Compute());
        return cmd;
    }

    private static Command List()
    {
        var json = new Option<bool>("--json") { Description = "Print a JSON array (name, group, reference, inputs, outputs, parameters, lookback)." };
        var cmd = new Command("list", "Every indicator: name, parameters with defaults, lookback, and the reference definition it follows.") { json };
        CommandAction.Set(cmd, (parse, stdout, _) =>
        {
            var all = IndicatorCatalog.All;
            if (parse.GetValue(json))
            {
                var rows = all.Select(d => new
                {
                    name = d.Name,
                    group = d.Group,
                    reference = d.Reference,
                    description = d.Description,
                    inputs = d.Inputs.Select(i => i.ToString().ToLowerInvariant()).ToArray(),
                    outputs = d.Columns(),
                    parameters = d.Parameters.Select(p => new { name = p.Name, @default = p.Default, description = p.Description }).ToArray(),
                    lookback = d.Lookback(),
                });
                stdout.WriteLine(ArtifactJson.Serialize(rows));
                return 0;
            }

            stdout.WriteLine($"{all.Count} indicators, {IndicatorCatalog.OutputCount} output columns (defaults shown; lookback = index of the first value)");
            stdout.WriteLine($"{"name",-20} {"group",-10} {"lookback",8}  {"parameters",-52} reference");
            foreach (var d in all)
            {
                string parameters = string.Join(", ", d.Parameters.Select(p => $"{p.Name}={p.Default.ToString(CultureInfo.InvariantCulture)}"));
                stdout.WriteLine($"{d.Name,-20} {d.Group,-10} {d.Lookback(),8}  {parameters,-52} {d.Reference}");
            }

            return 0;
        });
        return cmd;
    }

    private static Command Compute()
    {
        var data = new Option<string>("--data") { Description = "CSV of bars (Date,Open,High,Low,Close,Volume[,...] or Yahoo's layout).", Required = true };
        var indicators = new Option<string>("--indicators") { Description = "all, talib, finrl, or a comma-separated list of names, e.g. RSI,MACD,SMA(period=50).", DefaultValueFactory = _ => "all" };
        var output = new Option<string>("--out") { Description = "CSV to write: Date plus one column per output (NAME or NAME_part).", Required = true };
        var nan = new Option<string>("--nan")
        {
            Description = "Missing values inside the series (e.g. Yahoo's null rows): propagate (TA-Lib's convention: NaN flows through), drop (compute over complete bars; dropped dates get empty cells) or ffill (carry the last bar forward).",
            DefaultValueFactory = _ => "propagate",
        };
        var cmd = new Command("compute", "Compute indicators over one ticker's bars; values at full round-trip precision, NaN as an empty cell.") { data, indicators, output, nan };
        CommandAction.Set(cmd, (parse, stdout, _) =>
        {
            string path = parse.GetValue(data)!;
            if (!File.Exists(path)) throw new FileNotFoundException($"--data: {path} does not exist.", path);
            var series = BarCsvLoader.LoadFile(path);
            if (series.Count != 1) throw new ArgumentException($"--data: {path} holds {series.Count} tickers; give one ticker's bars.");
            var s = series[0];
            for (int i = 1; i < s.Dates.Length; i++)
            {
                if (s.Dates[i] <= s.Dates[i - 1])
                {
                    throw new ArgumentException($"--data: {path}, line {s.Lines[i]}: date {s.Dates[i]:yyyy-MM-dd} is not after {s.Dates[i - 1]:yyyy-MM-dd} (line {s.Lines[i - 1]}); indicators need sorted, unique dates.");
                }
            }

            IReadOnlyList<IndicatorSpec> specs;
            try
            {
                specs = FeaturePipeline.Expand(SplitTopLevel(parse.GetValue(indicators)!));
            }
            catch (ArgumentException e)
            {
                throw new ArgumentException($"--indicators: {e.Message}", e);
            }

            var (names, values) = parse.GetValue(nan) switch
            {
                "propagate" => FeaturePipeline.ComputeIndicators(Ohlcv.Of(s.Open, s.High, s.Low, s.Close, s.Volume), specs),
                "ffill" => FeaturePipeline.ComputeIndicators(Ohlcv.Of(Ffill(s.Open), Ffill(s.High), Ffill(s.Low), Ffill(s.Close), Ffill(s.Volume)), specs),
                "drop" => OverCompleteBars(s, specs),
                var other => throw new ArgumentException($"--nan: '{other}' is not propagate, drop or ffill."),
            };
            string target = parse.GetValue(output)!;
            AtomicFile.Write(target, stream =>
            {
                using var w = new StreamWriter(stream, new UTF8Encoding(false), leaveOpen: true);
                w.Write("Date");
                foreach (var n in names) w.Write($",{n}");
                w.Write('\n');
                var sb = new StringBuilder();
                for (int t = 0; t < s.Dates.Length; t++)
                {
                    sb.Clear();
                    sb.Append(s.Dates[t].ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
                    foreach (var v in values)
                    {
                        sb.Append(',');
                        if (!double.IsNaN(v[t])) sb.Append(v[t].ToString("R", CultureInfo.InvariantCulture));
                    }

                    sb.Append('\n');
                    w.Write(sb);
                }
            });
            stdout.WriteLine($"{specs.Count} indicators, {names.Count} columns × {s.Dates.Length:N0} rows -> {target}");
            return 0;
        });
        return cmd;
    }

    private static double[] Ffill(double[] x)
    {
        var r = (double[])x.Clone();
        for (int i = 1; i < r.Length; i++) if (double.IsNaN(r[i])) r[i] = r[i - 1];
        return r;
    }

    /// <summary>Indicators over the bars where every field is present; the other dates get NaN.</summary>
    private static (List<string> Names, List<double[]> Values) OverCompleteBars(BarSeries s, IReadOnlyList<IndicatorSpec> specs)
    {
        var keep = Enumerable.Range(0, s.Dates.Length)
            .Where(i => !double.IsNaN(s.Open[i]) && !double.IsNaN(s.High[i]) && !double.IsNaN(s.Low[i]) && !double.IsNaN(s.Close[i]) && !double.IsNaN(s.Volume[i]))
            .ToArray();
        double[] Pick(double[] x) => keep.Select(i => x[i]).ToArray();
        var (names, compact) = FeaturePipeline.ComputeIndicators(Ohlcv.Of(Pick(s.Open), Pick(s.High), Pick(s.Low), Pick(s.Close), Pick(s.Volume)), specs);
        var values = compact.Select(c =>
        {
            var full = new double[s.Dates.Length];
            Array.Fill(full, double.NaN);
            for (int j = 0; j < keep.Length; j++) full[keep[j]] = c[j];
            return full;
        }).ToList();
        return (names, values);
    }

    /// <summary>Splits on commas outside parentheses: "RSI,SMA(period=50,x=1)" → RSI, SMA(period=50,x=1).</summary>
    private static IEnumerable<string> SplitTopLevel(string text)
    {
        int depth = 0, start = 0;
        for (int i = 0; i < text.Length; i++)
        {
            if (text[i] == '(') depth++;
            else if (text[i] == ')') depth--;
            else if (text[i] == ',' && depth == 0)
            {
                yield return text[start..i];
                start = i + 1;
            }
        }

        yield return text[start..];
    }
}
