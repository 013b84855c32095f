using Research.Core.Data.Providers;

namespace Research.Core.Data;

/// <summary>
/// Where bars come from: a local folder of CSV/Parquet files (<see cref="LocalBarSource"/>, the offline default) or a
/// market-data provider through the incremental bar cache (<see cref="ProviderBarSource"/>: Alpaca, Yahoo). Every
/// source returns the same checked panel: its bars go through one <see cref="Quality.QualityChecker"/> with the
/// source's repair policy, so a strategy cannot tell where its data came from except by the provenance recorded in
/// <see cref="MarketData"/>.
/// </summary>
public interface IMarketDataSource
{
    /// <summary>The source's name: <c>local</c>, <c>alpaca</c> or <c>yahoo</c>.</summary>
    string Name { get; }

    /// <summary>
    /// The bars of <paramref name="symbols"/> for the New York session dates <paramref name="start"/> to
    /// <paramref name="end"/> (both inclusive) at <paramref name="timeframe"/>, checked and repaired, on one calendar.
    /// A local source reads every symbol it holds when <paramref name="symbols"/> is empty, and every date it holds
    /// between <see cref="DateOnly.MinValue"/> and <see cref="DateOnly.MaxValue"/>.
    /// </summary>
    Task<MarketData> GetBarsAsync(IReadOnlyList<string> symbols, DateOnly start, DateOnly end, BarTimeframe timeframe,
        CancellationToken cancellationToken = default);
}
