using System.Globalization;
using System.Text;
using Research.Core.Models;

namespace Research.Core.Pipeline.Stages;

/// <summary>
/// Trains the CNN+LSTM forecaster on the training block (early stopping on validation; per-epoch metrics to the
/// stage's MLflow run), scores it on the test block next to the naive baselines (and on stitched walk-forward
/// forecasts when configured), prints the comparison, and saves the model folder and the test forecasts.
/// </summary>
public sealed class ForecastStage : IRunStage
{
    /// <summary>Tag and param marking a shuffled-target (leakage probe) run.</summary>
    public const string ShuffleTargetKey = "shuffle_target";

    /// <inheritdoc />
    public string Name => "forecast";

    /// <inheritdoc />
    public void Run(RunContext context)
    {
        var cfg = context.Config.Forecaster;
        if (!cfg.Enabled)
        {
            context.Log.WriteLine("  forecaster disabled in the config");
            return;
        }

        var data = context.RequireData();
        if (context.ShuffleTargetSeed is { } shuffleSeed)
        {
            context.Log.WriteLine($"  shuffle-target probe: train and validation targets permuted within each ticker (permutation seed {shuffleSeed}); " +
                                  "features untouched, test targets real: the test IC should be ≈ 0");
            foreach (var run in new[] { context.TrackedRun, context.StageRun })
            {
                run?.SetTag(ShuffleTargetKey, "true");
                run?.LogParams([new(ShuffleTargetKey, "true"), new("shuffle_target_seed", shuffleSeed.ToString(CultureInfo.InvariantCulture))]);
            }
        }

        var result = ForecastExperiment.Run(data.Panel, context.RequireSplit(), context.Windows, cfg, context.Config.Seed, context.Config.Quick,
            context.Log, e =>
            {
                context.StageRun?.LogMetrics(
                [
                    new("train_loss", e.TrainLoss), new("val_loss", e.ValidationLoss), new("learning_rate", e.LearningRate),
                    new("samples_per_s", e.SamplesPerSecond),
                ], e.Epoch);
                context.OnForecastEpoch?.Invoke(e);
            }, Path.Combine(context.RunDirectory, "checkpoints"), context.ShuffleTargetSeed, context.Cancellation);
        context.Forecast = result;
        var best = result.Training.History.First(h => h.Epoch == result.Training.BestEpoch);
        context.Metrics["forecast.best_epoch"] = best.Epoch;
        context.Metrics["forecast.best_val_loss"] = best.ValidationLoss;
        context.Metrics["forecast.train_samples_per_s"] = result.Training.History.Average(h => h.SamplesPerSecond);
        Record(context, "test", result.Test);
        context.Log.WriteLine($"  test block, {result.Test[0].Count:N0} forecasts (best epoch {best.Epoch}{(result.Training.StoppedEarly ? ", stopped early" : "")}):");
        context.Log.Write(Table(result.Test));
        if (result.WalkForward is { } wf)
        {
            Record(context, "walk_forward", wf);
            context.Log.WriteLine($"  walk-forward, stitched out-of-sample ({wf[0].Count:N0} forecasts):");
            context.Log.Write(Table(wf));
        }

        string folder = Path.Combine(context.RunDirectory, "model");
        result.Forecaster.Save(folder, context.TrackedRun?.RunId);
        foreach (var f in new[] { "MLmodel", "weights.bin", "metadata.json" }) context.Artifacts.Add($"model/{f}");
        context.WriteArtifact("forecasts.csv", ForecastsCsv(result, data.Panel.Calendar));
        context.Log.WriteLine($"  model folder: {folder}");
    }

    /// <summary>The side-by-side table: one line per metric, one column per model or baseline.</summary>
    public static string Table(IReadOnlyList<ForecastMetrics> rows)
    {
        var inv = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.Append("  ").Append("metric".PadRight(22));
        foreach (var r in rows) sb.Append(r.Name.PadLeft(13));
        sb.Append('\n');
        void Line(string label, Func<ForecastMetrics, double> value, string format)
        {
            sb.Append("  ").Append(label.PadRight(22));
            foreach (var r in rows)
            {
                double v = value(r);
                sb.Append((double.IsFinite(v) ? v.ToString(format, inv) : "—").PadLeft(13));
            }

            sb.Append('\n');
        }

        Line("MSE (×1e4)", r => r.Mse * 1e4, "F4");
        Line("MAE (×1e2)", r => r.Mae * 1e2, "F4");
        Line("directional accuracy", r => r.DirectionalAccuracy, "P2");
        Line("rank IC, daily mean", r => r.IcMean, "F4");
        Line("rank IC, t-stat", r => r.IcTStat, "F2");
        Line("Brier score", r => r.Brier, "F4");
        return sb.ToString();
    }

    private static void Record(RunContext context, string block, IReadOnlyList<ForecastMetrics> rows)
    {
        foreach (var r in rows)
        {
            string p = $"forecast.{block}.{r.Name}";
            void Set(string k, double v)
            {
                if (double.IsFinite(v)) context.Metrics[$"{p}.{k}"] = v;
            }

            Set("mse", r.Mse);
            Set("mae", r.Mae);
            Set("directional_accuracy", r.DirectionalAccuracy);
            Set("ic_mean", r.IcMean);
            Set("ic_tstat", r.IcTStat);
            Set("brier", r.Brier);
        }
    }

    private static string ForecastsCsv(ForecastResult result, Data.TradingCalendar calendar)
    {
        var inv = CultureInfo.InvariantCulture;
        var sb = new StringBuilder("date,ticker,expected_return,probability_up,actual\n");
        var set = result.TestForecasts;
        for (int i = 0; i < set.Samples.Count; i++)
        {
            var s = set.Samples[i];
            sb.Append(calendar[s.Date].ToString("yyyy-MM-dd", inv)).Append(',').Append(result.Tickers[s.Ticker]).Append(',')
                .Append(set.Predicted[i].ToString("R", inv)).Append(',').Append(set.Probability[i].ToString("R", inv)).Append(',')
                .Append(set.Actual[i].ToString("R", inv)).Append('\n');
        }

        return sb.ToString();
    }
}
