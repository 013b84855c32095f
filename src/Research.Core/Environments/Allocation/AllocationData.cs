using Research.Core.Data;
using Research.Core.Features;

namespace Research.Core.Environments.Allocation;

/// <summary>
/// What <see cref="PortfolioAllocationEnv"/> steps through, one entry per environment day (FinRL's frame after the
/// covariance merge): the closes, the trailing covariance matrix of daily returns, and technical indicators. Arrays are
/// date-major: closes [day, ticker], covariances [day, ticker, ticker], indicators [day, indicator, ticker].
/// </summary>
public sealed class AllocationData
{
    private readonly DateOnly[] _dates;
    private readonly string[] _tickers;
    private readonly string[] _indicatorNames;
    private readonly double[] _closes;
    private readonly double[] _covariances;
    private readonly double[] _indicators;

    /// <summary>
    /// Wraps the arrays (not copied): <paramref name="closes"/> has dates × tickers values, <paramref name="covariances"/>
    /// dates × tickers × tickers, <paramref name="indicators"/> dates × indicator names × tickers. Closes must be finite
    /// and positive, covariances and indicators finite; the message names the first bad value.
    /// </summary>
    public AllocationData(DateOnly[] dates, string[] tickers, double[] closes, double[] covariances,
        string[] indicatorNames, double[] indicators)
    {
        int d = dates.Length, n = tickers.Length, m = indicatorNames.Length;
        if (d < 2) throw new ArgumentException($"An episode needs at least 2 dates; got {d}.", nameof(dates));
        if (n < 1) throw new ArgumentException("At least one ticker is needed.", nameof(tickers));
        for (int t = 1; t < d; t++)
        {
            if (dates[t] <= dates[t - 1]) throw new ArgumentException($"Dates must increase: {dates[t - 1]} is followed by {dates[t]}.", nameof(dates));
        }

        if (tickers.Distinct(StringComparer.Ordinal).Count() != n) throw new ArgumentException("Tickers must be distinct.", nameof(tickers));
        if (indicatorNames.Distinct(StringComparer.Ordinal).Count() != m) throw new ArgumentException("Indicator names must be distinct.", nameof(indicatorNames));
        Check(closes, d * n, nameof(closes), $"{d} dates × {n} tickers");
        Check(covariances, d * n * n, nameof(covariances), $"{d} dates × {n} × {n} tickers");
        Check(indicators, d * m * n, nameof(indicators), $"{d} dates × {m} indicators × {n} tickers");
        for (int i = 0; i < closes.Length; i++)
        {
            if (!(closes[i] > 0) || double.IsPositiveInfinity(closes[i]))
            {
                throw new ArgumentException($"The close of {tickers[i % n]} on {dates[i / n]} is {closes[i]}; closes must be positive and finite.", nameof(closes));
            }
        }

        for (int i = 0; i < covariances.Length; i++)
        {
            if (!double.IsFinite(covariances[i]))
            {
                int t = i / (n * n), a = i / n % n, b = i % n;
                throw new ArgumentException($"The covariance of {tickers[a]} and {tickers[b]} on {dates[t]} is {covariances[i]}; it must be finite.", nameof(covariances));
            }
        }

        for (int i = 0; i < indicators.Length; i++)
        {
            if (!double.IsFinite(indicators[i]))
            {
                int t = i / (m * n), f = i / n % m, k = i % n;
                throw new ArgumentException($"Indicator '{indicatorNames[f]}' of {tickers[k]} on {dates[t]} is {indicators[i]}; it must be finite.", nameof(indicators));
            }
        }

        _dates = dates;
        _tickers = tickers;
        _indicatorNames = indicatorNames;
        _closes = closes;
        _covariances = covariances;
        _indicators = indicators;
    }

    /// <summary>The environment's days.</summary>
    public IReadOnlyList<DateOnly> Dates => _dates;

    /// <summary>Ticker symbols, in column order.</summary>
    public IReadOnlyList<string> Tickers => _tickers;

    /// <summary>Indicator names, in the observation's row order.</summary>
    public IReadOnlyList<string> IndicatorNames => _indicatorNames;

    /// <summary>Number of days.</summary>
    public int DateCount => _dates.Length;

    /// <summary>Number of tickers (FinRL's <c>stock_dim</c>).</summary>
    public int TickerCount => _tickers.Length;

    /// <summary>Number of indicators.</summary>
    public int IndicatorCount => _indicatorNames.Length;

    /// <summary>The closes of day <paramref name="day"/>, one per ticker.</summary>
    public ReadOnlySpan<double> Closes(int day) => _closes.AsSpan(day * TickerCount, TickerCount);

    /// <summary>The covariance matrix of day <paramref name="day"/>, row-major (tickers × tickers).</summary>
    public ReadOnlySpan<double> Covariance(int day) => _covariances.AsSpan(day * TickerCount * TickerCount, TickerCount * TickerCount);

    /// <summary>The indicators of day <paramref name="day"/>: one row per indicator, one column per ticker.</summary>
    public ReadOnlySpan<double> Indicators(int day) => _indicators.AsSpan(day * IndicatorCount * TickerCount, IndicatorCount * TickerCount);

    /// <summary>
    /// FinRL's portfolio-allocation frame from a panel: the environment's day e is the panel's date
    /// <paramref name="lookback"/> + e, and its covariance matrix is <see cref="TrailingCovariance"/> of that date (the
    /// <paramref name="lookback"/> daily close-to-close returns ending with that date's own, so nothing after the
    /// date is used). Indicators come from <paramref name="features"/> (on the panel's calendar and tickers;
    /// <paramref name="indicators"/> picks and orders them, default all); a non-finite value is replaced by the
    /// ticker's last finite value of that feature at or before the date (FinRL's forward fill, without its backward
    /// fill, which would look ahead), or 0 when there is none. Every close must be positive and finite.
    /// </summary>
    public static AllocationData FromPanel(MarketPanel panel, FeatureSet? features = null,
        IReadOnlyList<string>? indicators = null, int lookback = 252, PriceField price = PriceField.Close)
    {
        int n = panel.TickerCount, dates = panel.DateCount;
        if (lookback < 2) throw new ArgumentOutOfRangeException(nameof(lookback), lookback, "lookback must be ≥ 2 (a sample covariance needs two returns).");
        if (dates < lookback + 2)
        {
            throw new ArgumentException($"The panel has {dates} dates; lookback {lookback} needs at least {lookback + 2} (the covariance window plus two days to step).", nameof(panel));
        }

        var names = indicators?.ToArray() ?? features?.Names.ToArray() ?? [];
        if (names.Length > 0 && features is null) throw new ArgumentException("Indicators were named but no feature set was given.", nameof(indicators));
        if (features is not null)
        {
            if (features.DateCount != dates || !features.Calendar.Dates.SequenceEqual(panel.Calendar.Dates))
            {
                throw new ArgumentException("features must be on the panel's calendar.", nameof(features));
            }

            if (!features.Tickers.SequenceEqual(panel.Tickers, StringComparer.Ordinal)) throw new ArgumentException("features must have the panel's tickers, in its order.", nameof(features));
        }

        var close = new double[n * dates];
        for (int k = 0; k < n; k++)
        {
            var series = panel.Series(price, k);
            for (int t = 0; t < dates; t++)
            {
                double c = series[t];
                if (!(c > 0) || double.IsPositiveInfinity(c))
                {
                    throw new ArgumentException($"The {price} of {panel.Tickers[k]} on {panel.Calendar[t]} is {c}; the covariance needs positive, finite prices on every date.", nameof(panel));
                }

                close[k * dates + t] = c;
            }
        }

        int days = dates - lookback, m = names.Length;
        var envDates = new DateOnly[days];
        var closes = new double[days * n];
        var covariances = new double[days * n * n];
        var values = new double[days * m * n];
        var returns = new double[n * lookback];
        for (int e = 0; e < days; e++)
        {
            int t = lookback + e;
            envDates[e] = panel.Calendar[t];
            for (int k = 0; k < n; k++) closes[e * n + k] = close[k * dates + t];
            TrailingCovariance(close, dates, n, t, lookback, returns, covariances.AsSpan(e * n * n, n * n));
        }

        for (int f = 0; f < m; f++)
        {
            var column = features!.Column(names[f]);
            for (int k = 0; k < n; k++)
            {
                var series = column.Slice(k * dates, dates);
                double last = 0;
                for (int t = 0; t < dates; t++)
                {
                    if (double.IsFinite(series[t])) last = series[t];
                    if (t >= lookback) values[((t - lookback) * m + f) * n + k] = last;
                }
            }
        }

        return new AllocationData(envDates, [.. panel.Tickers], closes, covariances, names, values);
    }

    /// <summary>
    /// The sample covariance (ddof 1) of the <paramref name="lookback"/> daily returns ending at date
    /// <paramref name="date"/>: returns r_s = close_s / close_(s−1) − 1 for s = date − lookback + 1 … date, so it reads the
    /// closes of dates date − lookback … date and nothing later. Computed in the order numpy takes for FinRL's
    /// <c>DataFrame.cov()</c> (numpy.cov on reference BLAS): per ticker the mean = (Σ r, summed in date order) / lookback;
    /// then Σ (r_a − mean_a)(r_b − mean_b) in date order, times 1 / (lookback − 1).
    /// </summary>
    /// <param name="close">Closes, ticker-major (<paramref name="tickers"/> series of <paramref name="dates"/> values).</param>
    /// <param name="dates">Dates per ticker in <paramref name="close"/>.</param>
    /// <param name="tickers">Number of tickers.</param>
    /// <param name="date">The date the covariance belongs to (≥ <paramref name="lookback"/>).</param>
    /// <param name="lookback">Number of returns.</param>
    /// <param name="scratch">At least tickers × lookback values of workspace.</param>
    /// <param name="covariance">Receives the tickers × tickers matrix, row-major.</param>
    public static void TrailingCovariance(ReadOnlySpan<double> close, int dates, int tickers, int date, int lookback,
        Span<double> scratch, Span<double> covariance)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(lookback, 2);
        if (date < lookback || date >= dates) throw new ArgumentOutOfRangeException(nameof(date), date, $"The window of {lookback} returns ending at date {date} does not fit in {dates} dates.");
        if (close.Length != tickers * dates) throw new ArgumentException($"close has {close.Length} values; expected {tickers} × {dates}.", nameof(close));
        if (scratch.Length < tickers * lookback) throw new ArgumentException($"scratch needs {tickers * lookback} values.", nameof(scratch));
        if (covariance.Length != tickers * tickers) throw new ArgumentException($"covariance needs {tickers * tickers} values.", nameof(covariance));
        for (int k = 0; k < tickers; k++)
        {
            var c = close.Slice(k * dates, dates);
            var x = scratch.Slice(k * lookback, lookback);
            int first = date - lookback + 1;
            double sum = 0;
            for (int s = 0; s < lookback; s++)
            {
                double r = c[first + s] / c[first + s - 1] - 1.0;
                x[s] = r;
                sum += r;
            }

            double mean = sum / lookback;
            for (int s = 0; s < lookback; s++) x[s] -= mean;
        }

        double scale = 1.0 / (lookback - 1);
        for (int a = 0; a < tickers; a++)
        {
            var xa = scratch.Slice(a * lookback, lookback);
            for (int b = a; b < tickers; b++)
            {
                var xb = scratch.Slice(b * lookback, lookback);
                double acc = 0;
                for (int s = 0; s < lookback; s++) acc += xa[s] * xb[s];
                covariance[a * tickers + b] = covariance[b * tickers + a] = acc * scale;
            }
        }
    }

    private static void Check(double[] a, int expected, string name, string what)
    {
        if (a.Length != expected) throw new ArgumentException($"{name} has {a.Length} values; expected {what} = {expected}.", name);
    }
}
