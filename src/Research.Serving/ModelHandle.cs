namespace Research.Serving;

/// <summary>
/// A loaded predictor with a reference count: the model host holds one reference while the model is current and
/// every request using it holds one more; the model is disposed when the last reference is released, so a swapped-out
/// model finishes the requests already using it.
/// </summary>
internal sealed class ModelHandle(Predictor predictor)
{
    private int _references = 1;

    /// <summary>The predictor.</summary>
    public Predictor Predictor { get; } = predictor;

    /// <summary>Takes a reference unless the handle is already retired (count reached zero).</summary>
    public bool TryAcquire()
    {
        while (true)
        {
            int count = Volatile.Read(ref _references);
            if (count == 0) return false;
            if (Interlocked.CompareExchange(ref _references, count + 1, count) == count) return true;
        }
    }

    /// <summary>Drops a reference; the last one disposes the model.</summary>
    public void Release()
    {
        if (Interlocked.Decrement(ref _references) == 0) Predictor.Model.Dispose();
    }
}

/// <summary>A request's reference to the model it uses; disposing releases it.</summary>
public readonly struct ModelLease : IDisposable
{
    private readonly ModelHandle _handle;

    internal ModelLease(ModelHandle handle) => _handle = handle;

    /// <summary>The predictor, valid until the lease is disposed.</summary>
    public Predictor Predictor => _handle.Predictor;

    /// <inheritdoc />
    public void Dispose() => _handle?.Release();
}
