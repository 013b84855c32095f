namespace Research.Serving;

/// <summary>
/// The most recent predictions by (ticker, date predicted for), bounded: past the capacity the oldest are forgotten.
/// Feedback takes a prediction out when it matches it, so each prediction is scored once; predicting the same ticker
/// and date again replaces the remembered forecast (and makes it the newest).
/// </summary>
public sealed class PredictionMemory(int capacity)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<(string Ticker, DateOnly Date), (double Expected, long Sequence)> _entries = [];
    private Queue<((string Ticker, DateOnly Date) Key, long Sequence)> _order = new();
    private long _sequence;

    /// <summary>Predictions remembered now.</summary>
    public int Count
    {
        get
        {
            lock (_lock) return _entries.Count;
        }
    }

    /// <summary>Remembers the expected return forecast for <paramref name="ticker"/> on <paramref name="date"/>.</summary>
    public void Record(string ticker, DateOnly date, double expectedReturn)
    {
        lock (_lock)
        {
            long sequence = ++_sequence;
            _entries[(ticker, date)] = (expectedReturn, sequence);
            _order.Enqueue(((ticker, date), sequence));
            while (_entries.Count > capacity)
            {
                var (key, s) = _order.Dequeue();
                // Entries replaced or taken since they were queued are stale: skip them.
                if (_entries.TryGetValue(key, out var entry) && entry.Sequence == s) _entries.Remove(key);
            }

            if (_order.Count > 2 * Math.Max(capacity, 1))
                _order = new(_order.Where(o => _entries.TryGetValue(o.Key, out var entry) && entry.Sequence == o.Sequence));
        }
    }

    /// <summary>Takes the remembered forecast for <paramref name="ticker"/> on <paramref name="date"/> out, if there is one.</summary>
    public bool TryTake(string ticker, DateOnly date, out double expectedReturn)
    {
        lock (_lock)
        {
            bool found = _entries.Remove((ticker, date), out var entry);
            expectedReturn = entry.Expected;
            return found;
        }
    }
}
