using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Research.Serving;

/// <summary>
/// Loads the model in the background once the server has started (so <c>/health</c> answers at once and
/// <c>/ready</c> says 503 until the model is in), and holds it. A failed load is logged, kept in <see cref="Error"/>
/// and stops the server.
/// </summary>
public sealed class ModelHost(Func<ServedModel> load, ServingMetrics metrics, IHostApplicationLifetime lifetime, ILogger<ModelHost> log)
    : IHostedService, IDisposable
{
    private Task? _loading;
    private volatile Predictor? _predictor;

    /// <summary>The predictor once the model is loaded, else null.</summary>
    public Predictor? Predictor => _predictor;

    /// <summary>Why loading failed (null while loading or when it succeeded).</summary>
    public Exception? Error { get; private set; }

    /// <summary>Completes when loading has finished, either way.</summary>
    public Task Loaded => _loading ?? Task.CompletedTask;

    /// <inheritdoc />
    public Task StartAsync(CancellationToken cancellationToken)
    {
        _loading = Task.Run(Load, CancellationToken.None);
        return Task.CompletedTask;
    }

    private void Load()
    {
        try
        {
            var model = load();
            metrics.SetModel(model.Info);
            log.LogInformation("Serving {Name} version {Version} (run {RunId}) from {Folder}: {Tickers} tickers, window {Window}, min_bars {MinBars}; sizing {Sizing}, risk limits from {Source}.",
                model.Info.Name, model.Info.Version, model.Info.RunId ?? "none", model.Folder, model.Info.Tickers.Count, model.Info.Window, model.Info.MinBars,
                model.Policy.Sizing, model.Policy.Source);
            _predictor = new Predictor(model);
        }
        catch (Exception e)
        {
            Error = e;
            log.LogCritical(e, "Could not load the model: {Message}", e.Message);
            lifetime.StopApplication();
        }
    }

    /// <inheritdoc />
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_loading is not null) await _loading.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public void Dispose() => _predictor?.Model.Dispose();
}
