using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Research.Serving;

/// <summary>
/// Loads the model in the background once the server has started (so <c>/health</c> answers at once and
/// <c>/ready</c> says 503 until the model is in), holds it, and swaps in a new one on <see cref="ReloadAsync"/> (and,
/// with a reload interval, whenever the source's version changes). The current model sits in one reference that is
/// swapped atomically; each request takes a lease on the model current when it starts, and a swapped-out model is
/// disposed once its last lease is released, so a reload neither drops nor fails a request in flight. A failed first
/// load is logged, kept in <see cref="Error"/> and stops the server; a failed reload keeps the old model serving.
/// </summary>
public sealed class ModelHost(ModelSource source, ServingOptions options, ServingMetrics metrics, IHostApplicationLifetime lifetime, ILogger<ModelHost> log)
    : IHostedService, IDisposable
{
    private readonly SemaphoreSlim _reloading = new(1, 1);
    private readonly CancellationTokenSource _stopping = new();
    private Task? _loading;
    private Task? _polling;
    private volatile ModelHandle? _current;

    /// <summary>Raised after a new model was swapped in, with the model it replaced.</summary>
    public event Action<ModelInfo, ModelInfo>? Swapped;

    /// <summary>The current predictor once a model is loaded, else null (for reading its description; predictions take a lease).</summary>
    public Predictor? Predictor => _current?.Predictor;

    /// <summary>Why the first load failed (null while loading or when it succeeded).</summary>
    public Exception? Error { get; private set; }

    /// <summary>Completes when the first load has finished, either way.</summary>
    public Task Loaded => _loading ?? Task.CompletedTask;

    /// <summary>A lease on the current model (null before it is loaded); dispose it when the request is done.</summary>
    public ModelLease? Acquire()
    {
        while (true)
        {
            var handle = _current;
            if (handle is null) return null;
            // A handle retired between the read and the acquire has already been replaced: read again.
            if (handle.TryAcquire()) return new ModelLease(handle);
        }
    }

    /// <inheritdoc />
    public Task StartAsync(CancellationToken cancellationToken)
    {
        _loading = Task.Run(LoadFirst, CancellationToken.None);
        if (options.ReloadInterval is { } every && source.Probe is not null) _polling = Task.Run(() => Poll(every, _stopping.Token), CancellationToken.None);
        return Task.CompletedTask;
    }

    private void LoadFirst()
    {
        try
        {
            Swap(Prepare(source.Load()));
        }
        catch (Exception e)
        {
            Error = e;
            log.LogCritical(e, "Could not load the model: {Message}", e.Message);
            lifetime.StopApplication();
        }
    }

    /// <summary>
    /// Loads the model from the source again and swaps it in (reloads run one at a time).
    /// </summary>
    /// <exception cref="InvalidOperationException">The first load has not finished or failed.</exception>
    /// <exception cref="Exception">Whatever loading threw; the old model keeps serving.</exception>
    public async Task<ReloadResult> ReloadAsync(string trigger, CancellationToken cancellationToken = default)
    {
        await Loaded.WaitAsync(cancellationToken).ConfigureAwait(false);
        var previous = _current?.Predictor.Model.Info ?? throw new InvalidOperationException("No model is loaded; the server is stopping.");
        await _reloading.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            previous = _current!.Predictor.Model.Info;
            Predictor predictor;
            try
            {
                predictor = await Task.Run(() => Prepare(source.Load()), cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                metrics.Reloads.WithLabels("failed").Inc();
                log.LogError(e, "Reload ({Trigger}) failed; still serving version {Version}: {Message}", trigger, previous.Version, e.Message);
                throw;
            }

            var model = predictor.Model;
            Swap(predictor);
            metrics.Reloads.WithLabels("ok").Inc();
            log.LogInformation("Reloaded ({Trigger}): version {Previous} → {Current}.", trigger, previous.Version, model.Info.Version);
            return new ReloadResult(previous, model.Info, previous.Version != model.Info.Version);
        }
        finally
        {
            _reloading.Release();
        }
    }

    /// <summary>A predictor for a freshly loaded model, warmed up before it takes traffic (a failure disposes the model
    /// and fails the load, so the old model keeps serving).</summary>
    private Predictor Prepare(ServedModel model)
    {
        var predictor = new Predictor(model);
        var warm = System.Diagnostics.Stopwatch.StartNew();
        try
        {
            predictor.WarmUp(options.WarmUpCalls);
        }
        catch
        {
            model.Dispose();
            throw;
        }

        log.LogInformation("Warmed up {Name} version {Version}: {Calls} synthetic predictions in {Ms:F0} ms.", model.Info.Name, model.Info.Version, options.WarmUpCalls, warm.Elapsed.TotalMilliseconds);
        return predictor;
    }

    private void Swap(Predictor predictor)
    {
        var model = predictor.Model;
        var old = Interlocked.Exchange(ref _current, new ModelHandle(predictor));
        if (old is not null) metrics.ClearModel(old.Predictor.Model.Info);
        metrics.SetModel(model.Info);
        log.LogInformation("Serving {Name} version {Version} (run {RunId}) from {Folder}: {Tickers} tickers, window {Window}, min_bars {MinBars}; sizing {Sizing}, risk limits from {Source}.",
            model.Info.Name, model.Info.Version, model.Info.RunId ?? "none", model.Folder, model.Info.Tickers.Count, model.Info.Window, model.Info.MinBars,
            model.Policy.Sizing, model.Policy.Source);
        if (old is not null) Swapped?.Invoke(old.Predictor.Model.Info, model.Info);
        old?.Release();
    }

    /// <summary>Every <paramref name="every"/>, reloads when the source reports a version other than the one served.</summary>
    private async Task Poll(TimeSpan every, CancellationToken stop)
    {
        using var timer = new PeriodicTimer(every);
        try
        {
            while (await timer.WaitForNextTickAsync(stop).ConfigureAwait(false))
            {
                if (_current is not { } handle) continue;
                try
                {
                    string version = source.Probe!();
                    if (version != handle.Predictor.Model.Info.Version) await ReloadAsync($"new version {version} at the source", stop).ConfigureAwait(false);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    log.LogWarning("Polling the model source failed: {Message}", e.Message);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    /// <inheritdoc />
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        if (_polling is not null) await _polling.WaitAsync(cancellationToken).ConfigureAwait(false);
        if (_loading is not null) await _loading.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Interlocked.Exchange(ref _current, null)?.Release();
        _stopping.Dispose();
        _reloading.Dispose();
    }
}

/// <summary>What <c>POST /admin/reload</c> returns.</summary>
/// <param name="Previous">The model served before.</param>
/// <param name="Current">The model served now.</param>
/// <param name="Changed">Whether the version changed.</param>
public sealed record ReloadResult(
    [property: System.Text.Json.Serialization.JsonPropertyName("previous")] ModelInfo Previous,
    [property: System.Text.Json.Serialization.JsonPropertyName("current")] ModelInfo Current,
    [property: System.Text.Json.Serialization.JsonPropertyName("changed")] bool Changed);
