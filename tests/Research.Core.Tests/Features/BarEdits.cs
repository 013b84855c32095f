using Research.Core.Features.Catalog;

namespace Research.Core.Tests.Features;

/// <summary>Edited copies of bars for the panel tests: leading NaN, flat stretches.</summary>
internal static class BarEdits
{
    /// <summary>A copy whose first <paramref name="count"/> bars are NaN in every field.</summary>
    public static Ohlcv WithLeadingNaN(Ohlcv bars, int count)
    {
        double[] Blank(ReadOnlyMemory<double> a)
        {
            var r = a.ToArray();
            r.AsSpan(0, count).Fill(double.NaN);
            return r;
        }

        return Ohlcv.Of(Blank(bars.Open), Blank(bars.High), Blank(bars.Low), Blank(bars.Close), Blank(bars.Volume));
    }

    /// <summary>A copy whose bars [from, to) all equal the close at <paramref name="from"/> (open = high = low = close), the volume held too when asked.</summary>
    public static Ohlcv Flat(Ohlcv bars, int from, int to, bool holdVolume = false)
    {
        double[] Hold(ReadOnlyMemory<double> a)
        {
            var r = a.ToArray();
            r.AsSpan(from, to - from).Fill(r[from]);
            return r;
        }

        var close = Hold(bars.Close);
        return Ohlcv.Of(close.ToArray(), close.ToArray(), close.ToArray(), close, holdVolume ? Hold(bars.Volume) : bars.Volume.ToArray());
    }
}
