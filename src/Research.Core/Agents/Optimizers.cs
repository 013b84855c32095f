using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Research.Core.Agents;

/// <summary>
/// A first-order optimiser over a <see cref="FlatParameters"/> buffer: its state is allocated up front (outside any
/// dispose scope, so <see cref="Step"/> may run inside the scope of the batch it learns from) and every update is a few
/// whole-buffer operations, element for element PyTorch's single-tensor update.
/// </summary>
internal abstract class AgentOptimizer : IDisposable
{
    protected AgentOptimizer(IEnumerable<Parameter> parameters, double lr)
    {
        Flat = new FlatParameters(parameters);
        LearningRate = lr;
    }

    /// <summary>The parameters, flattened.</summary>
    public FlatParameters Flat { get; }

    /// <summary>Current learning rate.</summary>
    public double LearningRate { get; set; }

    /// <summary>Zeroes every gradient.</summary>
    public void ZeroGrad() => Flat.ZeroGrad();

    /// <summary>Clips the gradients to a global L2 norm (PyTorch's <c>clip_grad_norm_</c>).</summary>
    public void ClipGradNorm(double maxNorm) => Flat.ClipGradNorm(maxNorm);

    /// <summary>One update from the current gradients.</summary>
    public void Step()
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        Update(Flat.Values, Flat.Gradients);
    }

    /// <inheritdoc />
    public virtual void Dispose() => Flat.Dispose();

    protected abstract void Update(Tensor values, Tensor gradients);
}

/// <summary>Adam (Kingma and Ba) as PyTorch's single-tensor implementation, without weight decay.</summary>
internal sealed class AdamOptimizer : AgentOptimizer
{
    private readonly Tensor _m;
    private readonly Tensor _v;
    private readonly double _beta1;
    private readonly double _beta2;
    private readonly double _eps;
    private long _step;

    public AdamOptimizer(IEnumerable<Parameter> parameters, double lr, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8) : base(parameters, lr)
    {
        _beta1 = beta1;
        _beta2 = beta2;
        _eps = eps;
        _m = zeros(Flat.Count);
        _v = zeros(Flat.Count);
    }

    protected override void Update(Tensor values, Tensor gradients)
    {
        _step++;
        double bc1 = 1 - Math.Pow(_beta1, _step), bc2Sqrt = Math.Sqrt(1 - Math.Pow(_beta2, _step));
        _m.lerp_(gradients, 1 - _beta1);
        _v.mul_(_beta2).addcmul_(gradients, gradients, 1 - _beta2);
        var denom = _v.sqrt().div_(bc2Sqrt).add_(_eps);
        values.addcdiv_(_m, denom, -LearningRate / bc1);
    }

    public override void Dispose()
    {
        base.Dispose();
        _m.Dispose();
        _v.Dispose();
    }
}

/// <summary>RMSprop as PyTorch implements it (no momentum, not centred): ε added outside the square root.</summary>
internal sealed class RmsPropOptimizer : AgentOptimizer
{
    private readonly Tensor _squareAvg;
    private readonly double _alpha;
    private readonly double _eps;

    public RmsPropOptimizer(IEnumerable<Parameter> parameters, double lr, double alpha = 0.99, double eps = 1e-8) : base(parameters, lr)
    {
        _alpha = alpha;
        _eps = eps;
        _squareAvg = zeros(Flat.Count);
    }

    protected override void Update(Tensor values, Tensor gradients)
    {
        _squareAvg.mul_(_alpha).addcmul_(gradients, gradients, 1 - _alpha);
        var avg = _squareAvg.sqrt().add_(_eps);
        values.addcdiv_(gradients, avg, -LearningRate);
    }

    public override void Dispose()
    {
        base.Dispose();
        _squareAvg.Dispose();
    }
}
