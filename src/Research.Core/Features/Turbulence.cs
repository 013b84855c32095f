using MathNet.Numerics.LinearAlgebra;

namespace Research.Core.Features;

/// <summary>
/// FinRL's turbulence index: on each day, the Mahalanobis distance d = (r − μ)ᵀ Σ⁺ (r − μ) of the day's cross-section of
/// simple returns from the mean μ and covariance Σ (ddof 1) of the previous <c>window</c> days' returns, exactly as
/// FinRL's <c>calculate_turbulence</c>: prices forward-filled before returns (pandas <c>pct_change</c>), the history
/// trimmed to the tickers with a full record, the Moore–Penrose inverse (numpy <c>pinv</c>, rcond 1e-15), 0 for the
/// first <c>window</c> days and for the first two positive values. Uses only returns up to the day itself.
/// </summary>
public static class Turbulence
{
    /// <summary>The index for every date of a ticker-major close matrix (<paramref name="tickers"/> × <paramref name="dates"/>).</summary>
    public static double[] Compute(ReadOnlySpan<double> closeTickerMajor, int tickers, int dates, int window = 252)
    {
        if (closeTickerMajor.Length != tickers * dates)
        {
            throw new ArgumentException($"closeTickerMajor has {closeTickerMajor.Length} values; expected {tickers} × {dates}.", nameof(closeTickerMajor));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(window, 2, nameof(window));
        var returns = Returns(closeTickerMajor, tickers, dates);
        var result = new double[dates];
        int positives = 0;
        for (int i = window; i < dates; i++)
        {
            double d = Distance(returns, tickers, dates, i, window);
            if (d > 0)
            {
                positives++;
                result[i] = positives > 2 ? d : 0;
            }
        }

        return result;
    }

    /// <summary>Simple returns after forward-filling prices (pandas <c>pct_change</c>), date-major rows: r[date × tickers + k].</summary>
    private static double[] Returns(ReadOnlySpan<double> close, int tickers, int dates)
    {
        var r = new double[dates * tickers];
        for (int k = 0; k < tickers; k++)
        {
            double last = double.NaN;
            for (int t = 0; t < dates; t++)
            {
                double p = close[k * dates + t];
                if (double.IsNaN(p)) p = last;
                r[t * tickers + k] = t == 0 ? double.NaN : p / last - 1;
                last = p;
            }
        }

        return r;
    }

    private static double Distance(double[] r, int tickers, int dates, int day, int window)
    {
        int from = day - window;

        // Skip as many leading rows as the ticker with the fewest missing values has; keep tickers complete after that.
        int minMissing = int.MaxValue;
        for (int k = 0; k < tickers; k++)
        {
            int missing = 0;
            for (int t = from; t < day; t++) if (double.IsNaN(r[t * tickers + k])) missing++;
            minMissing = Math.Min(minMissing, missing);
        }

        int start = from + minMissing, rows = day - start;
        Span<int> columns = stackalloc int[tickers];
        int m = 0;
        for (int k = 0; k < tickers; k++)
        {
            bool complete = true;
            for (int t = start; t < day && complete; t++) complete = !double.IsNaN(r[t * tickers + k]);
            if (complete) columns[m++] = k;
        }

        if (m == 0 || rows < 2) return 0;

        // Centre the history (rows × m, row-major) and the day's deviation from the history's mean.
        var centred = new double[rows * m];
        var deviation = Vector<double>.Build.Dense(m);
        for (int j = 0; j < m; j++)
        {
            int k = columns[j];
            double mean = 0;
            for (int t = start; t < day; t++) mean += r[t * tickers + k];
            mean /= rows;
            for (int t = start; t < day; t++) centred[(t - start) * m + j] = r[t * tickers + k] - mean;
            deviation[j] = r[day * tickers + k] - mean;
            if (double.IsNaN(deviation[j])) return 0;
        }

        var cov = Matrix<double>.Build.Dense(m, m);
        for (int a = 0; a < m; a++)
        {
            for (int b = a; b < m; b++)
            {
                double sum = 0;
                for (int t = 0; t < rows; t++) sum += centred[t * m + a] * centred[t * m + b];
                cov[a, b] = cov[b, a] = sum / (rows - 1);
            }
        }

        return PseudoInverseQuadraticForm(cov, deviation);
    }

    /// <summary>xᵀ A⁺ x with numpy's <c>pinv</c> (SVD; singular values at or below 1e-15 × the largest dropped).</summary>
    private static double PseudoInverseQuadraticForm(Matrix<double> a, Vector<double> x)
    {
        var svd = a.Svd(computeVectors: true);
        var s = svd.S;
        double cutoff = 1e-15 * s.Maximum();
        var ux = svd.U.TransposeThisAndMultiply(x);
        var vx = svd.VT.Multiply(x);
        double d = 0;
        for (int i = 0; i < s.Count; i++)
        {
            if (s[i] > cutoff) d += vx[i] * ux[i] / s[i];
        }

        return d;
    }
}
