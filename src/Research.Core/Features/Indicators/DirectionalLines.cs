namespace Research.Core.Features.Indicators;

/// <summary>
/// +DI, −DI, DX and ADX of one series and period, computed together; the last result per thread is kept (keyed by the
/// inputs' values and the period) so ADX, ADXR, DX and the DI lines of the same bars share one pass.
/// </summary>
internal sealed class DirectionalLines
{
    [ThreadStatic] private static (double[] Key, int Period, DirectionalLines Lines)? _last;

    private DirectionalLines(int n)
    {
        PlusDi = new double[n];
        MinusDi = new double[n];
        Dx = new double[n];
        Adx = new double[n];
    }

    public double[] PlusDi { get; }

    public double[] MinusDi { get; }

    public double[] Dx { get; }

    public double[] Adx { get; }

    public static DirectionalLines Get(ReadOnlySpan<double> high, ReadOnlySpan<double> low, ReadOnlySpan<double> close, int period)
    {
        int n = close.Length;
        if (_last is { } c && c.Period == period && c.Key.Length == 3 * n && high.SequenceEqual(c.Key.AsSpan(0, n))
            && low.SequenceEqual(c.Key.AsSpan(n, n)) && close.SequenceEqual(c.Key.AsSpan(2 * n, n)))
        {
            return c.Lines;
        }

        bool reuse = _last is { } r && r.Key.Length == 3 * n;
        var key = reuse ? _last!.Value.Key : new double[3 * n];
        high.CopyTo(key);
        low.CopyTo(key.AsSpan(n));
        close.CopyTo(key.AsSpan(2 * n));
        // Lines writes every index the readers take (from the period on; ADX from 2·period − 1 on).
        var lines = reuse ? _last!.Value.Lines : new DirectionalLines(n);
        Directional.Lines(high, low, close, period, lines.PlusDi, lines.MinusDi, lines.Dx, lines.Adx);
        _last = (key, period, lines);
        return lines;
    }
}
