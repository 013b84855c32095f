using System.Runtime.Intrinsics;

namespace Research.Core.Features.Indicators;

/// <summary>Rolling statistics with TA-Lib's definitions (VAR, STDDEV, LINEARREG family, TSF, BETA, CORREL, MAX, MIN, SUM, AVGDEV).</summary>
public static class Statistics
{
    /// <summary>Lookback of the rolling statistics over one window: period − 1.</summary>
    public static int Lookback(int period) => period - 1;

    /// <summary>Population variance over the window (TA_VAR): mean of squares − square of the mean.</summary>
    public static void Var(ReadOnlySpan<double> input, Span<double> output, int period = 5)
    {
        Ta.Period(period, 1, nameof(period), input.Length);
        Ta.SameLength(input.Length, output);
        if (!Ta.WarmUp(output, period - 1)) return;
        double s1 = 0, s2 = 0;
        for (int i = 0; i < period - 1; i++)
        {
            s1 += input[i];
            s2 += input[i] * input[i];
        }

        for (int t = period - 1; t < input.Length; t++)
        {
            s1 += input[t];
            s2 += input[t] * input[t];
            double m1 = s1 / period, m2 = s2 / period;
            output[t] = m2 - m1 * m1;
            double old = input[t - period + 1];
            s1 -= old;
            s2 -= old * old;
        }
    }

    /// <summary>Standard deviation (TA_STDDEV): √VAR · <paramref name="devs"/>; 0 when the variance is below 1e-8.</summary>
    public static void StdDev(ReadOnlySpan<double> input, Span<double> output, int period = 5, double devs = 1)
    {
        Ta.Period(period, 2, nameof(period), input.Length);
        Var(input, output, period);
        if (period - 1 >= output.Length) return;
        Ta.SqrtOrZero(output[(period - 1)..], devs);
    }

    /// <summary>Which value of the least-squares line over the window a LINEARREG-family output reports.</summary>
    public enum RegressionOutput
    {
        /// <summary>The line's value at the last bar (TA_LINEARREG).</summary>
        Value,

        /// <summary>The slope per bar (TA_LINEARREG_SLOPE).</summary>
        Slope,

        /// <summary>The slope's angle in degrees (TA_LINEARREG_ANGLE).</summary>
        Angle,

        /// <summary>The line's value at the window's first bar (TA_LINEARREG_INTERCEPT).</summary>
        Intercept,

        /// <summary>The line extended one bar past the window (TA_TSF).</summary>
        Forecast,
    }

    /// <summary>Least-squares line of the last <paramref name="period"/> values against bar number 0..period−1.</summary>
    public static void LinearReg(ReadOnlySpan<double> input, Span<double> output, int period = 14, RegressionOutput what = RegressionOutput.Value)
    {
        Ta.Period(period, 2, nameof(period), input.Length);
        Ta.SameLength(input.Length, output);
        if (!Ta.WarmUp(output, period - 1)) return;
        var (slope, intercept) = RegressionLines.Get(input, period);
        for (int t = period - 1; t < input.Length; t++)
        {
            double m = slope[t], b = intercept[t];
            output[t] = what switch
            {
                RegressionOutput.Value => b + m * (period - 1),
                RegressionOutput.Slope => m,
                RegressionOutput.Angle => Math.Atan(m) * (180.0 / Math.PI),
                RegressionOutput.Intercept => b,
                _ => b + m * period,
            };
        }
    }

    /// <summary>Slope m and intercept b (value at the window's first bar) of the least-squares line ending at every bar, TA-Lib's sums.</summary>
    internal static void Regression(ReadOnlySpan<double> input, int period, double[] slope, double[] intercept)
    {
        double sumX = period * (period - 1) * 0.5;
        double sumXSqr = period * (period - 1) * (2.0 * period - 1) / 6;
        double divisor = sumX * sumX - period * sumXSqr;
        int t = period - 1;
        if (Vector256.IsHardwareAccelerated)
        {
            // Eight consecutive windows at once (two 4-lane vectors, lane i summing bar t + i's window in the scalar
            // loop's order), so the results are the scalar loop's, bit for bit.
            var p = Vector256.Create((double)period);
            var sx = Vector256.Create(sumX);
            var div = Vector256.Create(divisor);
            for (; t <= input.Length - 8; t += 8)
            {
                Vector256<double> sumYa = default, sumYb = default, sumXYa = default, sumXYb = default;
                for (int age = period - 1; age >= 0; age--)
                {
                    var w = Vector256.Create((double)age);
                    var ya = Vector256.Create(input[(t - age)..]);
                    var yb = Vector256.Create(input[(t + 4 - age)..]);
                    sumYa += ya;
                    sumYb += yb;
                    sumXYa += w * ya;
                    sumXYb += w * yb;
                }

                var ma = (p * sumXYa - sx * sumYa) / div;
                var mb = (p * sumXYb - sx * sumYb) / div;
                ma.CopyTo(slope.AsSpan(t));
                mb.CopyTo(slope.AsSpan(t + 4));
                ((sumYa - ma * sx) / p).CopyTo(intercept.AsSpan(t));
                ((sumYb - mb * sx) / p).CopyTo(intercept.AsSpan(t + 4));
            }
        }

        for (; t < input.Length; t++)
        {
            double sumXY = 0, sumY = 0;
            for (int age = period - 1; age >= 0; age--)
            {
                double y = input[t - age];
                sumY += y;
                sumXY += age * y;
            }

            double m = (period * sumXY - sumX * sumY) / divisor;
            slope[t] = m;
            intercept[t] = (sumY - m * sumX) / period;
        }
    }

    /// <summary>Lookback of <see cref="Beta"/>: period.</summary>
    public static int BetaLookback(int period = 5) => period;

    /// <summary>
    /// Beta (TA_BETA): the least-squares slope of <paramref name="y"/>'s one-bar returns on <paramref name="x"/>'s over
    /// the last <paramref name="period"/> returns; 0 when x's returns have no variance. A return after a zero price is 0.
    /// </summary>
    public static void Beta(ReadOnlySpan<double> x, ReadOnlySpan<double> y, Span<double> output, int period = 5)
    {
        Ta.Period(period, 1, nameof(period), x.Length);
        Ta.SameLength(x.Length, output);
        if (y.Length != x.Length) throw new ArgumentException("y and x differ in length.", nameof(y));
        if (!Ta.WarmUp(output, period)) return;
        int n = x.Length;
        using var scratch = Scratch.Begin();
        var rx = Scratch.Doubles(n);
        var ry = Scratch.Doubles(n);
        for (int t = 1; t < n; t++)
        {
            rx[t] = Ta.IsZero(x[t - 1]) ? 0 : (x[t] - x[t - 1]) / x[t - 1];
            ry[t] = Ta.IsZero(y[t - 1]) ? 0 : (y[t] - y[t - 1]) / y[t - 1];
        }

        for (int t = period; t < n; t++)
        {
            double sxx = 0, sxy = 0, sx = 0, sy = 0;
            for (int j = t - period + 1; j <= t; j++)
            {
                sxx += rx[j] * rx[j];
                sxy += rx[j] * ry[j];
                sx += rx[j];
                sy += ry[j];
            }

            double d = period * sxx - sx * sx;
            output[t] = Ta.IsZero(d) ? 0 : (period * sxy - sx * sy) / d;
        }
    }

    /// <summary>Pearson correlation of the two series over the window (TA_CORREL); 0 when either has no variance.</summary>
    public static void Correl(ReadOnlySpan<double> x, ReadOnlySpan<double> y, Span<double> output, int period = 30)
    {
        Ta.Period(period, 1, nameof(period), x.Length);
        Ta.SameLength(x.Length, output);
        if (y.Length != x.Length) throw new ArgumentException("y and x differ in length.", nameof(y));
        if (!Ta.WarmUp(output, period - 1)) return;
        using var scratch = Scratch.Begin();
        var covariance = Scratch.Uninitialized(x.Length);
        double sx = 0, sy = 0, sxx = 0, syy = 0, sxy = 0;
        for (int t = 0; t < x.Length; t++)
        {
            sx += x[t];
            sy += y[t];
            sxx += x[t] * x[t];
            syy += y[t] * y[t];
            sxy += x[t] * y[t];
            if (t >= period)
            {
                double ox = x[t - period], oy = y[t - period];
                sx -= ox;
                sy -= oy;
                sxx -= ox * ox;
                syy -= oy * oy;
                sxy -= ox * oy;
            }

            if (t < period - 1) continue;
            output[t] = (sxx - sx * sx / period) * (syy - sy * sy / period);
            covariance[t] = sxy - sx * sy / period;
        }

        // r = covariance / √(product of the variances), 0 where that product is below 1e-8: vectorised.
        Ta.SqrtOrZero(output[(period - 1)..], 1.0);
        for (int t = period - 1; t < x.Length; t++) output[t] = output[t] == 0 ? 0 : covariance[t] / output[t];
    }

    /// <summary>Highest value over the window (TA_MAX).</summary>
    public static void Max(ReadOnlySpan<double> input, Span<double> output, int period = 30) => Extreme(input, output, period, max: true);

    /// <summary>Lowest value over the window (TA_MIN).</summary>
    public static void Min(ReadOnlySpan<double> input, Span<double> output, int period = 30) => Extreme(input, output, period, max: false);

    private static void Extreme(ReadOnlySpan<double> x, Span<double> output, int period, bool max)
    {
        Ta.Period(period, 2, nameof(period), x.Length);
        Ta.SameLength(x.Length, output);
        if (!Ta.WarmUp(output, period - 1)) return;
        if (max) Window.Max(x, period, output);
        else Window.Min(x, period, output);
    }

    /// <summary>Sum over the window (TA_SUM).</summary>
    public static void Sum(ReadOnlySpan<double> input, Span<double> output, int period = 30)
    {
        Ta.Period(period, 2, nameof(period), input.Length);
        Ta.SameLength(input.Length, output);
        if (!Ta.WarmUp(output, period - 1)) return;
        double s = 0;
        for (int i = 0; i < period - 1; i++) s += input[i];
        for (int t = period - 1; t < input.Length; t++)
        {
            s += input[t];
            output[t] = s;
            s -= input[t - period + 1];
        }
    }

    /// <summary>Mean absolute deviation from the window's mean (TA_AVGDEV).</summary>
    public static void AvgDev(ReadOnlySpan<double> input, Span<double> output, int period = 14)
    {
        Ta.Period(period, 2, nameof(period), input.Length);
        Ta.SameLength(input.Length, output);
        if (!Ta.WarmUp(output, period - 1)) return;
        using var scratch = Scratch.Begin();
        var mean = Scratch.Doubles(input.Length);
        WindowSums.Sums(input, period, mean);
        for (int t = period - 1; t < input.Length; t++) mean[t] /= period;
        WindowSums.AbsDeviations(input, mean, period, output);
        for (int t = period - 1; t < input.Length; t++) output[t] /= period;
    }
}
