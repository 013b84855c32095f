namespace Research.Core.Features.Indicators;

/// <summary>An EMA fed one value at a time: the mean of its first period inputs, then (x − ema)·k + ema, as <see cref="MovingAverages.Ema"/> computes it
/// (TA-Lib's seeding), so several chained EMAs can advance together bar by bar.</summary>
internal struct SeededEma
{
    private int _count;
    private double _value;

    /// <summary>The EMA after the last push (the running sum while seeding).</summary>
    public readonly double Value => _value;

    /// <summary>Feeds x; returns whether the EMA has a value (false while the seed's window is filling).</summary>
    public bool Push(double x, int period, double k)
    {
        if (_count >= period)
        {
            _value = (x - _value) * k + _value;
            return true;
        }

        _value += x;
        if (++_count < period) return false;
        _value /= period;
        return true;
    }
}
