namespace Research.Sweeps.Orleans;

/// <summary>What a worker's lease request got.</summary>
[GenerateSerializer]
internal enum LeaseStatus
{
    /// <summary>A trial to run.</summary>
    Granted,

    /// <summary>Nothing to run now (the budget is in flight or the concurrency cap is reached); ask again.</summary>
    Wait,

    /// <summary>The sweep is finished, or this worker refused it.</summary>
    Done,
}
