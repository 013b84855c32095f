namespace Research.Core.Features.Indicators;

/// <summary>
/// Ehlers' Hilbert-transform machinery as TA-Lib runs it (shared by MAMA and the HT_* indicators): a 4-bar WMA of
/// price, the 7-tap Hilbert FIR (0.0962, 0.5769) applied separately to odd and even bars, the homodyne discriminator
/// for the dominant cycle period, and a smoothed price.
/// </summary>
internal sealed class HilbertCycle
{
    public const int RingSize = 50;
    private readonly double[] _x;
    private readonly Fir _detrender = new(), _q1 = new(), _ji = new(), _jq = new();
    private double _wmaSub, _wmaSum, _trailingWmaValue;
    private int _trailingWmaIdx, _hilbertIdx;
    private double _i1OddPrev3, _i1OddPrev2, _i1EvenPrev3, _i1EvenPrev2, _prevI2, _prevQ2, _re, _im;

    /// <summary>Primes the price WMA with the first 3 + <paramref name="priming"/> values; <see cref="Today"/> is the next bar.</summary>
    public HilbertCycle(double[] x, int priming)
    {
        _x = x;
        _wmaSub = x[0] + x[1] + x[2];
        _wmaSum = x[0] + x[1] * 2.0 + x[2] * 3.0;
        Today = 3;
        for (int i = 0; i < priming; i++) SmoothPrice(x[Today++]);
    }

    /// <summary>The next bar to process.</summary>
    public int Today { get; private set; }

    /// <summary>Smoothed price of the last bar.</summary>
    public double Smoothed { get; private set; }

    /// <summary>In-phase component (the detrended price three bars back) of the last bar.</summary>
    public double I1 { get; private set; }

    /// <summary>Quadrature component of the last bar.</summary>
    public double Q1 { get; private set; }

    /// <summary>Dominant cycle period (before the final smoothing).</summary>
    public double Period { get; private set; }

    /// <summary>Smoothed dominant cycle period.</summary>
    public double SmoothPeriod { get; private set; }


    /// <summary>Smooths bar <see cref="Today"/> and runs the Hilbert filters over it (sets Smoothed, I1, Q1).</summary>
    public void Filter()
    {
        double adjusted = 0.075 * Period + 0.54;
        SmoothPrice(_x[Today]);
        double q2, i2;
        if (Today % 2 == 0)
        {
            double detrender = _detrender.Even(Smoothed, _hilbertIdx, adjusted);
            Q1 = _q1.Even(detrender, _hilbertIdx, adjusted);
            I1 = _i1EvenPrev3;
            double ji = _ji.Even(_i1EvenPrev3, _hilbertIdx, adjusted);
            double jq = _jq.Even(Q1, _hilbertIdx, adjusted);
            if (++_hilbertIdx == 3) _hilbertIdx = 0;
            q2 = 0.2 * (Q1 + ji) + 0.8 * _prevQ2;
            i2 = 0.2 * (_i1EvenPrev3 - jq) + 0.8 * _prevI2;
            _i1OddPrev3 = _i1OddPrev2;
            _i1OddPrev2 = detrender;
        }
        else
        {
            double detrender = _detrender.Odd(Smoothed, _hilbertIdx, adjusted);
            Q1 = _q1.Odd(detrender, _hilbertIdx, adjusted);
            I1 = _i1OddPrev3;
            double ji = _ji.Odd(_i1OddPrev3, _hilbertIdx, adjusted);
            double jq = _jq.Odd(Q1, _hilbertIdx, adjusted);
            q2 = 0.2 * (Q1 + ji) + 0.8 * _prevQ2;
            i2 = 0.2 * (_i1OddPrev3 - jq) + 0.8 * _prevI2;
            _i1EvenPrev3 = _i1EvenPrev2;
            _i1EvenPrev2 = detrender;
        }

        _re = 0.2 * (i2 * _prevI2 + q2 * _prevQ2) + 0.8 * _re;
        _im = 0.2 * (i2 * _prevQ2 - q2 * _prevI2) + 0.8 * _im;
        _prevQ2 = q2;
        _prevI2 = i2;
    }

    /// <summary>Updates the dominant cycle period from the discriminator (clamped to [6, 50] and to ±50%/−33% of the last).</summary>
    public void UpdatePeriod()
    {
        double previous = Period, p = Period;
        if (_im != 0.0 && _re != 0.0) p = 360.0 / (Math.Atan(_im / _re) * Rad2Deg);
        if (p > 1.5 * previous) p = 1.5 * previous;
        if (p < 0.67 * previous) p = 0.67 * previous;
        if (p < 6) p = 6;
        else if (p > 50) p = 50;
        Period = 0.2 * p + 0.8 * previous;
        SmoothPeriod = 0.33 * Period + 0.67 * SmoothPeriod;
    }

    /// <summary>Moves to the next bar.</summary>
    public void Next() => Today++;

    public static readonly double Rad2Deg = 45.0 / Math.Atan(1);
    public static readonly double Deg2Rad = 1.0 / Rad2Deg;
    private static readonly double TwoPi = Math.Atan(1) * 8.0;

    /// <summary>sin and cos of i·2π/p for every integer period p the DFT can use (the same values Math.Sin/Cos give inline).</summary>
    private static readonly (double[] Sin, double[] Cos)[] Tables = Enumerable.Range(0, RingSize + 2).Select(Table).ToArray();

    /// <summary>sin and cos of i·2π/<paramref name="p"/> for i in [0, p).</summary>
    public static (double[] Sin, double[] Cos) SinCos(int p) => p < Tables.Length ? Tables[p] : Table(p);

    private static (double[] Sin, double[] Cos) Table(int p)
    {
        var sin = new double[p];
        var cos = new double[p];
        for (int i = 0; i < p; i++)
        {
            double angle = i * TwoPi / p;
            sin[i] = Math.Sin(angle);
            cos[i] = Math.Cos(angle);
        }

        return (sin, cos);
    }

    private void SmoothPrice(double value)
    {
        _wmaSub += value;
        _wmaSub -= _trailingWmaValue;
        _wmaSum += value * 4.0;
        _trailingWmaValue = _x[_trailingWmaIdx++];
        Smoothed = _wmaSum * 0.1;
        _wmaSum -= _wmaSub;
    }

    /// <summary>The Hilbert FIR a·x[t] + b·x[t−2] − b·x[t−4] − a·x[t−6], kept separately for odd and even bars.</summary>
    private sealed class Fir
    {
        private const double A = 0.0962, B = 0.5769;
        private readonly double[] _odd = new double[3], _even = new double[3];
        private double _prevOdd, _prevEven, _prevInputOdd, _prevInputEven;

        public double Odd(double input, int idx, double adjusted) =>
            Step(_odd, ref _prevOdd, ref _prevInputOdd, input, idx, adjusted);

        public double Even(double input, int idx, double adjusted) =>
            Step(_even, ref _prevEven, ref _prevInputEven, input, idx, adjusted);

        private static double Step(double[] ring, ref double prev, ref double prevInput, double input, int idx, double adjusted)
        {
            double scaled = A * input;
            double v = -ring[idx];
            ring[idx] = scaled;
            v += scaled;
            v -= prev;
            prev = B * prevInput;
            v += prev;
            prevInput = input;
            return v * adjusted;
        }
    }
}
