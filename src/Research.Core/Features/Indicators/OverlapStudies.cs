namespace Research.Core.Features.Indicators;

/// <summary>Bands, stop-and-reverse and range midpoints with TA-Lib's definitions (BBANDS, SAR, MIDPOINT, MIDPRICE).</summary>
public static class OverlapStudies
{
    /// <summary>Lookback of <see cref="Bbands"/>: that of the moving average.</summary>
    public static int BbandsLookback(int period = 5, MaType maType = MaType.Sma) => MovingAverages.MaLookback(period, maType);

    /// <summary>
    /// Bollinger bands (TA_BBANDS): middle = MA(period), upper/lower = middle ± k·σ with σ the population standard
    /// deviation of the last <paramref name="period"/> values (0 when the variance is below 1e-8, as TA-Lib).
    /// </summary>
    public static void Bbands(ReadOnlySpan<double> input, Span<double> upper, Span<double> middle, Span<double> lower,
        int period = 5, double devUp = 2, double devDown = 2, MaType maType = MaType.Sma)
    {
        Ta.Period(period, 2, nameof(period), input.Length);
        Ta.SameLength(input.Length, upper, nameof(upper));
        Ta.SameLength(input.Length, middle, nameof(middle));
        Ta.SameLength(input.Length, lower, nameof(lower));
        if (maType == MaType.Sma)
        {
            SmaBands(input, upper, middle, lower, period, devUp, devDown);
            return;
        }

        MovingAverages.Ma(input, middle, period, maType);
        int lookback = BbandsLookback(period, maType);
        Ta.WarmUp(upper, lookback);
        Ta.WarmUp(lower, lookback);
        double sum = 0, sumSq = 0;
        for (int i = 0; i < input.Length; i++)
        {
            sum += input[i];
            sumSq += input[i] * input[i];
            if (i >= period)
            {
                double old = input[i - period];
                sum -= old;
                sumSq -= old * old;
            }

            if (i < lookback) continue;
            double variance = maType == MaType.Sma
                ? sumSq / period - middle[i] * middle[i]
                : sumSq / period - sum / period * (sum / period);
            double sd = Ta.IsZeroOrNeg(variance) ? 0 : Math.Sqrt(variance);
            upper[i] = middle[i] + devUp * sd;
            lower[i] = middle[i] - devDown * sd;
        }
    }

    /// <summary>
    /// BBANDS over an SMA: one pass with the SMA's running sum (added, divided, then the oldest value dropped, exactly as
    /// <see cref="MovingAverages.Sma"/>) next to the running sum of squares, giving the mean and variance; then the
    /// standard deviations and bands.
    /// </summary>
    private static void SmaBands(ReadOnlySpan<double> x, Span<double> upper, Span<double> middle, Span<double> lower,
        int period, double devUp, double devDown)
    {
        int lookback = period - 1;
        Ta.WarmUp(upper, lookback);
        Ta.WarmUp(lower, lookback);
        if (!Ta.WarmUp(middle, lookback)) return;
        double sum = 0, sumSq = 0;
        for (int i = 0; i < lookback; i++)
        {
            sum += x[i];
            sumSq += x[i] * x[i];
        }

        for (int i = lookback; i < x.Length; i++)
        {
            sumSq += x[i] * x[i];
            if (i >= period) sumSq -= x[i - period] * x[i - period];
            sum += x[i];
            double mean = sum / period;
            sum -= x[i - lookback];
            middle[i] = mean;
            lower[i] = sumSq / period - mean * mean;
        }

        // The standard deviations (vectorised square roots), then the bands.
        Ta.SqrtOrZero(lower[lookback..], 1.0);
        for (int i = lookback; i < x.Length; i++)
        {
            double sd = lower[i];
            upper[i] = middle[i] + devUp * sd;
            lower[i] = middle[i] - devDown * sd;
        }
    }

    /// <summary>Lookback of <see cref="Sar"/>: 1.</summary>
    public static int SarLookback() => 1;

    /// <summary>
    /// Parabolic SAR (TA_SAR). The first position is short when the second bar's −DM(1) is positive, else long; the
    /// initial SAR is the first bar's low (long) or high (short).
    /// </summary>
    public static void Sar(ReadOnlySpan<double> high, ReadOnlySpan<double> low, Span<double> output,
        double acceleration = 0.02, double maximum = 0.2)
    {
        Ta.SameLength(high.Length, output);
        if (low.Length != high.Length) throw new ArgumentException("low and high differ in length.", nameof(low));
        if (!(acceleration >= 0)) throw new ArgumentOutOfRangeException(nameof(acceleration), acceleration, "acceleration must be ≥ 0.");
        if (!(maximum >= 0)) throw new ArgumentOutOfRangeException(nameof(maximum), maximum, "maximum must be ≥ 0.");
        if (!Ta.WarmUp(output, 1)) return;
        double step = Math.Min(acceleration, maximum);
        double af = step;
        double upMove = high[1] - high[0], downMove = low[0] - low[1];
        bool isLong = !(downMove > 0 && upMove < downMove);
        double ep = isLong ? high[1] : low[1];
        double sar = isLong ? low[0] : high[0];
        double newHigh = high[1], newLow = low[1];
        for (int t = 1; t < high.Length; t++)
        {
            double prevLow = newLow, prevHigh = newHigh;
            newLow = low[t];
            newHigh = high[t];
            if (isLong)
            {
                if (newLow <= sar)
                {
                    isLong = false;
                    sar = Math.Max(Math.Max(ep, prevHigh), newHigh);
                    output[t] = sar;
                    af = step;
                    ep = newLow;
                    sar += af * (ep - sar);
                    sar = Math.Max(Math.Max(sar, prevHigh), newHigh);
                }
                else
                {
                    output[t] = sar;
                    if (newHigh > ep)
                    {
                        ep = newHigh;
                        af = Math.Min(af + step, maximum);
                    }

                    sar += af * (ep - sar);
                    sar = Math.Min(Math.Min(sar, prevLow), newLow);
                }
            }
            else if (newHigh >= sar)
            {
                isLong = true;
                sar = Math.Min(Math.Min(ep, prevLow), newLow);
                output[t] = sar;
                af = step;
                ep = newHigh;
                sar += af * (ep - sar);
                sar = Math.Min(Math.Min(sar, prevLow), newLow);
            }
            else
            {
                output[t] = sar;
                if (newLow < ep)
                {
                    ep = newLow;
                    af = Math.Min(af + step, maximum);
                }

                sar += af * (ep - sar);
                sar = Math.Max(Math.Max(sar, prevHigh), newHigh);
            }
        }
    }

    /// <summary>Lookback of <see cref="Midpoint"/> and <see cref="Midprice"/>: period − 1.</summary>
    public static int MidLookback(int period = 14) => period - 1;

    /// <summary>(highest + lowest) / 2 of the input over the period (TA_MIDPOINT).</summary>
    public static void Midpoint(ReadOnlySpan<double> input, Span<double> output, int period = 14)
    {
        Ta.Period(period, 2, nameof(period), input.Length);
        Ta.SameLength(input.Length, output);
        if (!Ta.WarmUp(output, period - 1)) return;
        using var scratch = Scratch.Begin();
        var hi = Window.ArgMax(input, period);
        var lo = Window.ArgMin(input, period);
        for (int t = period - 1; t < input.Length; t++) output[t] = (input[hi[t]] + input[lo[t]]) / 2;
    }

    /// <summary>(highest high + lowest low) / 2 over the period (TA_MIDPRICE).</summary>
    public static void Midprice(ReadOnlySpan<double> high, ReadOnlySpan<double> low, Span<double> output, int period = 14)
    {
        Ta.Period(period, 2, nameof(period), high.Length);
        Ta.SameLength(high.Length, output);
        if (!Ta.WarmUp(output, period - 1)) return;
        using var scratch = Scratch.Begin();
        var hi = Window.ArgMax(high, period);
        var lo = Window.ArgMin(low, period);
        for (int t = period - 1; t < high.Length; t++) output[t] = (high[hi[t]] + low[lo[t]]) / 2;
    }
}
