namespace Research.Core.Tests;

/// <summary>
/// Tests that use TorchSharp (directly or through the pipeline): torch's RNG seed and thread count are process-global,
/// so these run one at a time, after the parallel tests, to stay reproducible.
/// </summary>
[CollectionDefinition("Torch", DisableParallelization = true)]
public sealed class TorchCollection;
