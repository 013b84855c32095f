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

    /// <summary>research_serving_reloads_total{result}.</summary>
    public Counter Reloads { get; }

    /// <summary>Sets the info gauge for <paramref name="info"/>.</summary>
    public void SetModel(ModelInfo info) => ModelInfo.WithLabels(info.Name, info.Version, info.RunId ?? "").Set(1);

    /// <summary>Removes the info gauge of a model no longer served.</summary>
    public void ClearModel(ModelInfo info) => ModelInfo.RemoveLabelled(info.Name, info.Version, info.RunId ?? "");
}
