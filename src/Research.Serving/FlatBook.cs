using Research.Core.Risk;

namespace Research.Serving;

/// <summary>
/// The book the pre-trade check runs against: all cash at first, then holding each approved order in turn (marked at
/// its price, costs ignored), so later orders see the exposure of earlier ones as in a rebalance.
/// </summary>
internal sealed class FlatBook(int count, double equity) : IPortfolioView
{
    private readonly double[] _quantity = new double[count];
    private readonly double[] _mark = Enumerable.Repeat(double.NaN, count).ToArray();

    public int Count => _quantity.Length;

    public double Cash { get; private set; } = equity;

    public double Equity
    {
        get
        {
            double e = Cash;
            for (int k = 0; k < Count; k++) e += _quantity[k] == 0 ? 0 : _quantity[k] * _mark[k];
            return e;
        }
    }

    public double GrossExposure
    {
        get
        {
            double g = 0;
            for (int k = 0; k < Count; k++) g += _quantity[k] == 0 ? 0 : Math.Abs(_quantity[k] * _mark[k]);
            return g;
        }
    }

    public double NetExposure
    {
        get
        {
            double n = 0;
            for (int k = 0; k < Count; k++) n += _quantity[k] == 0 ? 0 : _quantity[k] * _mark[k];
            return n;
        }
    }

    public double Quantity(int k) => _quantity[k];

    public double Mark(int k) => _mark[k];

    public double AverageCost(int k) => _quantity[k] == 0 ? 0 : _mark[k];

    /// <summary>Buys <paramref name="quantity"/> shares of ticker <paramref name="k"/> at <paramref name="price"/>.</summary>
    public void Buy(int k, double quantity, double price)
    {
        _quantity[k] += quantity;
        _mark[k] = price;
        Cash -= quantity * price;
    }
}
