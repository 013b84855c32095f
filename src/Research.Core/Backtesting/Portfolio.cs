using Research.Core.Risk;

namespace Research.Core.Backtesting;

/// <summary>
/// Cash and positions with average costs, marked at each ticker's last valid close; FIFO lots for round trips.
/// </summary>
public sealed class Portfolio : IPortfolioView
{
    private readonly double[] _quantity, _avgCost, _mark;
    private readonly List<Lot>[] _lots;
    private readonly int[] _head;
    private readonly string[] _symbols;
    private readonly List<RoundTrip> _roundTrips = [];

    internal Portfolio(IReadOnlyList<string> symbols, double cash)
    {
        _symbols = [.. symbols];
        _quantity = new double[symbols.Count];
        _avgCost = new double[symbols.Count];
        _mark = Enumerable.Repeat(double.NaN, symbols.Count).ToArray();
        _lots = symbols.Select(_ => new List<Lot>()).ToArray();
        _head = new int[symbols.Count];
        Cash = cash;
    }

    /// <inheritdoc />
    public int Count => _quantity.Length;

    /// <inheritdoc />
    public double Cash { get; private set; }

    /// <summary>Realised P&amp;L of closed lots (net of their fills' costs).</summary>
    public double RealizedPnl { get; private set; }

    /// <inheritdoc />
    public double Equity
    {
        get
        {
            double e = Cash;
            for (int k = 0; k < _quantity.Length; k++) if (_quantity[k] != 0) e += _quantity[k] * _mark[k];
            return e;
        }
    }

    /// <inheritdoc />
    public double GrossExposure
    {
        get
        {
            double g = 0;
            for (int k = 0; k < _quantity.Length; k++) if (_quantity[k] != 0) g += Math.Abs(_quantity[k] * _mark[k]);
            return g;
        }
    }

    /// <inheritdoc />
    public double NetExposure
    {
        get
        {
            double n = 0;
            for (int k = 0; k < _quantity.Length; k++) if (_quantity[k] != 0) n += _quantity[k] * _mark[k];
            return n;
        }
    }

    /// <summary>Unrealised P&amp;L of open positions at their marks versus average cost.</summary>
    public double UnrealizedPnl
    {
        get
        {
            double u = 0;
            for (int k = 0; k < _quantity.Length; k++) if (_quantity[k] != 0) u += _quantity[k] * (_mark[k] - _avgCost[k]);
            return u;
        }
    }

    /// <summary>Closed round trips so far.</summary>
    public IReadOnlyList<RoundTrip> RoundTrips => _roundTrips;

    /// <inheritdoc />
    public double Quantity(int k) => _quantity[k];

    /// <inheritdoc />
    public double Mark(int k) => _mark[k];

    /// <inheritdoc />
    public double AverageCost(int k) => _avgCost[k];

    internal void SetMark(int k, double price)
    {
        if (price > 0) _mark[k] = price;
    }

    internal void Charge(double amount) => Cash -= amount;

    /// <summary>Books a fill: cash, position, average cost and lots (commission spread over the lot's shares).</summary>
    internal void Apply(Fill f)
    {
        int k = f.Ticker;
        Cash -= f.Quantity * f.Price + f.Costs.Commission;
        double perShareCommission = f.Costs.Commission / Math.Abs(f.Quantity);
        double q = _quantity[k], add = f.Quantity;
        if (q == 0 || Math.Sign(q) == Math.Sign(add))
        {
            double total = q + add;
            _avgCost[k] = (q * _avgCost[k] + add * f.Price) / total;
            _quantity[k] = total;
            _lots[k].Add(new Lot(f.Date, add, f.Price, perShareCommission));
            return;
        }

        // Closing (and possibly reversing): match against the oldest lots.
        double remaining = add;
        var lots = _lots[k];
        while (remaining != 0 && _head[k] < lots.Count)
        {
            var lot = lots[_head[k]];
            double matched = Math.Sign(remaining) * Math.Min(Math.Abs(remaining), Math.Abs(lot.Quantity));
            double closed = -matched; // shares of the lot closed (same sign as the lot)
            double pnl = closed * (f.Price - lot.Price) - Math.Abs(closed) * (lot.Commission + perShareCommission);
            RealizedPnl += pnl;
            _roundTrips.Add(new RoundTrip(_symbols[k], lot.Date, f.Date, closed, lot.Price, f.Price, pnl, f.Date.DayNumber - lot.Date.DayNumber));
            remaining -= matched;
            if (Math.Abs(lot.Quantity) - Math.Abs(closed) < 1e-9) _head[k]++;
            else lots[_head[k]] = lot with { Quantity = lot.Quantity - closed };
        }

        if (_head[k] == lots.Count)
        {
            lots.Clear();
            _head[k] = 0;
        }

        _quantity[k] = q + add;
        if (Math.Abs(_quantity[k]) < 1e-9)
        {
            _quantity[k] = 0;
            _avgCost[k] = 0;
        }
        else if (remaining != 0)
        {
            // Reversed through zero: the rest opens a new position at the fill price.
            _avgCost[k] = f.Price;
            _lots[k].Add(new Lot(f.Date, remaining, f.Price, perShareCommission));
        }
    }

    private readonly record struct Lot(DateOnly Date, double Quantity, double Price, double Commission);
}
