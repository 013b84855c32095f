namespace Research.Core.Features.Indicators;

/// <summary>Ehlers' Hilbert-transform indicators with TA-Lib's definitions (MAMA/FAMA and HT_*).</summary>
public static class CycleIndicators
{
    /// <summary>Lookback of <see cref="Mama"/>, <see cref="HtDcPeriod"/> and <see cref="HtPhasor"/>: 32.</summary>
    public const int ShortLookback = 32;

    /// <summary>Lookback of <see cref="HtDcPhase"/>, <see cref="HtSine"/>, <see cref="HtTrendline"/> and <see cref="HtTrendMode"/>: 63.</summary>
    public const int LongLookback = 63;

    /// <summary>MESA adaptive moving average and its following average (TA_MAMA): alpha = fast/Δphase, clamped to [slow, fast].</summary>
    public static void Mama(ReadOnlySpan<double> input, Span<double> mama, Span<double> fama, double fastLimit = 0.5, double slowLimit = 0.05)
    {
        if (!(fastLimit is >= 0.01 and <= 0.99)) throw new ArgumentOutOfRangeException(nameof(fastLimit), fastLimit, "fastLimit must be in [0.01, 0.99].");
        if (!(slowLimit is >= 0.01 and <= 0.99)) throw new ArgumentOutOfRangeException(nameof(slowLimit), slowLimit, "slowLimit must be in [0.01, 0.99].");
        Ta.SameLength(input.Length, mama, nameof(mama));
        Ta.SameLength(input.Length, fama, nameof(fama));
        Ta.WarmUp(fama, ShortLookback);
        if (!Ta.WarmUp(mama, ShortLookback)) return;
        var h = HilbertSeries.Get(input, longVariant: false);
        double m = 0, f = 0, prevPhase = 0;
        for (int t = h.First; t < input.Length; t++)
        {
            double phase = h.I1[t] != 0.0 ? Math.Atan(h.Q1[t] / h.I1[t]) * HilbertCycle.Rad2Deg : 0.0;
            double delta = prevPhase - phase;
            prevPhase = phase;
            if (delta < 1.0) delta = 1.0;
            double alpha;
            if (delta > 1.0)
            {
                alpha = fastLimit / delta;
                if (alpha < slowLimit) alpha = slowLimit;
            }
            else
            {
                alpha = fastLimit;
            }

            m = alpha * input[t] + (1 - alpha) * m;
            alpha *= 0.5;
            f = alpha * m + (1 - alpha) * f;
            if (t >= ShortLookback)
            {
                mama[t] = m;
                fama[t] = f;
            }
        }
    }

    /// <summary>Dominant cycle period (TA_HT_DCPERIOD).</summary>
    public static void HtDcPeriod(ReadOnlySpan<double> input, Span<double> output)
    {
        Ta.SameLength(input.Length, output);
        if (!Ta.WarmUp(output, ShortLookback)) return;
        var h = HilbertSeries.Get(input, longVariant: false);
        h.SmoothPeriod.AsSpan(ShortLookback).CopyTo(output[ShortLookback..]);
    }

    /// <summary>Phasor components, in-phase and quadrature (TA_HT_PHASOR).</summary>
    public static void HtPhasor(ReadOnlySpan<double> input, Span<double> inPhase, Span<double> quadrature)
    {
        Ta.SameLength(input.Length, inPhase, nameof(inPhase));
        Ta.SameLength(input.Length, quadrature, nameof(quadrature));
        Ta.WarmUp(quadrature, ShortLookback);
        if (!Ta.WarmUp(inPhase, ShortLookback)) return;
        var h = HilbertSeries.Get(input, longVariant: false);
        h.I1.AsSpan(ShortLookback).CopyTo(inPhase[ShortLookback..]);
        h.Q1.AsSpan(ShortLookback).CopyTo(quadrature[ShortLookback..]);
    }

    /// <summary>Dominant cycle phase in degrees (TA_HT_DCPHASE).</summary>
    public static void HtDcPhase(ReadOnlySpan<double> input, Span<double> output)
    {
        Ta.SameLength(input.Length, output);
        if (!Ta.WarmUp(output, LongLookback)) return;
        var h = HilbertSeries.Get(input, longVariant: true);
        h.Phase.AsSpan(LongLookback).CopyTo(output[LongLookback..]);
    }

    /// <summary>Sine wave and lead sine (45° ahead) of the dominant cycle phase (TA_HT_SINE).</summary>
    public static void HtSine(ReadOnlySpan<double> input, Span<double> sine, Span<double> leadSine)
    {
        Ta.SameLength(input.Length, sine, nameof(sine));
        Ta.SameLength(input.Length, leadSine, nameof(leadSine));
        Ta.WarmUp(leadSine, LongLookback);
        if (!Ta.WarmUp(sine, LongLookback)) return;
        var h = HilbertSeries.Get(input, longVariant: true);
        for (int t = LongLookback; t < input.Length; t++)
        {
            sine[t] = Math.Sin(h.Phase[t] * HilbertCycle.Deg2Rad);
            leadSine[t] = Math.Sin((h.Phase[t] + 45) * HilbertCycle.Deg2Rad);
        }
    }

    /// <summary>Instantaneous trendline (TA_HT_TRENDLINE): a 4-bar WMA of the mean price over the dominant period.</summary>
    public static void HtTrendline(ReadOnlySpan<double> input, Span<double> output)
    {
        Ta.SameLength(input.Length, output);
        if (!Ta.WarmUp(output, LongLookback)) return;
        var h = HilbertSeries.Get(input, longVariant: true);
        double t1 = 0, t2 = 0, t3 = 0;
        for (int t = h.First; t < input.Length; t++)
        {
            double trend = h.Trend[t];
            double line = (4.0 * trend + 3.0 * t1 + 2.0 * t2 + t3) / 10.0;
            t3 = t2;
            t2 = t1;
            t1 = trend;
            if (t >= LongLookback) output[t] = line;
        }
    }

    /// <summary>Trend (1) versus cycle (0) mode (TA_HT_TRENDMODE).</summary>
    public static void HtTrendMode(ReadOnlySpan<double> input, Span<double> output)
    {
        Ta.SameLength(input.Length, output);
        if (!Ta.WarmUp(output, LongLookback)) return;
        var h = HilbertSeries.Get(input, longVariant: true);
        double t1 = 0, t2 = 0, t3 = 0, phase = 0, sine = 0, lead = 0;
        int daysInTrend = 0;
        for (int t = h.First; t < input.Length; t++)
        {
            double prevPhase = phase;
            phase = h.Phase[t];
            double prevSine = sine, prevLead = lead;
            sine = Math.Sin(phase * HilbertCycle.Deg2Rad);
            lead = Math.Sin((phase + 45) * HilbertCycle.Deg2Rad);
            double trend = h.Trend[t];
            double line = (4.0 * trend + 3.0 * t1 + 2.0 * t2 + t3) / 10.0;
            t3 = t2;
            t2 = t1;
            t1 = trend;
            int mode = 1;
            if ((sine > lead && prevSine <= prevLead) || (sine < lead && prevSine >= prevLead))
            {
                daysInTrend = 0;
                mode = 0;
            }

            daysInTrend++;
            double sp = h.SmoothPeriod[t];
            if (daysInTrend < 0.5 * sp) mode = 0;
            double dPhase = phase - prevPhase;
            if (sp != 0.0 && dPhase > 0.67 * 360.0 / sp && dPhase < 1.5 * 360.0 / sp) mode = 0;
            if (line != 0.0 && Math.Abs((h.Smoothed[t] - line) / line) >= 0.015) mode = 1;
            if (t >= LongLookback) output[t] = mode;
        }
    }
}
