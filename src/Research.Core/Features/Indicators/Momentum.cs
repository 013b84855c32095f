using System.Runtime.Intrinsics;

namespace Research.Core.Features.Indicators;

/// <summary>Momentum oscillators with TA-Lib's definitions (MACD, RSI, CMO, CCI, MOM, ROC family, PPO, APO, TRIX, ULTOSC, BOP, WILLR, MFI).</summary>
public static class Momentum
{
    /// <summary>Lookback of <see cref="Macd"/>: slow − 1 + signal − 1.</summary>
    public static int MacdLookback(int fast = 12, int slow = 26, int signal = 9) => Math.Max(fast, slow) - 1 + signal - 1;

    /// <summary>
    /// MACD (TA_MACD): EMA(fast) − EMA(slow), its EMA(signal), and their difference. As in TA-Lib, both EMAs are
    /// seeded at the slow EMA's first index (the fast one with the SMA of the <paramref name="fast"/> values ending there).
    /// </summary>
    public static void Macd(ReadOnlySpan<double> input, Span<double> macd, Span<double> signalLine, Span<double> histogram,
        int fast = 12, int slow = 26, int signal = 9)
    {
        Ta.Period(fast, 2, nameof(fast), input.Length);
        Ta.Period(slow, 2, nameof(slow), input.Length);
        Ta.Period(signal, 1, nameof(signal), input.Length);
        Ta.SameLength(input.Length, macd, nameof(macd));
        Ta.SameLength(input.Length, signalLine, nameof(signalLine));
        Ta.SameLength(input.Length, histogram, nameof(histogram));
        if (slow < fast) (fast, slow) = (slow, fast);
        int n = input.Length, lookback = MacdLookback(fast, slow, signal);
        if (!Ta.WarmUp(macd, lookback) | !Ta.WarmUp(signalLine, lookback) | !Ta.WarmUp(histogram, lookback)) return;

        // The slow and fast EMAs and the signal EMA of their difference advance together bar by bar (their recursions
        // overlap), the fast one seeded where the slow one starts.
        int first = slow - 1;
        double ks = Ta.K(slow), kf = Ta.K(fast), kSignal = Ta.K(signal);
        SeededEma slowEma = default, fastEma = default, signalEma = default;
        for (int i = 0; i < first; i++)
        {
            slowEma.Push(input[i], slow, ks);
            if (i >= slow - fast) fastEma.Push(input[i], fast, kf);
        }

        for (int i = first; i < n; i++)
        {
            slowEma.Push(input[i], slow, ks);
            fastEma.Push(input[i], fast, kf);
            double line = fastEma.Value - slowEma.Value;
            if (!signalEma.Push(line, signal, kSignal)) continue;
            macd[i] = line;
            signalLine[i] = signalEma.Value;
            histogram[i] = line - signalEma.Value;
        }
    }

    /// <summary>Lookback of <see cref="Rsi"/> and <see cref="Cmo"/>: period.</summary>
    public static int RsiLookback(int period = 14) => period;

    /// <summary>Relative strength index (TA_RSI) with Wilder's smoothing, seeded with plain averages of the first <paramref name="period"/> changes; 0 when there is no movement.</summary>
    public static void Rsi(ReadOnlySpan<double> input, Span<double> output, int period = 14) =>
        GainLoss(input, output, period, rsi: true);

    /// <summary>Chande momentum oscillator (TA_CMO): 100·(gain − loss)/(gain + loss) with Wilder's smoothing, as TA-Lib.</summary>
    public static void Cmo(ReadOnlySpan<double> input, Span<double> output, int period = 14) =>
        GainLoss(input, output, period, rsi: false);

    private static void GainLoss(ReadOnlySpan<double> x, Span<double> output, int period, bool rsi)
    {
        Ta.Period(period, 2, nameof(period), x.Length);
        Ta.SameLength(x.Length, output);
        if (!Ta.WarmUp(output, period)) return;
        using var scratch = Scratch.Begin();
        var gains = Scratch.Uninitialized(x.Length);
        var losses = Scratch.Uninitialized(x.Length);
        BarChanges.GainsLosses(x, gains, losses);
        double gain = 0, loss = 0;
        for (int t = 1; t <= period; t++)
        {
            loss += losses[t];
            gain += gains[t];
        }

        gain /= period;
        loss /= period;
        output[period] = Value(gain, loss, rsi);
        for (int t = period + 1; t < x.Length; t++)
        {
            loss = (loss * (period - 1) + losses[t]) / period;
            gain = (gain * (period - 1) + gains[t]) / period;
            output[t] = Value(gain, loss, rsi);
        }

        static double Value(double g, double l, bool rsi)
        {
            double total = g + l;
            if (Ta.IsZero(total)) return 0;
            return rsi ? 100 * (g / total) : 100 * ((g - l) / total);
        }
    }

    /// <summary>Lookback of <see cref="Cci"/>: period − 1.</summary>
    public static int CciLookback(int period = 14) => period - 1;

    /// <summary>Commodity channel index (TA_CCI): (TP − SMA(TP)) / (0.015 · mean absolute deviation), TP = (H+L+C)/3; 0 when either term is 0.</summary>
    public static void Cci(ReadOnlySpan<double> high, ReadOnlySpan<double> low, ReadOnlySpan<double> close, Span<double> output, int period = 14)
    {
        Ta.Period(period, 2, nameof(period), close.Length);
        Ta.SameLength(close.Length, output);
        if (!Ta.WarmUp(output, period - 1)) return;
        using var scratch = Scratch.Begin();
        int n = close.Length;
        var tp = Scratch.Uninitialized(n);
        for (int i = 0; i < n; i++) tp[i] = (high[i] + low[i] + close[i]) / 3;

        // The running mean of TP first, then every window's absolute deviation from its mean (vectorised over windows).
        var mean = Scratch.Uninitialized(n);
        double sum = 0;
        for (int i = 0; i < period - 1; i++) sum += tp[i];
        for (int t = period - 1; t < n; t++)
        {
            sum += tp[t];
            mean[t] = sum / period;
            sum -= tp[t - period + 1];
        }

        var dev = Scratch.Uninitialized(n);
        WindowSums.AbsDeviations(tp, mean, period, dev);
        for (int t = period - 1; t < n; t++)
        {
            double diff = tp[t] - mean[t];
            output[t] = diff != 0 && dev[t] != 0 ? diff / (0.015 * (dev[t] / period)) : 0;
        }
    }

    /// <summary>Lookback of the MOM and ROC family: period.</summary>
    public static int MomLookback(int period = 10) => period;

    /// <summary>Momentum (TA_MOM): x[t] − x[t−period].</summary>
    public static void Mom(ReadOnlySpan<double> input, Span<double> output, int period = 10) =>
        Change(input, output, period, static (x, p) => x - p);

    /// <summary>Rate of change (TA_ROC): (x/prev − 1)·100; 0 when prev is 0.</summary>
    public static void Roc(ReadOnlySpan<double> input, Span<double> output, int period = 10) =>
        Change(input, output, period, static (x, p) => p != 0 ? (x / p - 1) * 100 : 0);

    /// <summary>Rate of change percentage (TA_ROCP): (x − prev)/prev; 0 when prev is 0.</summary>
    public static void Rocp(ReadOnlySpan<double> input, Span<double> output, int period = 10) =>
        Change(input, output, period, static (x, p) => p != 0 ? (x - p) / p : 0);

    /// <summary>Rate of change ratio (TA_ROCR): x/prev; 0 when prev is 0.</summary>
    public static void Rocr(ReadOnlySpan<double> input, Span<double> output, int period = 10) =>
        Change(input, output, period, static (x, p) => p != 0 ? x / p : 0);

    /// <summary>Rate of change ratio × 100 (TA_ROCR100); 0 when prev is 0.</summary>
    public static void Rocr100(ReadOnlySpan<double> input, Span<double> output, int period = 10) =>
        Change(input, output, period, static (x, p) => p != 0 ? x / p * 100 : 0);

    private static void Change(ReadOnlySpan<double> x, Span<double> output, int period, Func<double, double, double> f)
    {
        Ta.Period(period, 1, nameof(period), x.Length);
        Ta.SameLength(x.Length, output);
        if (!Ta.WarmUp(output, period)) return;
        for (int t = period; t < x.Length; t++) output[t] = f(x[t], x[t - period]);
    }

    /// <summary>Lookback of <see cref="Ppo"/> and <see cref="Apo"/>: that of the slower moving average.</summary>
    public static int PpoLookback(int fast = 12, int slow = 26, MaType maType = MaType.Sma) =>
        MovingAverages.MaLookback(Math.Max(fast, slow), maType);

    /// <summary>Absolute price oscillator (TA_APO): MA(fast) − MA(slow).</summary>
    public static void Apo(ReadOnlySpan<double> input, Span<double> output, int fast = 12, int slow = 26, MaType maType = MaType.Sma) =>
        PriceOscillator(input, output, fast, slow, maType, percent: false);

    /// <summary>Percentage price oscillator (TA_PPO): (MA(fast) − MA(slow)) / MA(slow) · 100; 0 when MA(slow) is 0.</summary>
    public static void Ppo(ReadOnlySpan<double> input, Span<double> output, int fast = 12, int slow = 26, MaType maType = MaType.Sma) =>
        PriceOscillator(input, output, fast, slow, maType, percent: true);

    private static void PriceOscillator(ReadOnlySpan<double> x, Span<double> output, int fast, int slow, MaType maType, bool percent)
    {
        Ta.Period(fast, 2, nameof(fast), x.Length);
        Ta.Period(slow, 2, nameof(slow), x.Length);
        Ta.SameLength(x.Length, output);
        if (slow < fast) (fast, slow) = (slow, fast);
        int lookback = PpoLookback(fast, slow, maType);
        using var scratch = Scratch.Begin();
        var f = Scratch.Doubles(x.Length);
        var s = Scratch.Doubles(x.Length);
        MovingAverages.Ma(x, s, slow, maType);
        if (maType == MaType.Ema)
        {
            // TA-Lib seeds the fast EMA where the slow one starts.
            MovingAverages.EmaCore(x, f, fast, Ta.K(fast), lookback - (fast - 1));
        }
        else
        {
            MovingAverages.Ma(x, f, fast, maType);
        }

        if (!Ta.WarmUp(output, lookback)) return;
        for (int t = lookback; t < x.Length; t++)
        {
            double d = f[t] - s[t];
            output[t] = !percent ? d : !Ta.IsZero(s[t]) ? d / s[t] * 100 : 0;
        }
    }

    /// <summary>Lookback of <see cref="Trix"/>: 3 × (period − 1) + 1.</summary>
    public static int TrixLookback(int period = 30) => 3 * (period - 1) + 1;

    /// <summary>TRIX (TA_TRIX): one-day rate of change (×100) of a triple EMA.</summary>
    public static void Trix(ReadOnlySpan<double> input, Span<double> output, int period = 30)
    {
        Ta.Period(period, 1, nameof(period), input.Length);
        Ta.SameLength(input.Length, output);
        int n = input.Length;
        using var scratch = Scratch.Begin();
        var (_, _, e3) = MovingAverages.TripleEma(input, period);
        int lookback = TrixLookback(period);
        if (!Ta.WarmUp(output, lookback)) return;
        for (int t = lookback; t < n; t++) output[t] = e3[t - 1] != 0 ? (e3[t] / e3[t - 1] - 1) * 100 : 0;
    }

    /// <summary>Lookback of <see cref="UltOsc"/>: the longest period.</summary>
    public static int UltOscLookback(int period1 = 7, int period2 = 14, int period3 = 28) => Math.Max(period1, Math.Max(period2, period3));

    /// <summary>Ultimate oscillator (TA_ULTOSC): 100·(4·A(short) + 2·A(mid) + A(long))/7, A = Σ buying pressure / Σ true range.</summary>
    public static void UltOsc(ReadOnlySpan<double> high, ReadOnlySpan<double> low, ReadOnlySpan<double> close, Span<double> output,
        int period1 = 7, int period2 = 14, int period3 = 28)
    {
        Ta.Period(period1, 1, nameof(period1), close.Length);
        Ta.Period(period2, 1, nameof(period2), close.Length);
        Ta.Period(period3, 1, nameof(period3), close.Length);
        Ta.SameLength(close.Length, output);
        int[] p = [period1, period2, period3];
        Array.Sort(p);
        int lookback = p[2];
        if (!Ta.WarmUp(output, lookback)) return;
        int n = close.Length;
        using var scratch = Scratch.Begin();
        var bp = Scratch.Uninitialized(n);
        var tr = Scratch.Uninitialized(n);
        BarChanges.TrueRange(high, low, close, tr);
        BarChanges.BuyingPressure(low, close, bp);

        // The three windows' sums of buying pressure and true range as lanes of two vectors (the fourth lane idle, its
        // range 1), so the three averages take one division per bar; each lane adds and divides as the scalar loop.
        var sumBp = Vector256<double>.Zero;
        var sumTr = Vector256.Create(0, 0, 0, 1.0);
        for (int k = 0; k < 3; k++)
        {
            double b = 0, r = 0;
            for (int j = lookback - p[k] + 1; j <= lookback; j++)
            {
                b += bp[j];
                r += tr[j];
            }

            sumBp = sumBp.WithElement(k, b);
            sumTr = sumTr.WithElement(k, r);
        }

        var tiny = Vector256.Create(1e-8);
        for (int t = lookback; t < n; t++)
        {
            if (t > lookback)
            {
                sumBp += Vector256.Create(bp[t]) - Vector256.Create(bp[t - p[0]], bp[t - p[1]], bp[t - p[2]], 0);
                sumTr += Vector256.Create(tr[t]) - Vector256.Create(tr[t - p[0]], tr[t - p[1]], tr[t - p[2]], 0);
            }

            var isZero = Vector256.GreaterThan(sumTr, -tiny) & Vector256.LessThan(sumTr, tiny);
            var a = Vector256.ConditionalSelect(isZero, Vector256<double>.Zero, sumBp / sumTr);
            double total = 0;
            total += a.GetElement(0) * 4;
            total += a.GetElement(1) * 2;
            total += a.GetElement(2) * 1;
            output[t] = 100 * (total / 7);
        }
    }

    /// <summary>Balance of power (TA_BOP): (close − open)/(high − low); 0 on a bar without range.</summary>
    public static void Bop(ReadOnlySpan<double> open, ReadOnlySpan<double> high, ReadOnlySpan<double> low, ReadOnlySpan<double> close, Span<double> output)
    {
        Ta.SameLength(close.Length, output);
        for (int t = 0; t < close.Length; t++)
        {
            double range = high[t] - low[t];
            output[t] = Ta.IsZeroOrNeg(range) ? 0 : (close[t] - open[t]) / range;
        }
    }

    /// <summary>Lookback of <see cref="Willr"/>: period − 1.</summary>
    public static int WillrLookback(int period = 14) => period - 1;

    /// <summary>Williams %R (TA_WILLR): −100·(highest − close)/(highest − lowest); 0 without range.</summary>
    public static void Willr(ReadOnlySpan<double> high, ReadOnlySpan<double> low, ReadOnlySpan<double> close, Span<double> output, int period = 14)
    {
        Ta.Period(period, 2, nameof(period), close.Length);
        Ta.SameLength(close.Length, output);
        if (!Ta.WarmUp(output, period - 1)) return;
        using var scratch = Scratch.Begin();
        var highest = Scratch.Uninitialized(close.Length);
        var lowest = Scratch.Uninitialized(close.Length);
        Window.Max(high, period, highest);
        Window.Min(low, period, lowest);
        for (int t = period - 1; t < close.Length; t++)
        {
            double hi = highest[t];
            double diff = (hi - lowest[t]) / -100.0;
            output[t] = diff != 0 ? (hi - close[t]) / diff : 0;
        }
    }

    /// <summary>Lookback of <see cref="Mfi"/>: period.</summary>
    public static int MfiLookback(int period = 14) => period;

    /// <summary>Money flow index (TA_MFI): 100·positive flow/(positive + negative) of typical price × volume; 0 when the total flow is below 1.</summary>
    public static void Mfi(ReadOnlySpan<double> high, ReadOnlySpan<double> low, ReadOnlySpan<double> close, ReadOnlySpan<double> volume,
        Span<double> output, int period = 14)
    {
        Ta.Period(period, 2, nameof(period), close.Length);
        Ta.SameLength(close.Length, output);
        if (!Ta.WarmUp(output, period)) return;
        int n = close.Length;
        using var scratch = Scratch.Begin();
        var pos = Scratch.Uninitialized(n);
        var neg = Scratch.Uninitialized(n);
        BarChanges.MoneyFlows(high, low, close, volume, pos, neg);

        double sp = 0, sn = 0;
        for (int t = 1; t <= period; t++)
        {
            sp += pos[t];
            sn += neg[t];
        }

        for (int t = period; t < n; t++)
        {
            if (t > period)
            {
                sp += pos[t] - pos[t - period];
                sn += neg[t] - neg[t - period];
            }

            double total = sp + sn;
            output[t] = total < 1.0 ? 0 : 100 * (sp / total);
        }
    }
}
