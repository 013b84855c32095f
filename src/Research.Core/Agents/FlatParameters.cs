using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Research.Core.Agents;

/// <summary>
/// Re-homes a list of parameters (and their gradients) into one contiguous buffer each: every parameter becomes a view
/// of <see cref="Values"/> and its gradient a view of <see cref="Gradients"/> (autograd accumulates into it in place), so
/// optimisers, gradient clipping and target-network averaging are a handful of whole-buffer operations instead of a
/// few per parameter tensor. The modules keep working as before (save, load and forward see the same parameters).
/// </summary>
internal sealed class FlatParameters : IDisposable
{
    /// <summary>Flattens <paramref name="parameters"/>; without <paramref name="gradients"/> (target networks) no gradient buffer is bound.</summary>
    public FlatParameters(IEnumerable<Parameter> parameters, bool gradients = true)
    {
        Parameters = [.. parameters];
        long total = Parameters.Sum(p => p.numel());
        Count = total;
        Values = zeros(total);
        Gradients = zeros(gradients ? total : 0);
        using var noGrad = no_grad();
        long offset = 0;
        foreach (var p in Parameters)
        {
            long n = p.numel();
            var value = Values.narrow(0, offset, n).view(p.shape);
            value.copy_(p);
            p.set_(value);
            if (gradients) p.grad = Gradients.narrow(0, offset, n).view(p.shape);
            offset += n;
        }
    }

    /// <summary>The parameters, in order.</summary>
    public Parameter[] Parameters { get; }

    /// <summary>All values, parameter after parameter.</summary>
    public Tensor Values { get; }

    /// <summary>All gradients, parameter after parameter.</summary>
    public Tensor Gradients { get; }

    /// <summary>Number of scalars.</summary>
    public long Count { get; }

    /// <summary>
    /// Views of the values and gradients (null without a gradient buffer) of <paramref name="parameters"/>, which must lie
    /// back to back in this buffer, as one tensor of <paramref name="shape"/> each (a fused layer's weights, say).
    /// </summary>
    public (Tensor Values, Tensor? Gradients) ViewOf(IReadOnlyList<Parameter> parameters, params long[] shape)
    {
        int first = Array.IndexOf(Parameters, parameters[0]);
        if (first < 0) throw new ArgumentException("The first parameter is not in this buffer.", nameof(parameters));
        long offset = Parameters.Take(first).Sum(p => p.numel()), count = 0;
        for (int i = 0; i < parameters.Count; i++)
        {
            if (first + i >= Parameters.Length || !ReferenceEquals(Parameters[first + i], parameters[i])) throw new ArgumentException("The parameters do not lie back to back in this buffer.", nameof(parameters));
            count += parameters[i].numel();
        }

        if (shape.Aggregate(1L, (a, b) => a * b) != count) throw new ArgumentException($"Shape [{string.Join(", ", shape)}] does not hold {count} values.", nameof(shape));
        var values = Values.narrow(0, offset, count).view(shape);
        var gradients = Gradients.shape[0] == 0 ? null : Gradients.narrow(0, offset, count).view(shape);
        return (values, gradients);
    }

    /// <summary>Where <paramref name="parameter"/>'s values start in <see cref="Values"/>.</summary>
    public long OffsetOf(Parameter parameter)
    {
        int index = Array.IndexOf(Parameters, parameter);
        if (index < 0) throw new ArgumentException("The parameter is not in this buffer.", nameof(parameter));
        return Parameters.Take(index).Sum(p => p.numel());
    }

    /// <summary>Zeroes every gradient (one operation).</summary>
    public void ZeroGrad() => Gradients.zero_();

    /// <summary>
    /// Scales the gradients so that their global L2 norm is at most <paramref name="maxNorm"/> (PyTorch's
    /// <c>clip_grad_norm_</c>: coefficient min(1, max/(norm + 1e-6))), without a host round trip.
    /// </summary>
    public void ClipGradNorm(double maxNorm)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var coefficient = (maxNorm / (Gradients.norm() + 1e-6)).clamp_max(1.0);
        Gradients.mul_(coefficient);
    }

    /// <summary>Polyak averaging of this (target) set towards <paramref name="source"/>: θ̄ ← (1 − τ) θ̄ + τ θ (τ = 1 copies).</summary>
    public void SoftUpdateFrom(FlatParameters source, double tau)
    {
        if (source.Count != Count) throw new ArgumentException($"Parameter counts differ: {source.Count} vs {Count}.", nameof(source));
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        if (tau >= 1) Values.copy_(source.Values);
        else Values.mul_(1 - tau).add_(source.Values, alpha: tau);
    }

    /// <summary>
    /// <see cref="SoftUpdateFrom"/> for elements [<paramref name="start"/>, <paramref name="start"/> + <paramref name="count"/>)
    /// only, as one vectorised pass (θ̄ (1 − τ) + τ θ), so that disjoint ranges can be averaged on different threads.
    /// </summary>
    public void SoftUpdateRangeFrom(FlatParameters source, double tau, int start, int count)
    {
        if (source.Count != Count) throw new ArgumentException($"Parameter counts differ: {source.Count} vs {Count}.", nameof(source));
        var target = TorchSupport.Floats(Values).Slice(start, count);
        var from = TorchSupport.Floats(source.Values).Slice(start, count);
        float keep = (float)(1 - tau), take = (float)tau;
        int w = System.Numerics.Vector<float>.Count, i = 0;
        for (; i <= count - w; i += w)
        {
            (new System.Numerics.Vector<float>(target[i..]) * keep + take * new System.Numerics.Vector<float>(from[i..])).CopyTo(target[i..]);
        }

        for (; i < count; i++) target[i] = target[i] * keep + take * from[i];
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Values.Dispose();
        Gradients.Dispose();
    }
}
