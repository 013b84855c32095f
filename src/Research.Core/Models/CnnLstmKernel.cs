using System.Collections.Concurrent;
using System.Numerics.Tensors;
using Research.Core.Configuration;

namespace Research.Core.Models;

/// <summary>
/// The <see cref="CnnLstmNet"/> forward pass in evaluation mode (no dropout, batch norm on running statistics) as a
/// pure function over float spans: ticker embedding → dilated convolution blocks (norm, ReLU) → LSTM (uni- or
/// bidirectional, any depth) → the two heads. libtorch dispatches some forty small operators for one window, which is
/// most of a prediction's time; this computes the same function with SIMD dot products and no allocation per call.
/// Results agree with libtorch to float rounding (summation order differs); inference goes through here only, while
/// training stays in libtorch. Thread-safe: each call rents its own scratch buffers.
/// </summary>
public sealed class CnnLstmKernel
{
    private const float NormEpsilon = 1e-5f; // nn.LayerNorm's and nn.BatchNorm1d's default, as CnnLstmNet builds them.

    private readonly int _window, _features, _embed;
    private readonly float[]? _embedding; // [tickers × embed]: column j of the embedding map per ticker
    private readonly ConvBlock[] _blocks;
    private readonly LstmLayer[] _layers;
    private readonly float[] _returnWeight, _logitWeight;
    private readonly float _returnBias, _logitBias;
    private readonly int _widest, _hidden, _directions;
    private readonly ConcurrentBag<Scratch> _scratch = [];

    private sealed record ConvBlock(int In, int Out, int Kernel, int Dilation, float[] Weight, float[] Bias, ConvNorm Norm,
        float[]? Scale, float[]? Shift);

    private sealed record LstmLayer(int In, LstmDirection Forward, LstmDirection? Reverse);

    /// <summary>Weights transposed: <c>InputWeight</c> [inputs × 4H], <c>HiddenWeight</c> [H × 4H]; biases summed.</summary>
    private sealed record LstmDirection(float[] InputWeight, float[] HiddenWeight, float[] Bias);

    private sealed class Scratch(int window, int widest, int hidden, int directions)
    {
        public readonly float[] A = new float[window * widest];
        public readonly float[] B = new float[window * widest];
        public readonly float[] Gates = new float[window * 4 * hidden];
        public readonly float[] H = new float[hidden];
        public readonly float[] C = new float[hidden];
        public readonly float[] Last = new float[hidden * directions];
    }

    /// <summary>Copies <paramref name="net"/>'s current weights (later training does not reach the kernel).</summary>
    public CnnLstmKernel(CnnLstmNet net)
    {
        var config = net.Config;
        int features = net.Features, window = config.Window;
        var p = Weights(net);
        _window = window;
        _features = features;
        _embed = config.TickerEmbedding;
        if (_embed > 0)
        {
            var w = p[Find(p, "_embedding.weight")]; // [embed × tickers]
            int tickers = w.Length / _embed;
            _embedding = new float[tickers * _embed];
            for (int e = 0; e < _embed; e++)
            for (int t = 0; t < tickers; t++) _embedding[t * _embed + e] = w[e * tickers + t];
        }

        int inputs = features + _embed;
        _widest = inputs;
        _blocks = new ConvBlock[config.ConvChannels.Length];
        for (int b = 0; b < _blocks.Length; b++)
        {
            int outputs = config.ConvChannels[b], k = config.Kernel;
            int dilation = config.Dilations.Length == 0 ? 1 : config.Dilations[b];
            var w = p[Find(p, $"_convs.{b}._weight")]; // [out × in × k] → [k × in × out]: each input adds a row to all outputs
            var reordered = new float[w.Length];
            for (int o = 0; o < outputs; o++)
            for (int i = 0; i < inputs; i++)
            for (int j = 0; j < k; j++) reordered[(j * inputs + i) * outputs + o] = w[(o * inputs + i) * k + j];
            float[]? scale = null, shift = null;
            if (config.Norm == ConvNorm.Layer)
            {
                scale = p[Find(p, $"_norms.{b}.weight")];
                shift = p[Find(p, $"_norms.{b}.bias")];
            }
            else if (config.Norm == ConvNorm.Batch)
            {
                // Evaluation-mode batch norm is an affine map per channel: γ (x − μ) / √(σ² + ε) + β.
                var gamma = p[Find(p, $"_norms.{b}.weight")];
                var beta = p[Find(p, $"_norms.{b}.bias")];
                var mean = p[Find(p, $"_norms.{b}.running_mean")];
                var variance = p[Find(p, $"_norms.{b}.running_var")];
                scale = new float[outputs];
                shift = new float[outputs];
                for (int c = 0; c < outputs; c++)
                {
                    scale[c] = gamma[c] / MathF.Sqrt(variance[c] + NormEpsilon);
                    shift[c] = beta[c] - mean[c] * scale[c];
                }
            }

            _blocks[b] = new ConvBlock(inputs, outputs, k, dilation, reordered, p[Find(p, $"_convs.{b}._bias")], config.Norm, scale, shift);
            inputs = outputs;
            _widest = Math.Max(_widest, outputs);
        }

        _hidden = config.Hidden;
        _directions = config.Bidirectional ? 2 : 1;
        _layers = new LstmLayer[config.Layers];
        for (int l = 0; l < _layers.Length; l++)
        {
            _layers[l] = new LstmLayer(inputs, Direction(p, l, ""), config.Bidirectional ? Direction(p, l, "_reverse") : null);
            inputs = _hidden * _directions;
            _widest = Math.Max(_widest, inputs);
        }

        _returnWeight = p[Find(p, "_returnHead.weight")];
        _returnBias = p[Find(p, "_returnHead.bias")][0];
        _logitWeight = p[Find(p, "_logitHead.weight")];
        _logitBias = p[Find(p, "_logitHead.bias")][0];
    }

    /// <summary>Copies of the float parameters and buffers (not num_batches_tracked), read under no_grad with every
    /// temporary tensor disposed here, on the calling thread.</summary>
    private static Dictionary<string, float[]> Weights(CnnLstmNet net)
    {
        using var noGrad = TorchSharp.torch.no_grad();
        using var scope = TorchSharp.torch.NewDisposeScope();
        var result = new Dictionary<string, float[]>(StringComparer.Ordinal);
        foreach (var (name, tensor) in net.state_dict())
        {
            if (tensor.dtype != TorchSharp.torch.ScalarType.Float32) continue;
            var copy = tensor.detach().cpu().contiguous();
            result[name] = copy.data<float>().ToArray();
        }

        return result;
    }

    private static LstmDirection Direction(Dictionary<string, float[]> p, int layer, string suffix)
    {
        var bi = p[Find(p, $"_lstm.bias_ih_l{layer}{suffix}")];
        var bh = p[Find(p, $"_lstm.bias_hh_l{layer}{suffix}")];
        var bias = new float[bi.Length];
        for (int i = 0; i < bias.Length; i++) bias[i] = bi[i] + bh[i];
        return new LstmDirection(Transpose(p[Find(p, $"_lstm.weight_ih_l{layer}{suffix}")], bias.Length),
            Transpose(p[Find(p, $"_lstm.weight_hh_l{layer}{suffix}")], bias.Length), bias);
    }

    /// <summary>[rows × cols] → [cols × rows].</summary>
    private static float[] Transpose(float[] m, int rows)
    {
        int cols = m.Length / rows;
        var t = new float[m.Length];
        for (int r = 0; r < rows; r++)
        for (int c = 0; c < cols; c++) t[c * rows + r] = m[r * cols + c];
        return t;
    }

    private static string Find(Dictionary<string, float[]> p, string name) =>
        p.ContainsKey(name) ? name : throw new InvalidOperationException($"CnnLstmNet has no parameter \"{name}\" (has {string.Join(", ", p.Keys)}).");

    /// <summary>The scaled next-h-day return and the up-move logit for one normalised window [window × features]
    /// (oldest day first) of ticker index <paramref name="ticker"/>.</summary>
    public (float Return, float Logit) Forward(ReadOnlySpan<float> window, int ticker)
    {
        if (window.Length != _window * _features)
            throw new ArgumentException($"expected {_window} days × {_features} features ({_window * _features} values), got {window.Length}.", nameof(window));
        if (!_scratch.TryTake(out var s)) s = new Scratch(_window, _widest, _hidden, _directions);
        try
        {
            return Run(window, ticker, s);
        }
        finally
        {
            _scratch.Add(s);
        }
    }

    private (float, float) Run(ReadOnlySpan<float> window, int ticker, Scratch s)
    {
        int l = _window, width = _features + _embed;
        // Time-major activations [t × channels]: the inputs, then the ticker's embedding on every day.
        var x = s.A.AsSpan(0, l * width);
        for (int t = 0; t < l; t++)
        {
            window.Slice(t * _features, _features).CopyTo(x.Slice(t * width));
            _embedding.AsSpan(ticker * _embed, _embed).CopyTo(x.Slice(t * width + _features));
        }

        float[] current = s.A, next = s.B;
        foreach (var block in _blocks)
        {
            Convolve(block, current, next, l);
            (current, next) = (next, current);
        }

        for (int i = 0; i < _layers.Length; i++)
        {
            var layer = _layers[i];
            bool lastLayer = i == _layers.Length - 1;
            int outWidth = _hidden * _directions;
            Recur(layer.Forward, layer.In, current, next, outWidth, 0, reverse: false, s);
            if (lastLayer) s.H.AsSpan().CopyTo(s.Last);
            if (layer.Reverse is { } reverse)
            {
                Recur(reverse, layer.In, current, next, outWidth, _hidden, reverse: true, s);
                if (lastLayer) s.H.AsSpan().CopyTo(s.Last.AsSpan(_hidden));
            }

            (current, next) = (next, current);
        }

        return (TensorPrimitives.Dot(_returnWeight, s.Last) + _returnBias, TensorPrimitives.Dot(_logitWeight, s.Last) + _logitBias);
    }

    /// <summary>Same-padded dilated convolution, then the block's norm and ReLU: [l × in] → [l × out].</summary>
    private static void Convolve(ConvBlock b, float[] input, float[] output, int l)
    {
        int pad = b.Dilation * (b.Kernel - 1) / 2;
        var x = input.AsSpan(0, l * b.In);
        for (int t = 0; t < l; t++)
        {
            var y = output.AsSpan(t * b.Out, b.Out);
            b.Bias.CopyTo(y);
            for (int j = 0; j < b.Kernel; j++)
            {
                int at = t + j * b.Dilation - pad;
                if (at < 0 || at >= l) continue;
                var xt = x.Slice(at * b.In, b.In);
                for (int i = 0; i < b.In; i++)
                    TensorPrimitives.MultiplyAdd(b.Weight.AsSpan((j * b.In + i) * b.Out, b.Out), xt[i], y, y);
            }

            if (b.Norm == ConvNorm.Layer)
            {
                float mean = TensorPrimitives.Sum(y) / b.Out;
                float variance = 0;
                foreach (var v in y) variance += (v - mean) * (v - mean);
                float inv = 1 / MathF.Sqrt(variance / b.Out + NormEpsilon);
                for (int c = 0; c < b.Out; c++) y[c] = (y[c] - mean) * inv * b.Scale![c] + b.Shift![c];
            }
            else if (b.Norm == ConvNorm.Batch)
            {
                TensorPrimitives.MultiplyAdd(y, b.Scale!, b.Shift!, y);
            }

            TensorPrimitives.Max(y, 0f, y);
        }
    }

    /// <summary>One LSTM direction over the sequence [l × width] (gates i, f, g, o as PyTorch orders them), writing its
    /// hidden states into columns [offset, offset + hidden) of <paramref name="output"/> [l × outWidth]; the final
    /// hidden state is left in the scratch's H.</summary>
    private void Recur(LstmDirection d, int width, float[] input, float[] output, int outWidth, int offset, bool reverse, Scratch s)
    {
        int l = _window, hs = _hidden, g4 = 4 * hs;
        var gates = s.Gates.AsSpan(0, l * g4);
        for (int t = 0; t < l; t++)
        {
            var xt = input.AsSpan(t * width, width);
            var gt = gates.Slice(t * g4, g4);
            d.Bias.CopyTo(gt);
            for (int i = 0; i < width; i++) TensorPrimitives.MultiplyAdd(d.InputWeight.AsSpan(i * g4, g4), xt[i], gt, gt);
        }

        var h = s.H.AsSpan();
        var c = s.C.AsSpan();
        h.Clear();
        c.Clear();
        for (int step = 0; step < l; step++)
        {
            int t = reverse ? l - 1 - step : step;
            var gt = gates.Slice(t * g4, g4);
            for (int k = 0; k < hs; k++) TensorPrimitives.MultiplyAdd(d.HiddenWeight.AsSpan(k * g4, g4), h[k], gt, gt);
            // Gates i, f (sigmoid), g (tanh), o (sigmoid); c = f·c + i·g; h = o·tanh(c).
            TensorPrimitives.Sigmoid(gt[..(2 * hs)], gt[..(2 * hs)]);
            TensorPrimitives.Tanh(gt.Slice(2 * hs, hs), gt.Slice(2 * hs, hs));
            TensorPrimitives.Sigmoid(gt.Slice(3 * hs, hs), gt.Slice(3 * hs, hs));
            TensorPrimitives.Multiply(gt.Slice(hs, hs), c, c);
            TensorPrimitives.MultiplyAdd(gt[..hs], gt.Slice(2 * hs, hs), c, c);
            TensorPrimitives.Tanh(c, h);
            TensorPrimitives.Multiply(gt.Slice(3 * hs, hs), h, h);

            h.CopyTo(output.AsSpan(t * outWidth + offset, hs));
        }
    }
}
