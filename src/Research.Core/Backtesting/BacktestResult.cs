using Research.Core.Backtesting.Costs;
using Research.Core.Risk;

namespace Research.Core.Backtesting;

/// <summary>
/// Exposure right after a fill, at the prices it was checked against (what the risk limits constrain), and the average
/// volume per bar the ADV limit and the cost model used for it.
/// </summary>
public sealed record FillCheck(DateOnly Date, int Ticker, double PositionValue, double GrossExposure, double NetExposure, double Equity, double Adv);

/// <summary>Everything a backtest produced.</summary>
public sealed class BacktestResult
{
    private readonly double[] _weights;

    internal BacktestResult(string name, BacktestOptions options, DateOnly[] dates, double[] equity, double[] returns, IReadOnlyList<DailyRecord> daily,
        double[] weights, IReadOnlyList<Fill> fills, IReadOnlyList<Rejection> rejections, IReadOnlyList<RoundTrip> roundTrips, IReadOnlyList<Intervention> interventions,
        IReadOnlyList<FillCheck> checks, double borrowFees, double interest)
    {
        Name = name;
        Options = options;
        Dates = dates;
        Equity = equity;
        Returns = returns;
        Daily = daily;
        _weights = weights;
        TickerCount = dates.Length == 0 ? 0 : weights.Length / dates.Length;
        Fills = fills;
        Rejections = rejections;
        RoundTrips = roundTrips;
        Interventions = interventions;
        Checks = checks;
        BorrowFees = borrowFees;
        Interest = interest;
        CostTotals = fills.Aggregate(default(CostBreakdown), (a, f) => a + f.Costs);
    }

    /// <summary>Strategy name.</summary>
    public string Name { get; }

    /// <summary>The settings used.</summary>
    public BacktestOptions Options { get; }

    /// <summary>True when fills happened at the signal bar's close (optimistic).</summary>
    public bool Optimistic => Options.Fill == FillTiming.SameClose;

    /// <summary>One date per backtest day.</summary>
    public DateOnly[] Dates { get; }

    /// <summary>Equity at each close.</summary>
    public double[] Equity { get; }

    /// <summary>Daily simple returns (the first relative to the initial cash).</summary>
    public double[] Returns { get; }

    /// <summary>The daily accounting records.</summary>
    public IReadOnlyList<DailyRecord> Daily { get; }

    /// <summary>Every fill.</summary>
    public IReadOnlyList<Fill> Fills { get; }

    /// <summary>Every rejected order or order remainder, with its reason.</summary>
    public IReadOnlyList<Rejection> Rejections { get; }

    /// <summary>Closed round trips (FIFO).</summary>
    public IReadOnlyList<RoundTrip> RoundTrips { get; }

    /// <summary>Risk manager interventions.</summary>
    public IReadOnlyList<Intervention> Interventions { get; }

    /// <summary>Exposure right after each fill.</summary>
    public IReadOnlyList<FillCheck> Checks { get; }

    /// <summary>Number of tickers (the panel's).</summary>
    public int TickerCount { get; }

    /// <summary>Weight (position value / equity) of ticker <paramref name="ticker"/> at day <paramref name="day"/>'s close.</summary>
    public double Weight(int day, int ticker) => _weights[day * TickerCount + ticker];

    /// <summary>The weights of ticker <paramref name="ticker"/> at every close.</summary>
    public double[] WeightSeries(int ticker)
    {
        var w = new double[Dates.Length];
        for (int i = 0; i < w.Length; i++) w[i] = _weights[i * TickerCount + ticker];
        return w;
    }

    /// <summary>Transaction costs summed over fills.</summary>
    public CostBreakdown CostTotals { get; }

    /// <summary>Borrow fees paid on shorts.</summary>
    public double BorrowFees { get; }

    /// <summary>Interest earned on cash.</summary>
    public double Interest { get; }

    /// <summary>Σ |traded value| / equity, one-way.</summary>
    public double Turnover => Daily.Sum(d => d.Turnover);

    /// <summary>The equity curve for the metrics and reports.</summary>
    public EquityCurve ToEquityCurve() => new(Name, Dates, Equity, Returns, CostTotals.Total + BorrowFees - Interest, Turnover);
}
