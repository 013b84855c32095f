using System.Text.Json;
using Research.Core.Backtesting;
using Research.Core.Backtesting.Costs;
using Research.Core.Backtesting.Strategies;
using Research.Core.Configuration;
using Research.Core.Risk;

namespace Research.Serving;

/// <summary>
/// How predictions become target weights and how the risk manager checks them: the backtest's sizing rule and top-k,
/// the risk limits (null: the risk manager is off), the notional equity the weights are of, and the cost model behind
/// the limits' net-of-costs equity.
/// </summary>
/// <param name="Sizing">The model-driven strategy's sizing.</param>
/// <param name="TopK">Names held by top-k sizing.</param>
/// <param name="Limits">Risk limits, or null when the run traded without the risk manager.</param>
/// <param name="Equity">Notional equity of the flat book the orders are checked against.</param>
/// <param name="Costs">The cost model.</param>
/// <param name="Source">Where the settings came from: the model's logged config, a risk file, or the defaults.</param>
public sealed record ServingPolicy(SignalSizing Sizing, int TopK, RiskLimits? Limits, double Equity, CostModel Costs, string Source)
{
    /// <summary>Bars behind the trailing volatility and average volume of the cost model and the ADV limit (the engine's window).</summary>
    public static int StatisticsWindow { get; } = new BacktestOptions().StatisticsWindow;

    /// <summary>
    /// The policy for the model in <paramref name="modelFolder"/>: a risk-limits JSON file (<paramref name="riskFile"/>,
    /// when given) overrides the limits; otherwise the backtest section of the config its run logged beside it
    /// (<c>../config.json</c>); otherwise the defaults of <see cref="BacktestConfig"/>'s sizing and <see cref="RiskLimits"/>.
    /// </summary>
    public static ServingPolicy Resolve(string modelFolder, string? riskFile)
    {
        var defaults = new BacktestConfig();
        string logged = Path.Combine(modelFolder, "..", "config.json");
        BacktestConfig? config = File.Exists(logged) ? ConfigLoader.Parse(File.ReadAllText(logged), logged).Backtest : null;
        var b = config ?? defaults;
        if (riskFile is not null)
        {
            var limits = JsonSerializer.Deserialize<RiskLimits>(File.ReadAllText(riskFile), ConfigJson.Options)
                         ?? throw new InvalidDataException($"{riskFile}: empty risk limits.");
            return new ServingPolicy(b.ModelSizing, b.ModelTopK, limits.Validate(), b.InitialCash, b.Costs(), $"risk file {riskFile}");
        }

        if (config is not null)
            return new ServingPolicy(config.ModelSizing, config.ModelTopK, config.Limits(double.NaN)?.Validate(), config.InitialCash, config.Costs(), $"logged config {Path.GetFullPath(logged)}");
        return new ServingPolicy(defaults.ModelSizing, defaults.ModelTopK, new RiskLimits(), defaults.InitialCash, defaults.Costs(), "defaults");
    }
}
