using System.Globalization;

namespace Research.LoadGen;

/// <summary>Command-line settings of the load generator.</summary>
internal sealed record LoadOptions
{
    public string Url { get; init; } = "http://127.0.0.1:8080";

    public double Rate { get; init; } = 500;

    public double Duration { get; init; } = 30;

    public double Warmup { get; init; } = 5;

    public string Route { get; init; } = "/v1/predict";

    public string? BodyFile { get; init; }

    public int Tickers { get; init; } = 1;

    public int Bars { get; init; } = 80;

    public string? ApiKeyEnv { get; init; }

    public string? HistogramFile { get; init; }

    public const string Usage = """
        usage: Research.LoadGen [--url http://127.0.0.1:8080] [--rate 500] [--duration 30] [--warmup 5]
                                [--route /v1/predict] [--body FILE | --tickers 1 --bars 80] [--api-key-env NAME] [--histogram FILE.csv]
        Sends requests at a fixed arrival rate (open loop: a slow response never delays the next send) for --duration
        seconds after --warmup seconds that are not recorded; latency is measured from each request's scheduled send time.
        Without --body, the body is the last --bars bars of the model's first --tickers tickers from data/djia.
        """;

    /// <summary>Parses <c>--name value</c> pairs.</summary>
    public static LoadOptions Parse(string[] args)
    {
        var o = new LoadOptions();
        for (int i = 0; i < args.Length; i++)
        {
            string name = args[i];
            if (i + 1 >= args.Length) throw new ArgumentException($"{name} needs a value.");
            string value = args[++i];
            o = name switch
            {
                "--url" => o with { Url = value.TrimEnd('/') },
                "--rate" => o with { Rate = Positive(name, value) },
                "--duration" => o with { Duration = Positive(name, value) },
                "--warmup" => o with { Warmup = NonNegative(name, value) },
                "--route" => o with { Route = value },
                "--body" => o with { BodyFile = value },
                "--tickers" => o with { Tickers = (int)Positive(name, value) },
                "--bars" => o with { Bars = (int)Positive(name, value) },
                "--api-key-env" => o with { ApiKeyEnv = value },
                "--histogram" => o with { HistogramFile = value },
                _ => throw new ArgumentException($"unknown option {name}."),
            };
        }

        return o;
    }

    private static double Positive(string name, string value) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double x) && x > 0 ? x : throw new ArgumentException($"{name} must be a positive number, got '{value}'.");

    private static double NonNegative(string name, string value) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double x) && x >= 0 ? x : throw new ArgumentException($"{name} must be ≥ 0, got '{value}'.");
}
