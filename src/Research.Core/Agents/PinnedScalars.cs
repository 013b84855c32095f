using TorchSharp;

namespace Research.Core.Agents;

/// <summary>
/// Scalars that live as long as the process, for the policies' per-step arithmetic. TorchSharp's implicit number →
/// <see cref="Scalar"/> conversions, and <c>Tensor.add(Tensor)</c> (which passes a temporary alpha of 1), hand libtorch
/// the handle of a Scalar that nothing keeps alive during the call: the GC may finalize it (freeing the native scalar)
/// while the call runs. Under load that surfaced as libtorch's "Expected false to be true" from <c>Scalar::toFloat</c> in
/// PPO's action sampling. The values are the ones the implicit conversions made, so results are unchanged.
/// </summary>
internal static class PinnedScalars
{
    /// <summary>1 (an int, as <c>add(Tensor)</c>'s alpha).</summary>
    public static readonly Scalar One = 1.ToScalar();

    /// <summary>-0.5.</summary>
    public static readonly Scalar MinusHalf = (-0.5).ToScalar();

    /// <summary>½ log 2π.</summary>
    public static readonly Scalar HalfLogTwoPi = (0.5 * Math.Log(2 * Math.PI)).ToScalar();

    /// <summary>½ + ½ log 2π (a unit Gaussian's entropy).</summary>
    public static readonly Scalar GaussianEntropy = (0.5 + 0.5 * Math.Log(2 * Math.PI)).ToScalar();

    /// <summary>1e-6 (the tanh squashing's log guard).</summary>
    public static readonly Scalar TanhEpsilon = 1e-6.ToScalar();
}
