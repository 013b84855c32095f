using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Research.Core.Agents;

/// <summary>
/// <see cref="AdamOptimizer"/>'s update (PyTorch's single-tensor Adam without weight decay, the same float arithmetic
/// in the same order) as one vectorised pass over the flat values, gradients and moments instead of seven whole-buffer
/// tensor operations: each element is read and written once, which matters when the update is memory-bound (SAC's
/// 256×256 networks take a step after every environment step).
/// <para>
/// One difference: moments that fall below the smallest normal float are stored as zero. Without that, a parameter
/// whose gradient stays zero keeps a subnormal first moment forever (m + 0.1 (0 − m) rounds back to m), and every
/// arithmetic operation on a subnormal takes the CPU's slow microcode path, a fifth of a long SAC run's update time.
/// A subnormal moment cannot move a parameter: |m| / (√v̂ + ε) &lt; 1.2e-38 / 1e-8, times the learning rate, is below
/// float resolution for any parameter larger than about 1e-25; and √v̂ of a subnormal v vanishes next to ε.
/// </para>
/// </summary>
internal sealed unsafe class FusedAdamOptimizer : AgentOptimizer
{
    private readonly float[] _m;
    private readonly float[] _v;
    private readonly float* _values;
    private readonly float* _gradients;
    private readonly float _beta1;
    private readonly float _beta2;
    private readonly float _eps;
    private long _step;
    private float _bc2Sqrt;
    private float _stepSize;

    public FusedAdamOptimizer(IEnumerable<Parameter> parameters, double lr, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8) : base(parameters, lr)
    {
        _beta1 = (float)beta1;
        _beta2 = (float)beta2;
        _eps = (float)eps;
        int n = checked((int)Flat.Count);
        _m = new float[n];
        _v = new float[n];
        _values = Pointer(Flat.Values);
        _gradients = Pointer(Flat.Gradients);
    }

    /// <summary>Elements in the flat buffer.</summary>
    public int Count => _m.Length;

    /// <summary>
    /// Starts a step whose elements are then updated by <see cref="UpdateRange"/> (in any order, on any threads, each
    /// element once): advances the step count and fixes the bias corrections and the learning rate.
    /// </summary>
    public void Prepare()
    {
        _step++;
        double bc1 = 1 - Math.Pow(_beta1, _step), bc2Sqrt = Math.Sqrt(1 - Math.Pow(_beta2, _step));
        _bc2Sqrt = (float)bc2Sqrt;
        _stepSize = (float)(-LearningRate / bc1);
    }

    /// <summary>Updates elements [<paramref name="start"/>, <paramref name="start"/> + <paramref name="count"/>) of the step begun by <see cref="Prepare"/>.</summary>
    public void UpdateRange(int start, int count)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan((long)start + count, _m.Length, nameof(count));
        Step(new Span<float>(_values + start, count), new ReadOnlySpan<float>(_gradients + start, count), _m.AsSpan(start, count), _v.AsSpan(start, count),
            1 - _beta1, _beta2, 1 - _beta2, _bc2Sqrt, _eps, _stepSize);
    }

    protected override void Update(Tensor values, Tensor gradients)
    {
        Prepare();
        UpdateRange(0, _m.Length);
    }

    /// <summary>The smallest normal float (moments below it are flushed to zero).</summary>
    private const float MinNormal = 1.17549435e-38f;

    /// <summary>
    /// m ← m + (1 − β₁)(g − m) (<c>lerp_</c>); v ← β₂ v + (1 − β₂) g g (<c>mul_</c>, <c>addcmul_</c>), each flushed to
    /// zero below <see cref="MinNormal"/>; p ← p + step · m / (√v / bc₂ + ε) (<c>sqrt</c>, <c>div_</c>, <c>add_</c>, <c>addcdiv_</c>).
    /// </summary>
    private static void Step(Span<float> p, ReadOnlySpan<float> g, Span<float> m, Span<float> v, float oneMinusBeta1, float beta2, float oneMinusBeta2, float bc2Sqrt, float eps, float step)
    {
        int w = Vector<float>.Count, i = 0;
        var b1 = new Vector<float>(oneMinusBeta1);
        var b2 = new Vector<float>(beta2);
        var c2 = new Vector<float>(oneMinusBeta2);
        var bc = new Vector<float>(bc2Sqrt);
        var e = new Vector<float>(eps);
        var s = new Vector<float>(step);
        var normal = new Vector<float>(MinNormal);
        for (; i <= p.Length - w; i += w)
        {
            var gi = new Vector<float>(g[i..]);
            var mi = new Vector<float>(m[i..]);
            mi += b1 * (gi - mi);
            mi = Vector.ConditionalSelect(Vector.GreaterThanOrEqual(Vector.Abs(mi), normal), mi, Vector<float>.Zero);
            var vi = new Vector<float>(v[i..]) * b2 + c2 * gi * gi;
            vi = Vector.ConditionalSelect(Vector.GreaterThanOrEqual(vi, normal), vi, Vector<float>.Zero);
            var denom = Vector.SquareRoot(vi) / bc + e;
            (new Vector<float>(p[i..]) + s * (mi / denom)).CopyTo(p[i..]);
            mi.CopyTo(m[i..]);
            vi.CopyTo(v[i..]);
        }

        for (; i < p.Length; i++)
        {
            float gi = g[i];
            float mi = m[i] + oneMinusBeta1 * (gi - m[i]);
            float vi = v[i] * beta2 + oneMinusBeta2 * gi * gi;
            if (Math.Abs(mi) < MinNormal) mi = 0;
            if (vi < MinNormal) vi = 0;
            p[i] += step * (mi / (MathF.Sqrt(vi) / bc2Sqrt + eps));
            m[i] = mi;
            v[i] = vi;
        }
    }

    private static float* Pointer(Tensor t) => (float*)Unsafe.AsPointer(ref MemoryMarshal.GetReference(t.bytes));
}
