using Research.Core.Backtesting;
using Research.Core.Backtesting.Strategies;
using Research.Core.Data;
using Research.Core.Models;
using Research.Core.Risk;

namespace Research.Serving;

/// <summary>
/// Answers a predict request the way the backtest trades: the forecaster over the request's panel through
/// <see cref="ForecastSignals.Compute(Forecaster, MarketPanel, float[][], int)"/> over <see cref="ForecastFeatures.Compute(MarketPanel, IReadOnlyList{string})"/> (the training code path for features), the last date's forecasts, target
/// weights by <see cref="ModelDriven.Weights"/> from the expected returns, then the risk manager's pre-trade check
/// of buying those weights from a flat book of the policy's notional equity.
/// </summary>
public sealed class Predictor(ServedModel model)
{
    /// <summary>The served model.</summary>
    public ServedModel Model { get; } = model;

    /// <summary>
    /// Parses and predicts <paramref name="calls"/> synthetic requests (a seeded random walk of min_bars daily bars for
    /// the model's first ticker), so the JIT has compiled the hot path before the model takes traffic. Nothing is
    /// recorded anywhere (no metrics, drift, memory or log).
    /// </summary>
    public void WarmUp(int calls)
    {
        if (calls <= 0) return;
        var rng = new Random(17);
        var bars = new System.Text.Json.Nodes.JsonArray();
        var date = new DateOnly(2000, 1, 3);
        double close = 100;
        for (int i = 0; i < Model.Info.MinBars; i++)
        {
            while (date.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday) date = date.AddDays(1);
            double open = close, move = 0.01 * (rng.NextDouble() * 2 - 1);
            close = open * (1 + move);
            bars.Add(new System.Text.Json.Nodes.JsonObject
            {
                ["date"] = date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
                ["open"] = open, ["high"] = Math.Max(open, close) * 1.005, ["low"] = Math.Min(open, close) * 0.995, ["close"] = close,
                ["volume"] = 1_000_000 + rng.Next(100_000),
            });
            date = date.AddDays(1);
        }

        var body = new System.Text.Json.Nodes.JsonObject { ["bars"] = new System.Text.Json.Nodes.JsonObject { [Model.Info.Tickers[0]] = bars } };
        using var doc = System.Text.Json.JsonDocument.Parse(body.ToJsonString());
        for (int i = 0; i < calls; i++) Predict(BarsRequest.Parse(doc.RootElement, Model.Info));
    }

    /// <summary>
    /// Forecasts, target weights and risk verdicts for the last date of <paramref name="request"/>; each ticker's raw
    /// feature row at that date goes to <paramref name="drift"/> when given.
    /// </summary>
    /// <exception cref="RequestProblem">422 when a ticker has no complete window at the last date.</exception>
    public PredictResponse Predict(BarsRequest request, string path = "", DriftMonitor? drift = null)
    {
        var panel = request.Panel;
        int n = panel.DateCount, k = panel.TickerCount, last = n - 1, f = Model.Info.Features.Count;
        var raw = ForecastFeatures.Compute(panel, Model.Forecaster.Metadata.Config.Indicators);
        var signals = ForecastSignals.Compute(Model.Forecaster, panel, raw, last); // the inference kernel is thread-safe

        var expected = new double[k];
        for (int j = 0; j < k; j++)
        {
            expected[j] = signals.ExpectedReturn[j * n + last];
            if (!double.IsFinite(expected[j]))
            {
                throw RequestProblem.Invalid($"{(path.Length == 0 ? "" : path + ".")}bars.{panel.Tickers[j]}",
                    $"no prediction for {panel.Tickers[j]} on {panel.Calendar[last]:yyyy-MM-dd}: its last {Model.Info.MinBars} (min_bars) dates need complete bars on every date of the request.");
            }
        }

        if (drift is not null)
        {
            for (int j = 0; j < k; j++) drift.Observe(Model, raw[j].AsSpan(last * f, f));
        }

        var policy = Model.Policy;
        var risk = new RiskManager(policy.Limits ?? new RiskLimits());
        var weights = new double[k];
        ModelDriven.Weights(expected, policy.Sizing, policy.TopK, j => ModelDriven.ReturnVariance(panel.Series(PriceField.Close, j)), risk.KellyWeight, weights);
        var verdicts = policy.Limits is null ? weights.Select(w => new TickerRisk(w, w, [])).ToArray() : Verdicts(panel, weights, risk, policy);

        var predictions = new Dictionary<string, TickerPrediction>(k, StringComparer.Ordinal);
        var riskByTicker = new Dictionary<string, TickerRisk>(k, StringComparer.Ordinal);
        for (int j = 0; j < k; j++)
        {
            int at = j * n + last;
            predictions[panel.Tickers[j]] = new TickerPrediction(expected[j], signals.ProbabilityUp[at], signals.Confidence[at], weights[j] > 0 ? "long" : "flat");
            riskByTicker[panel.Tickers[j]] = verdicts[j];
        }

        return new PredictResponse(Model.Info, predictions, riskByTicker);
    }

    /// <summary>
    /// Orders for the target weights at the last close (whole shares, as the engine sends them) through
    /// <see cref="RiskManager.Approve"/> one by one on a book that holds what was approved before; the reasons are the
    /// rules the manager logged for each order.
    /// </summary>
    private static TickerRisk[] Verdicts(MarketPanel panel, double[] weights, RiskManager risk, ServingPolicy policy)
    {
        int n = panel.DateCount, last = n - 1;
        var date = panel.Calendar[last];
        var book = new FlatBook(panel.TickerCount, policy.Equity);
        var result = new TickerRisk[weights.Length];
        for (int j = 0; j < weights.Length; j++)
        {
            double price = panel.Series(PriceField.Close, j)[last];
            double want = Math.Truncate(weights[j] * policy.Equity / price);
            if (want == 0)
            {
                result[j] = new TickerRisk(weights[j], weights[j], []);
                continue;
            }

            var (sigma, adv) = Trailing(panel, j);
            int logged = risk.Interventions.Count;
            // As the engine: limits on equity net of the order's own costs (no fill bar yet, so no price range).
            double approved = PreTrade.Approve(risk, policy.Costs, date, panel.Tickers[j], j, want, price, sigma, adv,
                double.NegativeInfinity, double.PositiveInfinity, book);

            var reasons = risk.Interventions.Skip(logged).Select(i => i.Rule).Distinct().ToArray();
            if (approved != 0) book.Buy(j, approved, price);
            result[j] = new TickerRisk(weights[j], approved == want ? weights[j] : weights[j] * approved / want, reasons);
        }

        return result;
    }

    /// <summary>σ of bar returns and mean volume over the engine's statistics window before the bar after the last (what its fill would see).</summary>
    private static (double Sigma, double Adv) Trailing(MarketPanel panel, int j)
    {
        var close = panel.Series(PriceField.Close, j);
        int n = close.Length;
        var sigma = new double[n + 1];
        var adv = new double[n + 1];
        TrailingStatistics.Compute(close, panel.Series(PriceField.Volume, j), ServingPolicy.StatisticsWindow, sigma, adv);
        return (sigma[n], adv[n]);
    }
}
