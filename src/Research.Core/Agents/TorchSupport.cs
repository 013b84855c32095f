using System.Runtime.InteropServices;
using TorchSharp;
using static TorchSharp.torch;

namespace Research.Core.Agents;

/// <summary>Small TorchSharp helpers the algorithms share: span views of CPU tensors, thread scopes, parameter copies.</summary>
internal static class TorchSupport
{
    /// <summary>The float32 contents of a contiguous CPU tensor, without copying.</summary>
    public static Span<float> Floats(Tensor t) => MemoryMarshal.Cast<byte, float>(t.bytes);

    /// <summary>The int64 contents of a contiguous CPU tensor, without copying.</summary>
    public static Span<long> Longs(Tensor t) => MemoryMarshal.Cast<byte, long>(t.bytes);

    /// <summary>Copies <paramref name="source"/> into the front of a preallocated float32 tensor.</summary>
    public static void CopyInto(ReadOnlySpan<float> source, Tensor target) => source.CopyTo(Floats(target));

    /// <summary>Polyak averaging: target ← (1 − τ) target + τ source (τ = 1 copies).</summary>
    public static void SoftUpdate(nn.Module target, nn.Module source, double tau)
    {
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        foreach (var (t, s) in target.parameters().Zip(source.parameters()))
        {
            if (tau >= 1) t.copy_(s);
            else t.mul_(1 - tau).add_(s, alpha: tau);
        }
    }

    /// <summary>Sets torch's intra-op threads for a training call and restores the previous count when disposed (0 leaves it).</summary>
    public static IDisposable Threads(int threads)
    {
        if (threads <= 0) return new Restore(0);
        int previous = get_num_threads();
        set_num_threads(threads);
        return new Restore(previous);
    }

    private sealed class Restore(int previous) : IDisposable
    {
        public void Dispose()
        {
            if (previous > 0) set_num_threads(previous);
        }
    }
}
