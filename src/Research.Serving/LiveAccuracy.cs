using MathNet.Numerics.Statistics;

namespace Research.Serving;

/// <summary>
/// Live accuracy over the last <c>window</c> matched (forecast, realised return) pairs, pooled across tickers and
/// dates: the rank IC (Spearman correlation of expected and realised returns) and the hit rate (share of pairs whose
/// forecast and realised return have the same sign; pairs where either is exactly 0 are left out of the hit rate).
/// </summary>
public sealed class LiveAccuracy(int window)
{
    private readonly Lock _lock = new();
    private readonly double[] _expected = new double[window];
    private readonly double[] _realized = new double[window];
    private int _next;
    private int _count;

    /// <summary>Adds a matched pair, dropping the oldest past the window.</summary>
    public void Add(double expectedReturn, double realizedReturn)
    {
        lock (_lock)
        {
            _expected[_next] = expectedReturn;
            _realized[_next] = realizedReturn;
            _next = (_next + 1) % _expected.Length;
            _count = Math.Min(_count + 1, _expected.Length);
        }
    }

    /// <summary>The rank IC, hit rate and number of pairs now (null when undefined: fewer than 2 pairs, constant ranks, no signed pair).</summary>
    public LiveScore Score()
    {
        double[] e, r;
        lock (_lock)
        {
            e = _expected[.._count];
            r = _realized[.._count];
        }

        return new LiveScore(Defined(RankIc(e, r)), Defined(HitRate(e, r)), e.Length);
    }

    private static double? Defined(double x) => double.IsFinite(x) ? x : null;

    /// <summary>Spearman rank correlation (average ranks for ties); NaN with fewer than 2 pairs or constant ranks.</summary>
    public static double RankIc(double[] expected, double[] realized) =>
        expected.Length < 2 ? double.NaN : Correlation.Spearman(expected, realized);

    /// <summary>Share of pairs with both values non-zero whose signs agree; NaN when there is none.</summary>
    public static double HitRate(double[] expected, double[] realized)
    {
        int signed = 0, hits = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            if (expected[i] == 0 || realized[i] == 0) continue;
            signed++;
            if (Math.Sign(expected[i]) == Math.Sign(realized[i])) hits++;
        }

        return signed == 0 ? double.NaN : (double)hits / signed;
    }
}

/// <summary>Live accuracy over the recent matched pairs.</summary>
/// <param name="RankIc">Spearman correlation of expected and realised returns (null when undefined).</param>
/// <param name="HitRate">Share of sign agreements (null when undefined).</param>
/// <param name="Pairs">Matched pairs in the window.</param>
public sealed record LiveScore(
    [property: System.Text.Json.Serialization.JsonPropertyName("rank_ic")] double? RankIc,
    [property: System.Text.Json.Serialization.JsonPropertyName("hit_rate")] double? HitRate,
    [property: System.Text.Json.Serialization.JsonPropertyName("n")] int Pairs);
