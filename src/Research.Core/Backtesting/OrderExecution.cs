using Research.Core.Data;
using Research.Core.Risk;

namespace Research.Core.Backtesting;

/// <summary>
/// The one place an order becomes a fill, shared by the <see cref="Backtester"/> and the trading environment's
/// backtest-grade mode: the participation cap, the no-short rule, the risk manager's pre-trade limits (on equity net
/// of the trade's own costs), the cost model's execution price (kept inside the fill bar's low–high range), and the
/// cash limit. Trailing σ and ADV (the cost model's and the ADV limit's inputs) are computed once per panel from bars
/// strictly before each bar.
/// </summary>
internal sealed class OrderExecution
{
    private readonly IReadOnlyList<string> _tickers;
    private readonly int _dates;

    public OrderExecution(MarketPanel panel, BacktestOptions options, RiskManager? risk)
    {
        Options = options;
        Risk = risk;
        _tickers = panel.Tickers;
        _dates = panel.DateCount;
        Fields = Prices(panel, options.DividendAdjusted);
        (Sigma, Adv) = Trailing(panel, Fields, options.StatisticsWindow);
    }

    public BacktestOptions Options { get; }

    public RiskManager? Risk { get; }

    /// <summary>Open, high, low, close, volume (ticker-major), dividend-adjusted when asked.</summary>
    public double[][] Fields { get; }

    /// <summary>σ of bar returns over the statistics window before each bar (ticker-major).</summary>
    public double[] Sigma { get; }

    /// <summary>Average volume over the statistics window before each bar (ticker-major).</summary>
    public double[] Adv { get; }

    /// <summary>Cuts <paramref name="want"/> to the participation cap of the bar's volume; <paramref name="capped"/> says whether it bound.</summary>
    public double CapToVolume(double want, double volume, out bool capped)
    {
        capped = false;
        double cap = double.IsPositiveInfinity(Options.ParticipationCap) ? double.PositiveInfinity : Options.ParticipationCap * (volume > 0 ? volume : 0);
        if (Options.WholeShares) cap = Math.Floor(cap);
        if (Math.Abs(want) <= cap) return want;
        capped = true;
        return Math.Sign(want) * cap;
    }

    /// <summary>
    /// After the cap (and with the ticker marked at <paramref name="reference"/>): applies the no-short rule, the risk
    /// manager and the cash limit to <paramref name="want"/> shares of order <paramref name="o"/>, recording each cut in
    /// <paramref name="rejections"/> (when given); returns the quantity to fill (0: nothing), its execution price (never
    /// outside bar <paramref name="t"/>'s low–high range) and costs. <paramref name="capped"/> is cleared when a cut
    /// other than the cap applied.
    /// </summary>
    public double Approve(Order o, double want, int t, DateOnly date, double reference, Portfolio portfolio,
        List<Rejection>? rejections, ref bool capped, out double price, out CostBreakdown costs)
    {
        int j = o.Ticker;
        price = reference;
        costs = default;
        Range(o, t, out double low, out double high);
        double held = portfolio.Quantity(j);
        if (!Options.AllowShort && held + want < 0)
        {
            double allowed = -Math.Max(0, held);
            if (allowed > want)
            {
                rejections?.Add(new Rejection(date, o with { Quantity = want - allowed }, "no short selling: sell cut to the position held"));
                want = allowed;
                capped = false;
            }
        }

        if (Risk is not null && want != 0)
        {
            int i = j * _dates + t;
            double approved = PreTrade.Approve(Risk, Options.Costs, date, _tickers[j], j, want, reference, Sigma[i], Adv[i], low, high, portfolio);
            if (Math.Abs(approved) < Math.Abs(want))
            {
                rejections?.Add(new Rejection(date, o with { Quantity = o.Quantity - approved }, "cut by the risk manager (see interventions)"));
                capped = false;
            }

            want = approved;
        }

        if (want == 0) return 0;
        double sigma = Sigma[j * _dates + t], adv = Adv[j * _dates + t];
        price = Options.Costs.Price(want, reference, sigma, adv, low, high, out costs);
        if (!Options.Margin && want > 0)
        {
            double need = want * price + costs.Commission;
            if (need > portfolio.Cash)
            {
                double affordable = portfolio.Cash > 0 ? want * portfolio.Cash / need : 0;
                if (Options.WholeShares) affordable = Math.Floor(affordable);
                while (affordable > 0)
                {
                    price = Options.Costs.Price(affordable, reference, sigma, adv, low, high, out costs);
                    if (affordable * price + costs.Commission <= portfolio.Cash) break;
                    affordable = Options.WholeShares ? affordable - 1 : affordable * 0.999;
                }

                rejections?.Add(new Rejection(date, o with { Quantity = want - Math.Max(0, affordable) }, "insufficient cash"));
                want = Math.Max(0, affordable);
                capped = false;
                if (want == 0) return 0;
                price = Options.Costs.Price(want, reference, sigma, adv, low, high, out costs);
            }
        }

        return want;
    }

    /// <summary>Charges the day's borrow fee on shorts and pays interest on positive cash; returns (borrow, interest).</summary>
    public (double Borrow, double Interest) Finance(Portfolio portfolio)
    {
        var c = Options.Costs;
        double borrow = 0, interest = 0;
        if (c.BorrowFeeAnnual > 0)
        {
            double shorts = 0;
            for (int j = 0; j < portfolio.Count; j++) if (portfolio.Quantity(j) < 0) shorts -= portfolio.Quantity(j) * portfolio.Mark(j);
            double fee = shorts * c.BorrowFeeAnnual / Options.PeriodsPerYear;
            if (fee > 0)
            {
                portfolio.Charge(fee);
                borrow = fee;
            }
        }

        if (c.CashInterestAnnual > 0 && portfolio.Cash > 0)
        {
            interest = portfolio.Cash * c.CashInterestAnnual / Options.PeriodsPerYear;
            portfolio.Charge(-interest);
        }

        return (borrow, interest);
    }

    /// <summary>
    /// The range order <paramref name="o"/>'s fill on bar <paramref name="t"/> must stay inside: the bar's low and high
    /// (a missing one does not bound), and for a limit or stop-limit order its limit (a buy never pays more, a sell
    /// never gets less).
    /// </summary>
    private void Range(Order o, int t, out double low, out double high)
    {
        int i = o.Ticker * _dates + t;
        low = Fields[(int)PriceField.Low][i];
        high = Fields[(int)PriceField.High][i];
        if (!(low > 0)) low = double.NegativeInfinity;
        if (!(high > 0)) high = double.PositiveInfinity;
        if (o.Type is OrderType.Limit or OrderType.StopLimit && o.LimitPrice > 0)
        {
            if (o.Quantity > 0) high = Math.Min(high, o.LimitPrice);
            else low = Math.Max(low, o.LimitPrice);
        }
    }

    private static double[][] Prices(MarketPanel panel, bool adjusted)
    {
        var fields = new double[5][];
        for (int f = 0; f < 5; f++) fields[f] = panel.Column((PriceField)f).ToArray();
        if (adjusted && panel.HasAdjClose)
        {
            var adj = panel.Column(PriceField.AdjClose);
            var close = fields[(int)PriceField.Close];
            for (int i = 0; i < close.Length; i++)
            {
                double factor = close[i] > 0 && adj[i] > 0 ? adj[i] / close[i] : 1;
                for (int f = 0; f < 4; f++) fields[f][i] *= factor;
            }
        }

        return fields;
    }

    /// <summary>σ of bar returns and average volume before each bar of every ticker (<see cref="TrailingStatistics"/>), ticker-major.</summary>
    private static (double[] Sigma, double[] Adv) Trailing(MarketPanel panel, double[][] fields, int window)
    {
        int n = panel.DateCount;
        var sigma = new double[fields[0].Length];
        var adv = new double[fields[0].Length];
        var close = fields[(int)PriceField.Close];
        var volume = fields[(int)PriceField.Volume];
        for (int k = 0; k < panel.TickerCount; k++)
        {
            TrailingStatistics.Compute(close.AsSpan(k * n, n), volume.AsSpan(k * n, n), window, sigma.AsSpan(k * n, n), adv.AsSpan(k * n, n));
        }

        return (sigma, adv);
    }
}
