using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Research.Core.Evaluation;
using Research.Core.Evaluation.Reporting;
using Research.Core.IO;

namespace Research.Cli.Commands;

/// <summary><c>research metrics</c> and <c>research report</c>: performance metrics and the HTML tearsheet from CSVs or a run folder.</summary>
internal static class MetricsCommands
{
    public static Command CreateMetrics()
    {
        var returns = new Option<string>("--returns") { Description = "CSV of date,return (simple per-period returns).", Required = true };
        var benchmark = new Option<string?>("--benchmark") { Description = "CSV of date,return for the benchmark; aligned to the returns by date (inner join)." };
        var periods = Periods();
        var rf = RiskFree();
        var required = new Option<double>("--required-return") { Description = "Per-period minimum acceptable return of Sortino and downside risk (default 0)." };
        var json = new Option<bool>("--json") { Description = "Print a JSON object with snake_case keys (NaN and ±∞ as the strings \"NaN\", \"Infinity\", \"-Infinity\")." };
        var cmd = new Command("metrics", "Performance metrics of a return series (empyrical 0.5.5 definitions; see docs/metrics.md).")
        {
            returns, benchmark, periods, rf, required, json,
        };
        CommandAction.Set(cmd, (parse, stdout, _) =>
        {
            var options = new MetricsOptions
            {
                Periods = parse.GetValue(periods), RiskFree = parse.GetValue(rf), RequiredReturn = parse.GetValue(required),
            };
            options.Validate();
            var (strategy, droppedStrategy) = LoadSeries(parse.GetValue(returns)!);
            ReturnSeries? bench = null;
            int droppedBench = 0;
            if (parse.GetValue(benchmark) is { } b) (bench, droppedBench) = LoadSeries(b);
            var report = PerformanceMetrics.Compute(strategy, bench, options);
            if (parse.GetValue(json)) stdout.WriteLine(ToJson(report, strategy, bench, droppedStrategy, droppedBench));
            else WriteTable(stdout, report, strategy, bench, droppedStrategy, droppedBench);
            return 0;
        });
        return cmd;
    }

    public static Command CreateReport()
    {
        var returns = new Option<string?>("--returns") { Description = "CSV of date,return for the strategy." };
        var benchmark = new Option<string?>("--benchmark") { Description = "CSV of date,return for the benchmark." };
        var run = new Option<string?>("--run") { Description = "A run folder, or the MLflow run id of a `research run` (./mlruns or MLFLOW_TRACKING_URI), holding returns.csv and optionally benchmark.csv and metadata.json." };
        var trackingUri = new Option<string?>("--tracking-uri") { Description = "MLflow file store holding --run <id> (default: MLFLOW_TRACKING_URI, else ./mlruns)." };
        var output = new Option<string?>("--out") { Description = "HTML file to write (default with --run: <run>/tearsheet.html)." };
        var title = new Option<string?>("--title") { Description = "Report title (default: the run folder or returns file name)." };
        var periods = Periods();
        var rf = RiskFree();
        var cmd = new Command("report", "Write a self-contained HTML tearsheet (works offline) from return CSVs or a run folder.")
        {
            returns, benchmark, run, trackingUri, output, title, periods, rf,
        };
        CommandAction.Set(cmd, (parse, stdout, _) =>
        {
            string? runPath = parse.GetValue(run), returnsPath = parse.GetValue(returns), benchmarkPath = parse.GetValue(benchmark);
            var metadata = new Dictionary<string, string>();
            string defaultTitle;
            if (runPath is not null)
            {
                if (returnsPath is not null) throw new ArgumentException("give either --run or --returns, not both.");
                if (!Directory.Exists(runPath)) runPath = ResolveRunId(runPath, parse.GetValue(trackingUri));

                returnsPath = Path.Combine(runPath, "returns.csv");
                if (!File.Exists(returnsPath)) throw new FileNotFoundException($"{returnsPath}: the run folder has no returns.csv.", returnsPath);
                string candidate = Path.Combine(runPath, "benchmark.csv");
                if (benchmarkPath is null && File.Exists(candidate)) benchmarkPath = candidate;
                string meta = Path.Combine(runPath, "metadata.json");
                if (File.Exists(meta)) metadata = ReadMetadata(meta);
                defaultTitle = Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(runPath)));
            }
            else
            {
                if (returnsPath is null) throw new ArgumentException("give --returns <csv> or --run <folder>.");
                defaultTitle = Path.GetFileNameWithoutExtension(returnsPath);
            }

            string outPath = parse.GetValue(output)
                             ?? (runPath is not null ? Path.Combine(runPath, "tearsheet.html") : throw new ArgumentException("give --out <file.html>."));
            var options = new MetricsOptions { Periods = parse.GetValue(periods), RiskFree = parse.GetValue(rf) };
            options.Validate();
            var (strategy, _) = LoadSeries(returnsPath);
            var benchmarks = new Dictionary<string, double[]>();
            if (benchmarkPath is not null)
            {
                var (bench, _) = LoadSeries(benchmarkPath);
                benchmarks[bench.Name] = strategy.Reindex(bench);
            }

            metadata.TryAdd("returns", Path.GetFullPath(returnsPath));
            if (benchmarkPath is not null) metadata.TryAdd("benchmark", Path.GetFullPath(benchmarkPath));
            var result = Tearsheet.Write(outPath, new TearsheetData
            {
                Title = parse.GetValue(title) ?? defaultTitle,
                Dates = strategy.Dates,
                Returns = strategy.Values,
                Benchmarks = benchmarks,
                Metadata = metadata,
                Options = options,
            });
            stdout.WriteLine($"wrote {result.Path}: {result.Charts.Count} charts" +
                             (result.Omitted.Count == 0 ? "" : $", omitted {string.Join(", ", result.Omitted.Select(o => o.Key))}"));
            return 0;
        });
        return cmd;
    }

    private static Option<int> Periods() => new("--periods")
    {
        Description = "Periods per year used to annualise (252 daily, 52 weekly, 12 monthly).", DefaultValueFactory = _ => 252,
    };

    private static Option<double> RiskFree() => new("--rf")
    {
        Description = "Risk-free rate PER PERIOD (e.g. 0.0001 a day), as empyrical's risk_free; default 0.",
    };

    private static (ReturnSeries Series, int Dropped) LoadSeries(string path)
    {
        var raw = ReturnSeriesCsv.Load(path);
        var clean = raw.DropMissing();
        if (clean.Count == 0) throw new ArgumentException($"{path}: every return is missing.");
        return (clean, raw.Count - clean.Count);
    }

    /// <summary>An MLflow run id → its artifact folder in the local store (MLFLOW_TRACKING_URI when a file store, else ./mlruns).</summary>
    private static string ResolveRunId(string runId, string? trackingUri)
    {
        var (kind, location) = Research.Core.Tracking.Tracker.ResolveUri(trackingUri ?? Environment.GetEnvironmentVariable("MLFLOW_TRACKING_URI"));
        if (kind != "file") location = "mlruns";
        if (!Directory.Exists(location))
            throw new ArgumentException($"--run '{runId}' is neither a run folder nor a run id in an MLflow store ({Path.GetFullPath(location)} does not exist).");
        try
        {
            return new Research.Core.Tracking.FileStore(location).ArtifactPath(runId, "");
        }
        catch (Research.Core.Tracking.TrackingException e)
        {
            throw new ArgumentException($"--run '{runId}' is neither a run folder nor a run id in {Path.GetFullPath(location)}: {e.Message}");
        }
    }

    private static Dictionary<string, string> ReadMetadata(string path)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        if (doc.RootElement.ValueKind != JsonValueKind.Object) throw new ArgumentException($"{path}: metadata must be a JSON object.");
        return doc.RootElement.EnumerateObject().ToDictionary(p => p.Name,
            p => p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString()! : p.Value.GetRawText());
    }

    private static void WriteTable(TextWriter o, PerformanceReport report, ReturnSeries strategy, ReturnSeries? bench, int dropped, int droppedBench)
    {
        var inv = CultureInfo.InvariantCulture;
        o.WriteLine(string.Create(inv, $"returns: {strategy.Name}, {strategy.Count} observations {strategy.Dates[0]:yyyy-MM-dd}..{strategy.Dates[^1]:yyyy-MM-dd}{(dropped > 0 ? $" ({dropped} missing dropped)" : "")}"));
        if (bench is not null)
            o.WriteLine(string.Create(inv, $"benchmark: {bench.Name}, {bench.Count} observations{(droppedBench > 0 ? $" ({droppedBench} missing dropped)" : "")}; {report.BenchmarkObservations} dates in common (inner join) used for alpha, beta, information ratio, tracking error"));
        o.WriteLine(string.Create(inv, $"periods {report.Options.Periods}, risk-free {report.Options.RiskFree} per period"));
        o.WriteLine();
        var rows = MetricCatalog.All.Where(m => bench is not null || !m.NeedsBenchmark)
            .Where(m => !m.Key.Contains("turnover") && !m.Key.Contains("exposure") && m.Key != "time_in_market").ToList();
        int width = rows.Max(m => m.Label.Length) + 2;
        foreach (var m in rows) o.WriteLine($"{m.Label.PadRight(width)}{MetricCatalog.FormatValue(m, report[m.Key]),12}");
        var dd = report.MaxDrawdownDetails;
        o.WriteLine($"{"Max drawdown peak".PadRight(width)}{(dd.PeakIndex < 0 ? (dd.TroughIndex < 0 ? "—" : "start") : dd.PeakDate?.ToString("yyyy-MM-dd", inv)),12}");
        o.WriteLine($"{"Max drawdown trough".PadRight(width)}{dd.TroughDate?.ToString("yyyy-MM-dd", inv) ?? "—",12}");
        o.WriteLine($"{"Max drawdown recovery".PadRight(width)}{dd.RecoveryDate?.ToString("yyyy-MM-dd", inv) ?? "not recovered",12}");
    }

    private static string ToJson(PerformanceReport report, ReturnSeries strategy, ReturnSeries? bench, int dropped, int droppedBench)
    {
        return ArtifactJson.Write(w =>
        {
            w.WriteStartObject();
            foreach (var (key, value) in report.Values) w.WriteDouble(key, value);

            var dd = report.MaxDrawdownDetails;
            WriteDate(w, "max_drawdown_peak_date", dd.PeakDate);
            w.WriteBoolean("max_drawdown_peak_is_start", dd.PeakIndex < 0 && dd.TroughIndex >= 0);
            WriteDate(w, "max_drawdown_trough_date", dd.TroughDate);
            WriteDate(w, "max_drawdown_recovery_date", dd.RecoveryDate);
            w.WriteString("start_date", strategy.Dates[0].ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
            w.WriteString("end_date", strategy.Dates[^1].ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
            w.WriteNumber("missing_dropped", dropped);
            if (bench is not null)
            {
                w.WriteString("benchmark", bench.Name);
                w.WriteNumber("benchmark_observations", bench.Count);
                w.WriteNumber("benchmark_missing_dropped", droppedBench);
                w.WriteNumber("aligned_observations", report.BenchmarkObservations ?? 0);
            }
            else w.WriteNull("aligned_observations");

            w.WriteNumber("periods", report.Options.Periods);
            w.WriteDouble("risk_free", report.Options.RiskFree);
            w.WriteEndObject();
        });
    }

    private static void WriteDate(Utf8JsonWriter w, string key, DateOnly? date)
    {
        if (date is DateOnly d) w.WriteString(key, d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        else w.WriteNull(key);
    }
}
