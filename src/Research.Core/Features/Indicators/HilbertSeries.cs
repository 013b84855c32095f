namespace Research.Core.Features.Indicators;

/// <summary>
/// The per-bar state of one <see cref="HilbertCycle"/> pass over a series, from which every HT_* indicator and MAMA
/// derive. The last pass per thread and variant is kept (keyed by the input's values), so computing several HT
/// indicators of the same series runs the transform once; results are identical either way.
/// </summary>
internal sealed class HilbertSeries
{
    [ThreadStatic] private static (double[] Input, HilbertSeries Series)? _short;
    [ThreadStatic] private static (double[] Input, HilbertSeries Series)? _long;

    private HilbertSeries(int n, bool withPhase)
    {
        I1 = new double[n];
        Q1 = new double[n];
        SmoothPeriod = new double[n];
        Smoothed = new double[n];
        if (withPhase)
        {
            Phase = new double[n];
            Trend = new double[n];
        }
    }

    /// <summary>First bar the pass produced (3 + priming).</summary>
    public int First { get; private set; }

    public double[] I1 { get; }

    public double[] Q1 { get; }

    public double[] SmoothPeriod { get; }

    public double[] Smoothed { get; }

    /// <summary>Dominant cycle phase (long variant only).</summary>
    public double[] Phase { get; } = [];

    /// <summary>Instantaneous trend: mean of the input over the integer dominant period (long variant only).</summary>
    public double[] Trend { get; } = [];

    /// <summary>
    /// The pass over <paramref name="x"/>: the short variant primes the price WMA with 9 bars (MAMA, HT_DCPERIOD,
    /// HT_PHASOR), the long one with 34 and adds the phase and trend (HT_DCPHASE, HT_SINE, HT_TRENDLINE, HT_TRENDMODE).
    /// </summary>
    public static HilbertSeries Get(ReadOnlySpan<double> x, bool longVariant)
    {
        var cached = longVariant ? _long : _short;
        if (cached is { } c && x.SequenceEqual(c.Input)) return c.Series;
        var input = cached is { } old && old.Input.Length == x.Length ? old.Input : new double[x.Length];
        x.CopyTo(input);
        var series = Compute(input, longVariant, cached is { } reuse && reuse.Input.Length == x.Length ? reuse.Series : null);
        if (longVariant) _long = (input, series);
        else _short = (input, series);
        return series;
    }

    private static HilbertSeries Compute(double[] x, bool longVariant, HilbertSeries? reuse)
    {
        int priming = longVariant ? 34 : 9;
        var h = new HilbertCycle(x, priming);
        var s = reuse ?? new HilbertSeries(x.Length, longVariant);
        s.First = h.Today;
        while (h.Today < x.Length)
        {
            int t = h.Today;
            h.Filter();
            s.I1[t] = h.I1;
            s.Q1[t] = h.Q1;
            s.Smoothed[t] = h.Smoothed;
            h.UpdatePeriod();
            s.SmoothPeriod[t] = h.SmoothPeriod;
            h.Next();
        }

        if (longVariant) PhaseAndTrend(x, s);
        return s;
    }

    /// <summary>
    /// TA-Lib's dominant cycle phase (a DFT of the last integer-period smoothed prices, zero before the first bar) and
    /// instantaneous trend, in a second pass: neither feeds back into the filter, so this is the same arithmetic.
    /// </summary>
    private static void PhaseAndTrend(double[] x, HilbertSeries s)
    {
        double phase = 0;
        for (int t = s.First; t < x.Length; t++)
        {
            double smoothPeriod = s.SmoothPeriod[t];
            int dcPeriod = (int)(smoothPeriod + 0.5);
            var (sin, cos) = HilbertCycle.SinCos(dcPeriod);
            double real = 0, imag = 0;
            for (int i = 0; i < dcPeriod; i++)
            {
                int j = t - i;
                double v = j >= s.First ? s.Smoothed[j] : 0.0;
                real += sin[i] * v;
                imag += cos[i] * v;
            }

            double abs = Math.Abs(imag);
            if (abs > 0.0) phase = Math.Atan(real / imag) * HilbertCycle.Rad2Deg;
            else if (abs <= 0.01)
            {
                if (real < 0.0) phase -= 90.0;
                else if (real > 0.0) phase += 90.0;
            }

            phase += 90.0;
            phase += 360.0 / smoothPeriod;
            if (imag < 0.0) phase += 180.0;
            if (phase > 315.0) phase -= 360.0;
            s.Phase[t] = phase;

            double sum = 0;
            for (int i = 0; i < dcPeriod; i++) sum += x[t - i];
            s.Trend[t] = dcPeriod > 0 ? sum / dcPeriod : sum;
        }
    }
}
