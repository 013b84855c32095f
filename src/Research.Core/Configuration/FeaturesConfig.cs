using Research.Core.Features;

namespace Research.Core.Configuration;

/// <summary>The <c>features</c> section: which indicators and transforms to compute and how to normalise them.</summary>
public sealed record FeaturesConfig
{
    /// <summary>
    /// Indicators: catalog names (<c>RSI</c>, <c>rsi_30</c>), names with parameters (<c>RSI(period=30)</c>), <c>finrl</c> for
    /// FinRL's default list, <c>talib</c> for every TA-Lib indicator, <c>all</c> for the whole catalog.
    /// </summary>
    public IReadOnlyList<string> Indicators { get; init; } = ["finrl"];

    /// <summary>Add FinRL's turbulence index (panel-wide).</summary>
    public bool Turbulence { get; init; } = true;

    /// <summary>Trailing window of the turbulence index in days.</summary>
    public int TurbulenceWindow { get; init; } = 252;

    /// <summary>An index CSV (Yahoo layout) whose close joins as feature <c>vix</c>, or null (relative to the config file).</summary>
    public string? Vix { get; init; } = "../data/indices/^VIX.csv";

    /// <summary>Add daily log returns of the close.</summary>
    public bool LogReturns { get; init; } = true;

    /// <summary>Windows of rolling annualised volatility of log returns (features <c>volatility_N</c>).</summary>
    public IReadOnlyList<int> Volatility { get; init; } = [20];

    /// <summary>Windows of rolling z-scores of the close (features <c>zscore_N</c>).</summary>
    public IReadOnlyList<int> ZScore { get; init; } = [20];

    /// <summary>Normalisation fitted on the training block only: none, zscore, robust or minmax.</summary>
    public NormalizationMethod Normalization { get; init; } = NormalizationMethod.ZScore;

    internal void Validate(string at)
    {
        if (Indicators.Count == 0 && !Turbulence && !LogReturns && Volatility.Count == 0 && ZScore.Count == 0 && Vix is null)
        {
            throw new ConfigException($"{at}.indicators", "no features selected.");
        }

        for (int i = 0; i < Indicators.Count; i++)
        {
            try
            {
                FeaturePipeline.Expand([Indicators[i]]);
            }
            catch (ArgumentException e)
            {
                throw new ConfigException($"{at}.indicators[{i}]", e.Message, e);
            }
        }

        if (TurbulenceWindow < 2) throw new ConfigException($"{at}.turbulenceWindow", $"must be at least 2; got {TurbulenceWindow}.");
        for (int i = 0; i < Volatility.Count; i++)
        {
            if (Volatility[i] < 2) throw new ConfigException($"{at}.volatility[{i}]", $"must be at least 2; got {Volatility[i]}.");
        }

        for (int i = 0; i < ZScore.Count; i++)
        {
            if (ZScore[i] < 2) throw new ConfigException($"{at}.zScore[{i}]", $"must be at least 2; got {ZScore[i]}.");
        }
    }
}
