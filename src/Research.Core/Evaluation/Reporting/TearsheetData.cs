namespace Research.Core.Evaluation.Reporting;

/// <summary>One trade to mark on the price chart.</summary>
/// <param name="Date">Trade date.</param>
/// <param name="Symbol">Instrument.</param>
/// <param name="Quantity">Signed quantity: positive buys, negative sells.</param>
/// <param name="Price">Fill price.</param>
public sealed record TradeMarker(DateOnly Date, string Symbol, double Quantity, double Price);

/// <summary>
/// Everything a tearsheet shows for one run. Every series is laid on <see cref="Dates"/> (one value per date, NaN
/// where missing). Only the dates and strategy returns are required; a chart whose optional input is absent is
/// left out with a note saying why.
/// </summary>
public sealed record TearsheetData
{
    /// <summary>Report title (the run or strategy name).</summary>
    public required string Title { get; init; }

    /// <summary>The dates, strictly increasing.</summary>
    public required DateOnly[] Dates { get; init; }

    /// <summary>The strategy's simple returns per date (net of costs).</summary>
    public required double[] Returns { get; init; }

    /// <summary>Benchmark returns by name, aligned to <see cref="Dates"/>. The first one is used for alpha, beta and rolling beta.</summary>
    public IReadOnlyDictionary<string, double[]> Benchmarks { get; init; } = new Dictionary<string, double[]>();

    /// <summary>Portfolio weight per asset and date (for the stacked weights chart).</summary>
    public IReadOnlyDictionary<string, double[]>? Weights { get; init; }

    /// <summary>Gross exposure per date (market value / equity).</summary>
    public double[]? Exposure { get; init; }

    /// <summary>Turnover per date (traded value / equity).</summary>
    public double[]? Turnover { get; init; }

    /// <summary>Costs per component (commission, spread, slippage, borrow, …) and date, as a fraction of equity.</summary>
    public IReadOnlyDictionary<string, double[]>? Costs { get; init; }

    /// <summary>Trades to mark on prices.</summary>
    public IReadOnlyList<TradeMarker>? Trades { get; init; }

    /// <summary>Price per symbol and date, for the trades chart.</summary>
    public IReadOnlyDictionary<string, double[]>? Prices { get; init; }

    /// <summary>Run metadata shown as a table (config hash, seed, git commit, data range, …).</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; init; } = new Dictionary<string, string>();

    /// <summary>Metric conventions.</summary>
    public MetricsOptions Options { get; init; } = MetricsOptions.Default;

    /// <summary>Window of the rolling Sharpe and beta charts (126 trading days = six months).</summary>
    public int RollingWindow { get; init; } = Rolling.SixMonths;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first series whose length differs from the dates.</summary>
    public void Validate()
    {
        int n = Dates.Length;
        if (n == 0) throw new ArgumentException("The tearsheet has no dates.");
        for (int i = 1; i < n; i++)
        {
            if (Dates[i] <= Dates[i - 1])
                throw new ArgumentException($"Dates must be strictly increasing: {Dates[i - 1]:yyyy-MM-dd} then {Dates[i]:yyyy-MM-dd}.");
        }

        Check("returns", Returns);
        foreach (var (k, v) in Benchmarks) Check($"benchmark '{k}'", v);
        foreach (var (k, v) in Weights ?? new Dictionary<string, double[]>()) Check($"weights of '{k}'", v);
        foreach (var (k, v) in Costs ?? new Dictionary<string, double[]>()) Check($"cost '{k}'", v);
        foreach (var (k, v) in Prices ?? new Dictionary<string, double[]>()) Check($"prices of '{k}'", v);
        if (Exposure is not null) Check("exposure", Exposure);
        if (Turnover is not null) Check("turnover", Turnover);
        if (RollingWindow < 2) throw new ArgumentException($"The rolling window must be at least 2; got {RollingWindow}.");
        Options.Validate();

        void Check(string what, double[] values)
        {
            if (values.Length != n) throw new ArgumentException($"{what} has {values.Length} values for {n} dates.");
        }
    }
}
