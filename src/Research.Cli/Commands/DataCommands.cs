using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Research.Core.Configuration;
using Research.Core.Data;
using Research.Core.Data.Quality;
using Research.Core.IO;

namespace Research.Cli.Commands;

/// <summary><c>research data check|info|fetch</c>: quality reports, a summary of the configured data, and provider fetches.</summary>
internal static class DataCommands
{
    public static Command Create()
    {
        var data = new Command("data", "Load, check and summarise market data.");
        data.Subcommands.Add(Check());
        data.Subcommands.Add(Info());
        data.Subcommands.Add(DataFetchCommand.Create());
        return data;
    }

    private static Command Check()
    {
        var paths = new Argument<string[]>("paths") { Description = "CSV files or folders of CSV files.", Arity = ArgumentArity.OneOrMore };
        var policy = new Option<string>("--policy") { Description = $"Repair policy: {string.Join(", ", QualityPolicy.PresetNames)}.", DefaultValueFactory = _ => "default" };
        var threshold = new Option<double?>("--outlier-threshold") { Description = "Absolute daily return above which a day is reported as an outlier (default 0.25)." };
        var json = new Option<bool>("--json") { Description = "Print the report as JSON." };
        var brief = new Option<bool>("--summary") { Description = "Print only the counts, not every defect and repair." };
        var cmd = new Command("check", "Report every defect in bar CSVs and what the policy would repair. Exit 0 clean, 1 defects found, 2 unreadable input.")
        {
            paths, policy, threshold, json, brief,
        };
        CommandAction.Set(cmd, (parse, stdout, _) =>
        {
            var p = QualityPolicy.Preset(parse.GetValue(policy)!);
            if (parse.GetValue(threshold) is double t) p = p with { OutlierThreshold = t };
            var series = BarCsvLoader.LoadPaths(parse.GetValue(paths)!);
            var result = new QualityChecker(p).Run(series);
            var report = result.Report;
            if (parse.GetValue(json)) stdout.WriteLine(JsonSerializer.Serialize(ToJson(report), JsonOptions));
            else stdout.Write(report.ToText(details: !parse.GetValue(brief)));
            return report.IsClean ? 0 : 1;
        });
        return cmd;
    }

    private static Command Info()
    {
        var config = new Option<string?>("--config") { Description = "Experiment config naming the data (default: experiments/default.json)." };
        var cmd = new Command("info", "Summarise the configured data set (the embedded DJIA set by default).") { config };
        CommandAction.Set(cmd, (parse, stdout, _) =>
        {
            var cfg = ConfigLoader.Load(parse.GetValue(config) ?? ConfigLoader.FindDefault());
            var data = MarketDataLoader.Load(cfg.Data, cfg.Data.Cache);
            var p = data.Panel;
            var inv = CultureInfo.InvariantCulture;
            stdout.WriteLine(string.Create(inv, $"Data: {string.Join(", ", cfg.Data.Paths)}"));
            stdout.WriteLine(string.Create(inv, $"{p.TickerCount} tickers, {p.DateCount:N0} trading dates {p.Calendar.First:yyyy-MM-dd}..{p.Calendar.Last:yyyy-MM-dd}, {data.Files.Count} files"));
            stdout.WriteLine(string.Create(inv, $"Quality under policy '{cfg.Data.Policy.Name}': {data.Quality.DefectCount} defects, {data.Quality.RepairCount} repairs ({string.Join(", ", data.Quality.CountsByKind.Select(kv => $"{kv.Key} {kv.Value}"))})"));
            stdout.WriteLine($"Content hash: {data.DataHash}");
            stdout.WriteLine();
            stdout.WriteLine(string.Create(inv, $"{"ticker",-7} {"first",10} {"last",10} {"bars",6} {"first close",12} {"last close",11} {"total return",13} {"avg volume",13}"));
            var close = p.Column(PriceField.Close);
            var volume = p.Column(PriceField.Volume);
            for (int k = 0; k < p.TickerCount; k++)
            {
                int first = -1, last = -1, bars = 0;
                double volumeSum = 0;
                for (int t = 0; t < p.DateCount; t++)
                {
                    double c = close[k * p.DateCount + t];
                    if (double.IsNaN(c)) continue;
                    if (first < 0) first = t;
                    last = t;
                    bars++;
                    volumeSum += volume[k * p.DateCount + t] is var v && double.IsNaN(v) ? 0 : v;
                }

                if (first < 0)
                {
                    stdout.WriteLine($"{p.Tickers[k],-7} (no bars)");
                    continue;
                }

                double c0 = close[k * p.DateCount + first], c1 = close[k * p.DateCount + last];
                stdout.WriteLine(string.Create(inv,
                    $"{p.Tickers[k],-7} {p.Calendar[first],10:yyyy-MM-dd} {p.Calendar[last],10:yyyy-MM-dd} {bars,6} {c0,12:F2} {c1,11:F2} {c1 / c0 - 1,13:P1} {volumeSum / bars,13:N0}"));
            }

            return 0;
        });
        return cmd;
    }

    private static readonly JsonSerializerOptions JsonOptions = ArtifactJson.Derive(o =>
    {
        o.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
        o.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower));
        o.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
    });

    private static object ToJson(QualityReport r) => new
    {
        Clean = r.IsClean,
        Policy = r.Policy.ToString(),
        Files = r.Sources.Count,
        r.Rows,
        Counts = r.CountsByKind.ToDictionary(kv => QualityReport.Name(kv.Key), kv => kv.Value),
        r.Defects,
        r.Repairs,
        r.Rejected,
    };
}
