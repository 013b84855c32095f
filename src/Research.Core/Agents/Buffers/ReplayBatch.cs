using Research.Core.Agents.Normalization;
using static TorchSharp.torch;

namespace Research.Core.Agents.Buffers;

/// <summary>
/// A minibatch of transitions as preallocated tensors, refilled in place from a <see cref="ReplayBuffer"/> (observations
/// normalised and rewards scaled with the current statistics when a normaliser is given, as Stable-Baselines3 does for
/// buffers of raw transitions).
/// </summary>
public sealed class ReplayBatch : IDisposable
{
    /// <summary>Tensors for <paramref name="batchSize"/> transitions.</summary>
    public ReplayBatch(int batchSize, int observationSize, int actionSize)
    {
        BatchSize = batchSize;
        Observations = zeros(batchSize, observationSize);
        Actions = zeros(batchSize, actionSize);
        Rewards = zeros(batchSize);
        NextObservations = zeros(batchSize, observationSize);
        Dones = zeros(batchSize);
    }

    /// <summary>Transitions per batch.</summary>
    public int BatchSize { get; }

    /// <summary>s: [batch, obs].</summary>
    public Tensor Observations { get; }

    /// <summary>a: [batch, action].</summary>
    public Tensor Actions { get; }

    /// <summary>r: [batch].</summary>
    public Tensor Rewards { get; }

    /// <summary>s′: [batch, obs].</summary>
    public Tensor NextObservations { get; }

    /// <summary>1 for terminal transitions: [batch].</summary>
    public Tensor Dones { get; }

    /// <summary>Draws a new batch.</summary>
    public void Fill(ReplayBuffer buffer, Random random, VecNormalizer? normalizer)
    {
        var obs = TorchSupport.Floats(Observations);
        var next = TorchSupport.Floats(NextObservations);
        var rewards = TorchSupport.Floats(Rewards);
        buffer.Sample(BatchSize, random, obs, TorchSupport.Floats(Actions), rewards, next, TorchSupport.Floats(Dones));
        if (normalizer is null) return;
        normalizer.NormalizeObservations(obs, obs);
        normalizer.NormalizeObservations(next, next);
        normalizer.ScaleRewards(rewards);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Observations.Dispose();
        Actions.Dispose();
        Rewards.Dispose();
        NextObservations.Dispose();
        Dones.Dispose();
    }
}
