using Prometheus;

namespace Research.Serving;

/// <summary>
/// The server's Prometheus metrics in a registry of its own: requests by route and status code, prediction latency,
/// and an info gauge carrying the served model's name, version and run id.
/// </summary>
public sealed class ServingMetrics
{
    /// <summary>Creates the metrics in a new registry.</summary>
    public ServingMetrics()
    {
        Registry = Metrics.NewCustomRegistry();
        var factory = Metrics.WithCustomRegistry(Registry);
        Requests = factory.CreateCounter("research_serving_requests_total", "HTTP requests answered, by route and status code.",
            new CounterConfiguration { LabelNames = ["route", "code"] });
        PredictionSeconds = factory.CreateHistogram("research_serving_prediction_seconds", "Time to compute one predict request's forecasts and risk verdicts.",
            new HistogramConfiguration { Buckets = Histogram.ExponentialBuckets(0.001, 2, 14) });
        ModelInfo = factory.CreateGauge("research_serving_model_info", "The served model (1 while loaded).",
            new GaugeConfiguration { LabelNames = ["name", "version", "run_id"] });
        Feedback = factory.CreateCounter("research_serving_feedback_total", "Feedback items received, by result (matched or unmatched).",
            new CounterConfiguration { LabelNames = ["result"] });
        LiveRankIc = factory.CreateGauge("research_serving_live_rank_ic", "Spearman rank IC of expected vs realised returns over the recent matched feedback, pooled (NaN when undefined).");
        LiveHitRate = factory.CreateGauge("research_serving_live_hit_rate", "Share of recent matched feedback whose forecast sign was right (NaN when undefined).");
        LivePairs = factory.CreateGauge("research_serving_live_pairs", "Matched feedback pairs behind the live rank IC and hit rate.");
        LiveRankIc.Set(double.NaN);
        LiveHitRate.Set(double.NaN);
        FeaturePsi = factory.CreateGauge("research_serving_feature_psi", "Population stability index of each feature's served values against the training window (10 reference-decile bins).",
            new GaugeConfiguration { LabelNames = ["feature"] });
        FeatureKs = factory.CreateGauge("research_serving_feature_ks", "Two-sample Kolmogorov-Smirnov statistic of each feature's served values against the training window.",
            new GaugeConfiguration { LabelNames = ["feature"] });
        InFlight = factory.CreateGauge("research_serving_in_flight_requests", "HTTP requests being answered now.");
        Reloads = factory.CreateCounter("research_serving_reloads_total", "Model reloads, by result (ok or failed).",
            new CounterConfiguration { LabelNames = ["result"] });
    }

    /// <summary>The registry <c>/metrics</c> exports.</summary>
    public CollectorRegistry Registry { get; }

    /// <summary>research_serving_requests_total{route, code}.</summary>
    public Counter Requests { get; }

    /// <summary>research_serving_prediction_seconds.</summary>
    public Histogram PredictionSeconds { get; }

    /// <summary>research_serving_model_info{name, version, run_id}.</summary>
    public Gauge ModelInfo { get; }

    /// <summary>research_serving_feedback_total{result}.</summary>
    public Counter Feedback { get; }

    /// <summary>research_serving_live_rank_ic.</summary>
    public Gauge LiveRankIc { get; }

    /// <summary>research_serving_live_hit_rate.</summary>
    public Gauge LiveHitRate { get; }

    /// <summary>research_serving_live_pairs.</summary>
    public Gauge LivePairs { get; }

    /// <summary>Sets the live accuracy gauges.</summary>
    public void SetLive(LiveScore score)
    {
        LiveRankIc.Set(score.RankIc ?? double.NaN);
        LiveHitRate.Set(score.HitRate ?? double.NaN);
        LivePairs.Set(score.Pairs);
    }

    /// <summary>research_serving_feature_psi{feature}.</summary>
    public Gauge FeaturePsi { get; }

    /// <summary>research_serving_feature_ks{feature}.</summary>
    public Gauge FeatureKs { get; }

    /// <summary>Sets the drift gauges from <paramref name="report"/> (NaN for a feature with no live value yet).</summary>
    public void SetDrift(DriftReport report)
    {
        foreach (var (feature, drift) in report.Features)
        {
            FeaturePsi.WithLabels(feature).Set(drift.Psi ?? double.NaN);
            FeatureKs.WithLabels(feature).Set(drift.Ks ?? double.NaN);
        }
    }

    /// <summary>research_serving_in_flight_requests.</summary>
    public Gauge InFlight { get; }

    /// <summary>research_serving_reloads_total{result}.</summary>
    public Counter Reloads { get; }

    /// <summary>Sets the info gauge for <paramref name="info"/>.</summary>
    public void SetModel(ModelInfo info) => ModelInfo.WithLabels(info.Name, info.Version, info.RunId ?? "").Set(1);

    /// <summary>Removes the info gauge of a model no longer served.</summary>
    public void ClearModel(ModelInfo info) => ModelInfo.RemoveLabelled(info.Name, info.Version, info.RunId ?? "");
}
