namespace Research.Core.Features.Indicators;

/// <summary>
/// Moving averages with TA-Lib's definitions, seeding and lookbacks. Every kernel writes one value per input into
/// <c>output</c> (same length), NaN for the first <c>lookback</c> positions.
/// </summary>
public static class MovingAverages
{
    /// <summary>Lookback of <see cref="Sma"/>: period − 1.</summary>
    public static int SmaLookback(int period = 30) => period - 1;

    /// <summary>Simple moving average (TA_SMA).</summary>
    public static void Sma(ReadOnlySpan<double> input, Span<double> output, int period = 30)
    {
        Ta.Period(period, 2, nameof(period), input.Length);
        Ta.SameLength(input.Length, output);
        SmaCore(input, output, period);
    }

    internal static void SmaCore(ReadOnlySpan<double> x, Span<double> output, int period)
    {
        if (!Ta.WarmUp(output, period - 1)) return;
        double sum = 0;
        for (int i = 0; i < period - 1; i++) sum += x[i];
        for (int i = period - 1; i < x.Length; i++)
        {
            sum += x[i];
            output[i] = sum / period;
            sum -= x[i - period + 1];
        }
    }

    /// <summary>Lookback of <see cref="Ema"/>: period − 1.</summary>
    public static int EmaLookback(int period = 30) => period - 1;

    /// <summary>Exponential moving average (TA_EMA): k = 2/(period+1), seeded with the SMA of the first <paramref name="period"/> values.</summary>
    public static void Ema(ReadOnlySpan<double> input, Span<double> output, int period = 30)
    {
        Ta.Period(period, 2, nameof(period), input.Length);
        Ta.SameLength(input.Length, output);
        EmaCore(input, output, period, Ta.K(period), 0);
    }

    /// <summary>
    /// EMA whose SMA seed covers x[seedStart .. seedStart+period−1]; output NaN before the seed's last index. TA-Lib
    /// seeds an EMA at whatever start index it is asked for, which MACD relies on.
    /// </summary>
    internal static void EmaCore(ReadOnlySpan<double> x, Span<double> output, int period, double k, int seedStart)
    {
        int first = seedStart + period - 1;
        if (!Ta.WarmUp(output, first)) return;
        double sum = 0;
        for (int i = seedStart; i <= first; i++) sum += x[i];
        double ema = sum / period;
        output[first] = ema;
        for (int i = first + 1; i < x.Length; i++)
        {
            ema = (x[i] - ema) * k + ema;
            output[i] = ema;
        }
    }

    /// <summary>Lookback of <see cref="Wma"/>: period − 1.</summary>
    public static int WmaLookback(int period = 30) => period - 1;

    /// <summary>Linearly weighted moving average (TA_WMA): weights 1..period, newest heaviest.</summary>
    public static void Wma(ReadOnlySpan<double> input, Span<double> output, int period = 30)
    {
        Ta.Period(period, 2, nameof(period), input.Length);
        Ta.SameLength(input.Length, output);
        WmaCore(input, output, period);
    }

    internal static void WmaCore(ReadOnlySpan<double> x, Span<double> output, int period)
    {
        if (!Ta.WarmUp(output, period - 1)) return;
        double divider = period * (period + 1) / 2.0;
        double weighted = 0, plain = 0;
        for (int i = 0; i < period - 1; i++)
        {
            weighted += x[i] * (i + 1);
            plain += x[i];
        }

        double trailing = 0;
        for (int i = period - 1; i < x.Length; i++)
        {
            plain += x[i];
            plain -= trailing;
            weighted += x[i] * period;
            trailing = x[i - period + 1];
            output[i] = weighted / divider;
            weighted -= plain;
        }
    }

    /// <summary>Lookback of <see cref="Dema"/>: 2 × (period − 1).</summary>
    public static int DemaLookback(int period = 30) => 2 * (period - 1);

    /// <summary>Double EMA (TA_DEMA): 2·EMA − EMA(EMA).</summary>
    public static void Dema(ReadOnlySpan<double> input, Span<double> output, int period = 30)
    {
        Ta.Period(period, 2, nameof(period), input.Length);
        Ta.SameLength(input.Length, output);
        int n = input.Length;
        using var scratch = Scratch.Begin();
        var e1 = Scratch.Doubles(n);
        var e2 = Scratch.Doubles(n);
        EmaCore(input, e1, period, Ta.K(period), 0);
        ChainedEma(e1, e2, period, period - 1);
        if (!Ta.WarmUp(output, DemaLookback(period))) return;
        for (int i = DemaLookback(period); i < n; i++) output[i] = 2 * e1[i] - e2[i];
    }

    /// <summary>Lookback of <see cref="Tema"/>: 3 × (period − 1).</summary>
    public static int TemaLookback(int period = 30) => 3 * (period - 1);

    /// <summary>Triple EMA (TA_TEMA): 3·EMA − 3·EMA(EMA) + EMA(EMA(EMA)).</summary>
    public static void Tema(ReadOnlySpan<double> input, Span<double> output, int period = 30)
    {
        Ta.Period(period, 2, nameof(period), input.Length);
        Ta.SameLength(input.Length, output);
        int n = input.Length;
        using var scratch = Scratch.Begin();
        var (e1, e2, e3) = TripleEma(input, period);
        if (!Ta.WarmUp(output, TemaLookback(period))) return;
        for (int i = TemaLookback(period); i < n; i++) output[i] = 3 * e1[i] - 3 * e2[i] + e3[i];
    }

    /// <summary>
    /// EMA, EMA of EMA and EMA of that (TEMA's and TRIX's chain), in scratch arrays of the caller's scope; NaN before
    /// each one's first value. The three advance together bar by bar, so their recursions overlap instead of running
    /// one after another; each is seeded with the mean of its first <paramref name="period"/> inputs, as three
    /// separate <see cref="Ema"/> passes would be, with the same arithmetic.
    /// </summary>
    internal static (double[] E1, double[] E2, double[] E3) TripleEma(ReadOnlySpan<double> input, int period)
    {
        int n = input.Length;
        var e1 = Scratch.Uninitialized(n);
        var e2 = Scratch.Uninitialized(n);
        var e3 = Scratch.Uninitialized(n);
        e1.AsSpan().Fill(double.NaN);
        e2.AsSpan().Fill(double.NaN);
        e3.AsSpan().Fill(double.NaN);
        double k = Ta.K(period);
        SeededEma first = default, second = default, third = default;
        for (int t = 0; t < n; t++)
        {
            if (!first.Push(input[t], period, k)) continue;
            e1[t] = first.Value;
            if (!second.Push(first.Value, period, k)) continue;
            e2[t] = second.Value;
            if (!third.Push(second.Value, period, k)) continue;
            e3[t] = third.Value;
        }

        return (e1, e2, e3);
    }

    /// <summary>EMA of a series whose first valid value is at <paramref name="firstValid"/>.</summary>
    internal static void ChainedEma(ReadOnlySpan<double> x, Span<double> output, int period, int firstValid)
    {
        if (firstValid >= x.Length)
        {
            output.Fill(double.NaN);
            return;
        }

        EmaCore(x, output, period, Ta.K(period), firstValid);
    }

    /// <summary>Lookback of <see cref="Trima"/>: period − 1.</summary>
    public static int TrimaLookback(int period = 30) => period - 1;

    /// <summary>
    /// Triangular moving average (TA_TRIMA): an SMA of an SMA, of (period+1)/2 twice for odd periods, of period/2 then
    /// period/2+1 for even ones (weights 1, 2, …, 2, 1).
    /// </summary>
    public static void Trima(ReadOnlySpan<double> input, Span<double> output, int period = 30)
    {
        Ta.Period(period, 2, nameof(period), input.Length);
        Ta.SameLength(input.Length, output);
        int p1 = period % 2 == 1 ? (period + 1) / 2 : period / 2;
        int p2 = period % 2 == 1 ? p1 : p1 + 1;
        if (!Ta.WarmUp(output, period - 1)) return;

        // An SMA of an SMA: the triangular weights 1, 2, …, 2, 1 normalised by their total p1·p2.
        using var scratch = Scratch.Begin();
        var first = Scratch.Doubles(input.Length);
        SmaCore(input, first, p1);
        double sum = 0;
        for (int i = p1 - 1; i < p1 - 1 + p2 - 1; i++) sum += first[i];
        for (int i = period - 1; i < input.Length; i++)
        {
            sum += first[i];
            output[i] = sum / p2;
            sum -= first[i - p2 + 1];
        }
    }

    /// <summary>Lookback of <see cref="Kama"/>: period.</summary>
    public static int KamaLookback(int period = 30) => period;

    /// <summary>
    /// Kaufman adaptive moving average (TA_KAMA): efficiency ratio over <paramref name="period"/> changes, smoothing
    /// constant between 2/(2+1) and 2/(30+1) squared; seeded with the previous value.
    /// </summary>
    public static void Kama(ReadOnlySpan<double> input, Span<double> output, int period = 30)
    {
        Ta.Period(period, 2, nameof(period), input.Length);
        Ta.SameLength(input.Length, output);
        if (!Ta.WarmUp(output, period)) return;
        const double fast = 2.0 / 3.0, slow = 2.0 / 31.0;
        double noise = 0;
        for (int i = 1; i <= period; i++) noise += Math.Abs(input[i] - input[i - 1]);
        double kama = input[period - 1];
        for (int t = period; t < input.Length; t++)
        {
            if (t > period) noise += Math.Abs(input[t] - input[t - 1]) - Math.Abs(input[t - period] - input[t - period - 1]);
            double change = input[t] - input[t - period];
            double er = noise <= change || Ta.IsZero(noise) ? 1.0 : Math.Abs(change / noise);
            double sc = er * (fast - slow) + slow;
            sc *= sc;
            kama = (input[t] - kama) * sc + kama;
            output[t] = kama;
        }
    }

    /// <summary>Lookback of <see cref="T3"/>: 6 × (period − 1).</summary>
    public static int T3Lookback(int period = 5) => 6 * (period - 1);

    /// <summary>
    /// Tillson T3 (TA_T3): six chained EMAs, each seeded with the mean of its first <paramref name="period"/> inputs,
    /// combined with the volume factor <paramref name="vFactor"/>.
    /// </summary>
    public static void T3(ReadOnlySpan<double> input, Span<double> output, int period = 5, double vFactor = 0.7)
    {
        Ta.Period(period, 2, nameof(period), input.Length);
        Ta.SameLength(input.Length, output);
        if (vFactor is < 0 or > 1 || double.IsNaN(vFactor))
        {
            throw new ArgumentOutOfRangeException(nameof(vFactor), vFactor, "vFactor must be in [0, 1].");
        }

        int lookback = T3Lookback(period);
        if (!Ta.WarmUp(output, lookback)) return;
        double k = Ta.K(period), k1 = 1 - k;
        Span<double> e = stackalloc double[6];
        int today = 0;
        double sum = 0;
        for (int i = 0; i < period; i++) sum += input[today++];
        e[0] = sum / period;
        for (int level = 1; level < 6; level++)
        {
            sum = e[level - 1];
            for (int i = 1; i < period; i++)
            {
                e[0] = k * input[today++] + k1 * e[0];
                for (int j = 1; j < level; j++) e[j] = k * e[j - 1] + k1 * e[j];
                sum += e[level - 1];
            }

            e[level] = sum / period;
        }

        double a = vFactor, a2 = a * a, a3 = a2 * a;
        double c1 = -a3, c2 = 3 * (a2 + a3), c3 = -6 * a2 - 3 * (a + a3), c4 = 1 + 3 * a + a3 + 3 * a2;
        output[lookback] = c1 * e[5] + c2 * e[4] + c3 * e[3] + c4 * e[2];

        // The six levels in registers: each level's recursion overlaps the next bar's lower levels.
        double e0 = e[0], e1 = e[1], e2 = e[2], e3 = e[3], e4 = e[4], e5 = e[5];
        for (int t = lookback + 1; t < input.Length; t++)
        {
            e0 = k * input[t] + k1 * e0;
            e1 = k * e0 + k1 * e1;
            e2 = k * e1 + k1 * e2;
            e3 = k * e2 + k1 * e3;
            e4 = k * e3 + k1 * e4;
            e5 = k * e4 + k1 * e5;
            output[t] = c1 * e5 + c2 * e4 + c3 * e3 + c4 * e2;
        }
    }

    /// <summary>Lookback of <see cref="Ma"/> for <paramref name="type"/>.</summary>
    public static int MaLookback(int period, MaType type) => type switch
    {
        MaType.Sma or MaType.Ema or MaType.Wma or MaType.Trima => period - 1,
        MaType.Dema => DemaLookback(period),
        MaType.Tema => TemaLookback(period),
        MaType.Kama => KamaLookback(period),
        MaType.T3 => T3Lookback(period),
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Unknown moving-average type."),
    };

    /// <summary>The moving average of <paramref name="type"/> (TA_MA).</summary>
    public static void Ma(ReadOnlySpan<double> input, Span<double> output, int period, MaType type)
    {
        switch (type)
        {
            case MaType.Sma: Sma(input, output, period); break;
            case MaType.Ema: Ema(input, output, period); break;
            case MaType.Wma: Wma(input, output, period); break;
            case MaType.Dema: Dema(input, output, period); break;
            case MaType.Tema: Tema(input, output, period); break;
            case MaType.Trima: Trima(input, output, period); break;
            case MaType.Kama: Kama(input, output, period); break;
            case MaType.T3: T3(input, output, period); break;
            default: throw new ArgumentOutOfRangeException(nameof(type), type, "Unknown moving-average type.");
        }
    }
}
