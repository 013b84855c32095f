using Research.Core.Evaluation.Reporting;

namespace Research.Core.Tests.Evaluation;

/// <summary>Synthetic runs for tearsheet tests: every optional input present, or none.</summary>
internal static class TearsheetSamples
{
    public static DateOnly[] BusinessDays(DateOnly start, int n)
    {
        var d = new DateOnly[n];
        var day = start;
        for (int i = 0; i < n; i++)
        {
            while (day.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday) day = day.AddDays(1);
            d[i] = day;
            day = day.AddDays(1);
        }

        return d;
    }

    public static TearsheetData Full(int n = 700)
    {
        var dates = BusinessDays(new DateOnly(2021, 1, 4), n);
        var r = ReferenceSeries.Strategy(n);
        var b = ReferenceSeries.Benchmark(n);
        var b2 = b.Select((v, i) => v * 0.5 + 0.0001 * Math.Cos(i)).ToArray();
        var w1 = Enumerable.Range(0, n).Select(i => 0.4 + 0.1 * Math.Sin(i / 40.0)).ToArray();
        var w2 = Enumerable.Range(0, n).Select(i => 0.3 + 0.1 * Math.Cos(i / 55.0)).ToArray();
        var w3 = w1.Select((v, i) => 1 - v - w2[i]).ToArray();
        var turnover = Enumerable.Range(0, n).Select(i => i % 5 == 0 ? 0.08 : 0.0).ToArray();
        var price = new double[n];
        double p = 100;
        for (int i = 0; i < n; i++) price[i] = p *= 1 + b[i];
        var trades = Enumerable.Range(0, n / 25).Select(k => new TradeMarker(dates[k * 25], "AAPL", k % 2 == 0 ? 10 : -10, price[k * 25])).ToList();
        return new TearsheetData
        {
            Title = "momentum <v2> & co",
            Dates = dates,
            Returns = r,
            Benchmarks = new Dictionary<string, double[]> { ["^DJI"] = b, ["60/40"] = b2 },
            Weights = new Dictionary<string, double[]> { ["AAPL"] = w1, ["MSFT"] = w2, ["cash"] = w3 },
            Exposure = w1.Select((v, i) => v + w2[i]).ToArray(),
            Turnover = turnover,
            Costs = new Dictionary<string, double[]>
            {
                ["commission"] = turnover.Select(t => t * 0.0005).ToArray(),
                ["spread"] = turnover.Select(t => t * 0.0010).ToArray(),
            },
            Trades = trades,
            Prices = new Dictionary<string, double[]> { ["AAPL"] = price },
            Metadata = new Dictionary<string, string>
            {
                ["run_id"] = "20240101-abc123", ["config_hash"] = "sha256:0f1e2d", ["seed"] = "42", ["note"] = "</script><b>not bold</b>",
            },
        };
    }

    public static TearsheetData Minimal(int n = 60) => new()
    {
        Title = "minimal",
        Dates = BusinessDays(new DateOnly(2022, 3, 1), n),
        Returns = ReferenceSeries.Strategy(n),
    };
}
