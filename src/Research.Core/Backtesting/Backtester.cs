using Research.Core.Data;
using Research.Core.Risk;

namespace Research.Core.Backtesting;

/// <summary>
/// The event-driven engine. For each bar t of [Start, End): working orders fill against bar t (at its open, or at limit
/// and stop prices inside its range; capped at a share of its volume), positions are marked at the close, financing is
/// charged, the risk manager's exits and breaker run, the strategy sees bars up to t and submits orders (filled at
/// t + 1's open, or at t's close when <see cref="FillTiming.SameClose"/> is asked for), and the day is recorded.
/// </summary>
public sealed class Backtester
{
    private readonly IStrategy _strategy;
    private readonly OrderExecution _execution;
    private readonly double[][] _fields;
    private readonly double[] _adv;
    private readonly List<Order> _working = [];
    private readonly List<Fill> _fills = [];
    private readonly List<Rejection> _rejections = [];
    private readonly List<FillCheck> _checks = [];
    private readonly List<RiskExit> _exits = [];
    private long _nextId = 1;
    private double _dayPnl, _dayCosts, _dayTraded;

    private Backtester(MarketPanel panel, IStrategy strategy, BacktestOptions options)
    {
        Panel = panel;
        _strategy = strategy;
        Options = options.Validate(panel.DateCount) with { End = options.End == 0 ? panel.DateCount : options.End };
        Portfolio = new Portfolio(panel.Tickers, options.InitialCash);
        Risk = options.Risk is { } limits ? new RiskManager(limits) : null;
        _execution = new OrderExecution(panel, Options, Risk);
        _fields = _execution.Fields;
        _adv = _execution.Adv;
    }

    /// <summary>The panel.</summary>
    public MarketPanel Panel { get; }

    /// <summary>The options, with <see cref="BacktestOptions.End"/> resolved.</summary>
    public BacktestOptions Options { get; }

    /// <summary>The portfolio.</summary>
    public Portfolio Portfolio { get; }

    /// <summary>The risk manager, when limits were given.</summary>
    public RiskManager? Risk { get; }

    /// <summary>The current bar.</summary>
    public int Today { get; private set; }

    /// <summary>The exposure multiplier strategies' target weights use today.</summary>
    public double CurrentScale { get; private set; } = 1;

    /// <summary>Runs <paramref name="strategy"/> over <paramref name="panel"/>.</summary>
    public static BacktestResult Run(MarketPanel panel, IStrategy strategy, BacktestOptions options)
    {
        var engine = new Backtester(panel, strategy, options);
        return engine.Execute();
    }

    internal ReadOnlySpan<double> Series(PriceField field, int k) =>
        _fields[(int)field].AsSpan(k * Panel.DateCount, Panel.DateCount);

    internal void Submit(Order order)
    {
        if (order.Ticker < 0 || order.Ticker >= Panel.TickerCount)
        {
            throw new ArgumentOutOfRangeException(nameof(order), order.Ticker, $"Order ticker index {order.Ticker} is not in [0, {Panel.TickerCount}).");
        }

        if (!double.IsFinite(order.Quantity) || order.Quantity == 0)
        {
            _rejections.Add(new Rejection(Panel.Calendar[Today], order, "quantity must be a non-zero finite number"));
            return;
        }

        bool needsLimit = order.Type is OrderType.Limit or OrderType.StopLimit, needsStop = order.Type is OrderType.Stop or OrderType.StopLimit;
        if ((needsLimit && !(order.LimitPrice > 0)) || (needsStop && !(order.StopPrice > 0)))
        {
            _rejections.Add(new Rejection(Panel.Calendar[Today], order, $"{order.Type} order needs a positive {(needsLimit && !(order.LimitPrice > 0) ? "limit" : "stop")} price"));
            return;
        }

        _working.Add(order with { Id = _nextId++ });
    }

    internal void Cancel(int ticker)
    {
        if (ticker < 0)
        {
            _working.Clear();
            return;
        }

        int kept = 0;
        for (int i = 0; i < _working.Count; i++)
        {
            if (_working[i].Ticker != ticker) _working[kept++] = _working[i];
        }

        _working.RemoveRange(kept, _working.Count - kept);
    }

    private BacktestResult Execute()
    {
        var context = new StrategyContext(this);
        int n = Panel.DateCount, k = Panel.TickerCount, days = Options.End - Options.Start;
        var close = _fields[(int)PriceField.Close];
        for (int j = 0; j < k; j++)
        {
            // Marks start at the last close before the backtest (history), so the first day's P&L is the first day's move.
            for (int t = Options.Start - 1; t >= 0; t--)
            {
                if (close[j * n + t] > 0) { Portfolio.SetMark(j, close[j * n + t]); break; }
            }
        }

        // Every output is allocated once up front: the bar loop itself allocates nothing (orders and fills are events).
        var dates = new DateOnly[days];
        var equityCurve = new double[days];
        var returns = new double[days];
        var daily = new DailyRecord[days];
        var weights = new double[days * k];
        double previousEquity = Options.InitialCash;
        for (int i = 0; i < days; i++)
        {
            int t = Options.Start + i;
            Today = t;
            var date = Panel.Calendar[t];
            _dayPnl = _dayCosts = _dayTraded = 0;

            // 1. Working orders against bar t, at its open and inside its range.
            if (_working.Count > 0)
            {
                MarkTo(PriceField.Open, t);
                ExecuteWorking(t, atOpen: true);
            }

            // 2. Close: marks, financing.
            MarkTo(PriceField.Close, t);
            Finance();

            // 3. Risk: exits and breaker at the close, exposure scale for today's targets.
            if (Risk is not null)
            {
                _exits.Clear();
                Risk.AfterClose(date, Panel.Tickers, Portfolio, _exits);
                for (int x = _exits.Count - 1; x >= 0; x--)
                {
                    var exit = _exits[x];
                    Cancel(exit.Ticker);
                    _working.Insert(0, new Order(exit.Ticker, exit.Quantity, Tag: exit.Rule) { Id = _nextId++ });
                }

                double turbulence = Options.Turbulence is { } tb ? tb[t] : double.NaN;
                CurrentScale = Risk.ExposureScale(date, returns.AsSpan(0, i), turbulence, Options.PeriodsPerYear);
            }

            // 4. The strategy, on bars up to t.
            _strategy.OnBar(context);

            // 5. Optimistic mode: market orders fill at this close.
            if (Options.Fill == FillTiming.SameClose && _working.Count > 0) ExecuteWorking(t, atOpen: false);

            double equity = Portfolio.Equity;
            returns[i] = equity / previousEquity - 1;
            daily[i] = new DailyRecord(date, Portfolio.Cash, equity, Portfolio.GrossExposure, Portfolio.NetExposure,
                equity > 0 ? _dayTraded / equity : 0, _dayPnl, _dayCosts, Portfolio.RealizedPnl, Portfolio.UnrealizedPnl);
            dates[i] = date;
            equityCurve[i] = equity;
            if (equity > 0)
            {
                for (int j = 0; j < k; j++)
                {
                    double q = Portfolio.Quantity(j);
                    if (q != 0) weights[i * k + j] = q * Portfolio.Mark(j) / equity;
                }
            }

            previousEquity = equity;
        }

        foreach (var o in _working) _rejections.Add(new Rejection(Panel.Calendar[Options.End - 1], o, "still working when the backtest ended"));
        return new BacktestResult(_strategy.Name, Options, dates, equityCurve, returns, daily, weights, _fills, _rejections,
            Portfolio.RoundTrips, Risk?.Interventions ?? [], _checks, _borrow, _interest);
    }

    private double _borrow, _interest;

    private void MarkTo(PriceField field, int t)
    {
        var prices = _fields[(int)field];
        int n = Panel.DateCount;
        for (int j = 0; j < Panel.TickerCount; j++)
        {
            double p = prices[j * n + t];
            if (!(p > 0)) continue;
            double q = Portfolio.Quantity(j), old = Portfolio.Mark(j);
            if (q != 0 && old > 0) _dayPnl += q * (p - old);
            Portfolio.SetMark(j, p);
        }
    }

    private void Finance()
    {
        var (borrow, interest) = _execution.Finance(Portfolio);
        _borrow += borrow;
        _interest += interest;
        _dayCosts += borrow;
        _dayCosts -= interest;
    }

    private void ExecuteWorking(int t, bool atOpen)
    {
        int n = Panel.DateCount;
        var date = Panel.Calendar[t];
        var still = _still;
        still.Clear();
        var orders = _pending;
        orders.Clear();
        orders.AddRange(_working);
        _working.Clear();
        foreach (var order in orders)
        {
            int j = order.Ticker, i = j * n + t;
            double open = _fields[(int)PriceField.Open][i], high = _fields[(int)PriceField.High][i], low = _fields[(int)PriceField.Low][i];
            double close = _fields[(int)PriceField.Close][i], volume = _fields[(int)PriceField.Volume][i];
            bool buy = order.Quantity > 0;
            var o = order;
            double reference = double.NaN;
            if (atOpen)
            {
                if (!(open > 0)) { still.Add(o); continue; }
                if (o.Type is OrderType.Stop or OrderType.StopLimit)
                {
                    double trigger = buy ? (open >= o.StopPrice ? open : high >= o.StopPrice ? o.StopPrice : double.NaN)
                                         : (open <= o.StopPrice ? open : low <= o.StopPrice ? o.StopPrice : double.NaN);
                    if (double.IsNaN(trigger)) { still.Add(o); continue; }
                    if (o.Type == OrderType.Stop) reference = trigger;
                    else
                    {
                        o = o with { Type = OrderType.Limit };
                        if (buy ? trigger <= o.LimitPrice : trigger >= o.LimitPrice) reference = trigger;
                        else { still.Add(o); continue; }
                    }
                }
                else if (o.Type == OrderType.Limit)
                {
                    reference = buy ? (open <= o.LimitPrice ? open : low <= o.LimitPrice ? o.LimitPrice : double.NaN)
                                    : (open >= o.LimitPrice ? open : high >= o.LimitPrice ? o.LimitPrice : double.NaN);
                    if (double.IsNaN(reference)) { still.Add(o); continue; }
                }
                else
                {
                    reference = open;
                }
            }
            else
            {
                if (!(close > 0)) { still.Add(o); continue; }
                bool fills = o.Type switch
                {
                    OrderType.Market => true,
                    OrderType.Limit => buy ? close <= o.LimitPrice : close >= o.LimitPrice,
                    _ => buy ? close >= o.StopPrice && (o.Type == OrderType.Stop || close <= o.LimitPrice)
                             : close <= o.StopPrice && (o.Type == OrderType.Stop || close >= o.LimitPrice),
                };
                if (!fills) { still.Add(o); continue; }
                reference = close;
            }

            var (filled, capped) = FillOrder(o, t, date, reference, volume);
            double rest = o.Quantity - filled;
            if (Math.Abs(rest) >= (Options.WholeShares ? 1 : 1e-9) && capped)
            {
                still.Add(o with { Quantity = rest });
            }
        }

        _working.InsertRange(0, still);
    }

    private readonly List<Order> _still = [], _pending = [];

    /// <summary>
    /// Fills as much of <paramref name="o"/> as the volume cap, shorting, cash and risk allow; returns the signed quantity
    /// filled and whether only the volume cap held it back (then the rest keeps working; other cuts are rejections).
    /// </summary>
    private (double Filled, bool Capped) FillOrder(Order o, int t, DateOnly date, double reference, double volume)
    {
        int j = o.Ticker;
        string symbol = Panel.Tickers[j];
        double want = _execution.CapToVolume(o.Quantity, volume, out bool capped);
        if (want == 0) return (0, true);

        // The fill's reference becomes the ticker's mark, so limits are checked and recorded at the traded price.
        double held = Portfolio.Quantity(j);
        if (held != 0 && Portfolio.Mark(j) > 0) _dayPnl += held * (reference - Portfolio.Mark(j));
        Portfolio.SetMark(j, reference);
        want = _execution.Approve(o, want, t, date, reference, Portfolio, _rejections, ref capped, out double price, out var costs);
        if (want == 0) return (0, false);
        var fill = new Fill(date, j, symbol, want, price, reference, costs, o.Id, o.Tag) { Bar = t };
        Portfolio.Apply(fill);
        _fills.Add(fill);
        double mark = Portfolio.Mark(j);
        _dayPnl += want * (mark - reference);
        _dayCosts += costs.Total;
        _dayTraded += Math.Abs(want * reference);
        _checks.Add(new FillCheck(date, j, Portfolio.Quantity(j) * mark, Portfolio.GrossExposure, Portfolio.NetExposure, Portfolio.Equity, _adv[j * Panel.DateCount + t]));
        return (want, capped);
    }
}
