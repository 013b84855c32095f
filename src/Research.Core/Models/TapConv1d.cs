using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Research.Core.Models;

/// <summary>
/// A 1-D convolution (same padding, dilation) written as a sum over kernel taps of matrix products:
/// out[b, o, t] = bias[o] + Σ_j Σ_i W[o, i, j] · x[b, i, t + j·d − p]. Same function as <c>nn.Conv1d</c>, built
/// from slicing and <c>einsum</c>: libtorch 2.10's CPU convolution backward returned non-finite input gradients at
/// random in this TorchSharp build (the forecaster's tests caught it), while these kernels' gradients are exact.
/// </summary>
public sealed class TapConv1d : nn.Module<Tensor, Tensor>
{
    private readonly Parameter _weight;
    private readonly Parameter _bias;
    private readonly int _kernel;
    private readonly int _dilation;
    private readonly int _padding;

    /// <summary>Creates the convolution with PyTorch's default initialisation (uniform ±1/√(in·k)).</summary>
    public TapConv1d(int inChannels, int outChannels, int kernel, int dilation) : base("TapConv1d")
    {
        _kernel = kernel;
        _dilation = dilation;
        _padding = dilation * (kernel - 1) / 2;
        double bound = 1 / Math.Sqrt(inChannels * kernel);
        _weight = new Parameter((rand(outChannels, inChannels, kernel) * 2 - 1) * bound);
        _bias = new Parameter((rand(outChannels) * 2 - 1) * bound);
        RegisterComponents();
    }

    /// <summary>x: [batch, channels, length] → [batch, out channels, length].</summary>
    public override Tensor forward(Tensor x)
    {
        long length = x.shape[2];
        int right = _dilation * (_kernel - 1) - _padding;
        var padded = nn.functional.pad(x, [_padding, right]);
        var taps = new Tensor[_kernel];
        for (int j = 0; j < _kernel; j++) taps[j] = padded.narrow(2, j * _dilation, length);
        var stacked = stack(taps, dim: 1); // [B, k, C, L]
        return einsum("bkil,oik->bol", stacked, _weight) + _bias.view(1, -1, 1);
    }
}
