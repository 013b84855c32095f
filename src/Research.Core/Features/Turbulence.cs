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
        var columns = new List<int>();
        for (int k = 0; k < tickers; k++)
        {
            bool complete = true;
            for (int t = start; t < day && complete; t++) complete = !double.IsNaN(r[t * tickers + k]);
            if (complete) columns.Add(k);
        }

        int m = columns.Count;
        if (m == 0 || rows < 2) return 0;
        var mean = new double[m];
        for (int j = 0; j < m; j++)
        {
            double s = 0;
            for (int t = start; t < day; t++) s += r[t * tickers + columns[j]];
            mean[j] = s / rows;
        }

        var cov = Matrix<double>.Build.Dense(m, m);
        for (int a = 0; a < m; a++)
        {
            for (int b = a; b < m; b++)
            {
                double s = 0;
                for (int t = start; t < day; t++) s += (r[t * tickers + columns[a]] - mean[a]) * (r[t * tickers + columns[b]] - mean[b]);
                cov[a, b] = cov[b, a] = s / (rows - 1);
            }
        }

        var deviation = Vector<double>.Build.Dense(m);
        for (int j = 0; j < m; j++)
        {
            deviation[j] = r[day * tickers + columns[j]] - mean[j];
            if (double.IsNaN(deviation[j])) return 0;
        }

        return deviation * PseudoInverse(cov) * deviation;
    }

    /// <summary>numpy's <c>pinv</c>: SVD with singular values at or below 1e-15 × the largest dropped.</summary>
    private static Matrix<double> PseudoInverse(Matrix<double> a)
    {
        var svd = a.Svd(computeVectors: true);
        var s = svd.S;
        double cutoff = 1e-15 * s.Maximum();
        var inverse = Matrix<double>.Build.Dense(a.ColumnCount, a.RowCount);
        for (int i = 0; i < s.Count; i++)
        {
            if (s[i] <= cutoff) continue;
            var v = svd.VT.Row(i);
            var u = svd.U.Column(i);
            inverse += v.OuterProduct(u) / s[i];
        }

        return inverse;
    }
}
