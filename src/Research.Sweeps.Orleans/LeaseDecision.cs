namespace Research.Sweeps.Orleans;

/// <summary>The coordinator's answer to an intermediate result.</summary>
[GenerateSerializer]
internal enum LeaseDecision
{
    /// <summary>Keep training.</summary>
    Continue,

    /// <summary>The scheduler stopped the trial: cancel it; it ends killed.</summary>
    Stop,

    /// <summary>The lease is no longer valid (expired and re-queued, or the sweep ended): cancel the trial and drop
    /// its result.</summary>
    Lost,
}
