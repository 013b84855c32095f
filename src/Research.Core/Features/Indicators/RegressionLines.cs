namespace Research.Core.Features.Indicators;

/// <summary>
/// Rolling least-squares slopes and intercepts of one series and period; the last result per thread is kept (keyed by
/// the input's values and the period) so the five LINEARREG-family outputs of the same series share one pass.
/// </summary>
internal static class RegressionLines
{
    [ThreadStatic] private static (double[] Key, int Period, double[] Slope, double[] Intercept)? _last;

    public static (double[] Slope, double[] Intercept) Get(ReadOnlySpan<double> input, int period)
    {
        if (_last is { } c && c.Period == period && input.SequenceEqual(c.Key)) return (c.Slope, c.Intercept);
        bool reuse = _last is { } r && r.Key.Length == input.Length;
        var key = reuse ? _last!.Value.Key : new double[input.Length];
        var slope = reuse ? _last!.Value.Slope : new double[input.Length];
        var intercept = reuse ? _last!.Value.Intercept : new double[input.Length];
        input.CopyTo(key);
        Statistics.Regression(input, period, slope, intercept);
        _last = (key, period, slope, intercept);
        return (slope, intercept);
    }
}
