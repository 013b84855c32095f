using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Research.Core.Agents.Policies;

/// <summary>One linear layer as <see cref="DenseMlp"/> sees it: views of a flat parameter buffer and, when it learns, of its gradient buffer.</summary>
/// <param name="Weight">[out, in].</param>
/// <param name="Bias">[out].</param>
/// <param name="WeightGrad">[out, in]; null for a network that is only evaluated.</param>
/// <param name="BiasGrad">[out]; null for a network that is only evaluated.</param>
internal sealed record DenseLayer(Tensor Weight, Tensor Bias, Tensor? WeightGrad, Tensor? BiasGrad) : IDisposable
{
    /// <summary>Releases the views (not the buffers they look into).</summary>
    public void Dispose()
    {
        Weight.Dispose();
        Bias.Dispose();
        WeightGrad?.Dispose();
        BiasGrad?.Dispose();
    }

    /// <summary>The layer of <paramref name="linear"/> in <paramref name="flat"/> (its weight and bias back to back).</summary>
    public static DenseLayer Of(FlatParameters flat, Linear linear) => Of(flat, [linear]);

    /// <summary>
    /// <paramref name="linears"/> (same input width) stacked into one layer whose outputs are theirs side by side: their
    /// weights must lie back to back in <paramref name="flat"/>, then their biases.
    /// </summary>
    public static DenseLayer Of(FlatParameters flat, IReadOnlyList<Linear> linears)
    {
        long inputs = linears[0].weight.shape[1], outputs = linears.Sum(l => l.weight.shape[0]);
        var (w, gw) = flat.ViewOf([.. linears.Select(l => l.weight)], outputs, inputs);
        var (b, gb) = flat.ViewOf([.. linears.Select(l => l.bias ?? throw new ArgumentException("A dense layer needs a bias.", nameof(linears)))], outputs);
        return new DenseLayer(w, b, gw, gb);
    }
}

/// <summary>
/// A multilayer perceptron (linear → activation for the hidden layers, a linear output) evaluated and differentiated by
/// hand for a fixed batch size, without autograd: every activation and gradient lives in a tensor allocated once, the
/// matrix products write into them (<c>addmm_</c> with β = 0), and bias, activation and their derivatives are fused
/// loops over the same memory. The parameters are views of the optimiser's flat buffers (see <see cref="DenseLayer"/>),
/// so the module that owns them still saves, loads and runs as usual; the gradients it writes are exactly those autograd
/// would accumulate for the same loss (up to float rounding), and every gradient element is overwritten (no zeroing).
/// Nothing here requires gradients (the flat buffers do not), so autograd records nothing on any thread.
/// </summary>
internal sealed unsafe class DenseMlp : IDisposable
{
    private readonly DenseLayer[] _layers;
    private readonly Tensor[] _weightsT;
    private readonly Buffer[] _outputs;
    private readonly Buffer[] _grads;
    private readonly Tensor[] _gradsT;
    private readonly Buffer[] _bias;
    private readonly Buffer[] _biasGrad;
    private readonly Activation _activation;
    private readonly Buffer _inputGrad;
    private readonly Action<int> _layerPart;
    private readonly Tensor?[][] _rowViews;
    private readonly int[] _widths;
    private Tensor? _input;
    private bool _parameters;
    private int _layer;

    /// <summary>The network of <paramref name="layers"/> for batches of <paramref name="batchSize"/> rows.</summary>
    /// <param name="layers">First to last; consecutive widths must match.</param>
    /// <param name="activation">After every layer but the last.</param>
    /// <param name="batchSize">Rows per call.</param>
    /// <param name="inputGradients">Whether <see cref="Backward"/> also computes the gradient with respect to the input.</param>
    public DenseMlp(IReadOnlyList<DenseLayer> layers, Activation activation, int batchSize, bool inputGradients = false)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(layers.Count, 1);
        _layers = [.. layers];
        _activation = activation;
        BatchSize = batchSize;
        int n = layers.Count;
        _weightsT = new Tensor[n];
        _outputs = new Buffer[n];
        _grads = new Buffer[n];
        _gradsT = new Tensor[n];
        _bias = new Buffer[n];
        _biasGrad = new Buffer[n];
        using var noGrad = no_grad();
        for (int l = 0; l < n; l++)
        {
            var layer = layers[l];
            if (l > 0 && layer.Weight.shape[1] != layers[l - 1].Weight.shape[0]) throw new ArgumentException($"Layer {l} takes {layer.Weight.shape[1]} inputs; layer {l - 1} gives {layers[l - 1].Weight.shape[0]}.", nameof(layers));
            _weightsT[l] = layer.Weight.t();
            _outputs[l] = new Buffer(zeros(batchSize, layer.Weight.shape[0]));
            _grads[l] = new Buffer(zeros(batchSize, layer.Weight.shape[0]));
            _gradsT[l] = _grads[l].Tensor.t();
            _bias[l] = new Buffer(layer.Bias);
            _biasGrad[l] = layer.BiasGrad is null ? default : new Buffer(layer.BiasGrad);
        }

        Inputs = (int)layers[0].Weight.shape[1];
        Outputs = (int)layers[^1].Weight.shape[0];
        _inputGrad = inputGradients ? new Buffer(zeros(batchSize, Inputs)) : default;
        _widths = [.. layers.Select(l => (int)l.Weight.shape[0])];
        _rowViews = [.. Enumerable.Range(0, n + 1).Select(_ => new Tensor?[batchSize / RowBlock + 2])];
        _layerPart = part =>
        {
            if (part == 1) PassDown(_layer);
            else if (_parameters) WeightGrads(_layer);
        };
    }

    /// <summary>Rows per call.</summary>
    public int BatchSize { get; }

    /// <summary>Input width.</summary>
    public int Inputs { get; }

    /// <summary>Output width.</summary>
    public int Outputs { get; }

    /// <summary>The last <see cref="Forward"/>'s output: [batch, outputs].</summary>
    public Span<float> Output => _outputs[^1].Span;

    /// <summary>Where the caller writes ∂loss/∂output ([batch, outputs]) before <see cref="Backward"/>.</summary>
    public Span<float> OutputGrad => _grads[^1].Span;

    /// <summary>∂loss/∂input after <see cref="Backward"/> ([batch, inputs]; only with input gradients).</summary>
    public ReadOnlySpan<float> InputGrad => _inputGrad.Tensor is null ? throw new InvalidOperationException("This network was built without input gradients.") : _inputGrad.Span;

    /// <summary>
    /// Evaluates the network on <paramref name="input"/> ([batch, inputs], contiguous) and keeps every activation (and
    /// the input, which must not change before <see cref="Backward"/>); returns the output (see <see cref="Output"/>).
    /// </summary>
    public Span<float> Forward(Tensor input)
    {
        _input = input;
        var x = input;
        for (int l = 0; l < _layers.Length; l++)
        {
            var y = _outputs[l];
            y.Tensor.addmm_(x, _weightsT[l], beta: 0);
            bool hidden = l < _layers.Length - 1;
            if (hidden && _activation == Activation.ReLU) Kernels.AddBiasRelu(y.Span, _bias[l].Span);
            else Kernels.AddBias(y.Span, _bias[l].Span);
            if (hidden && _activation == Activation.Tanh) y.Tensor.tanh_();
            x = y.Tensor;
        }

        return Output;
    }

    /// <summary>
    /// Backpropagates <see cref="OutputGrad"/> through the last <see cref="Forward"/>: writes every weight and bias
    /// gradient when <paramref name="parameters"/> (the layers must have gradient views), and <see cref="InputGrad"/>
    /// when the network was built with input gradients. <see cref="OutputGrad"/> and the hidden gradients are scratch.
    /// With <paramref name="team"/>, each layer's weight gradient and the gradient it passes down are computed side by side.
    /// </summary>
    public void Backward(bool parameters = true, ParallelParts? team = null)
    {
        if (_input is null) throw new InvalidOperationException("Backward needs a Forward first.");
        _parameters = parameters;
        for (int l = _layers.Length - 1; l >= 0; l--)
        {
            _layer = l;
            if (parameters && team is { Threads: > 1 }) team.Run(2, _layerPart);
            else
            {
                _layerPart(0);
                _layerPart(1);
            }
        }
    }

    /// <summary>
    /// The input gradient for a few rows of the last <see cref="Forward"/> only, when every other row's output gradient
    /// is zero (a min over critics sends each row's gradient to one of them): the caller writes row i's output gradient
    /// into row i of <see cref="OutputGrad"/> for the batch row <paramref name="rows"/>[i], and gets back row i's input
    /// gradient in row i of the returned span ([rows, inputs]). The matrix products run on the first rows only (the
    /// count rounded up to a multiple of <see cref="RowBlock"/>, the padding rows zero), so they cost in proportion to the
    /// rows; each row's result is the one <see cref="Backward"/> gives it. Parameter gradients are not touched.
    /// </summary>
    public ReadOnlySpan<float> BackwardInputRows(ReadOnlySpan<int> rows)
    {
        if (_inputGrad.Tensor is null) throw new InvalidOperationException("This network was built without input gradients.");
        int n = rows.Length;
        if (n == 0) return [];
        int block = Math.Min(BatchSize, (n + RowBlock - 1) / RowBlock * RowBlock);
        OutputGrad[(n * Outputs)..(block * Outputs)].Clear();
        for (int l = _layers.Length - 1; l >= 0; l--)
        {
            var g = RowView(_grads[l].Tensor, l, block);
            if (l == 0)
            {
                RowView(_inputGrad.Tensor, _layers.Length, block).addmm_(g, _layers[0].Weight, beta: 0);
                break;
            }

            RowView(_grads[l - 1].Tensor, l - 1, block).addmm_(g, _layers[l].Weight, beta: 0);
            var below = _grads[l - 1].Span;
            var activations = _outputs[l - 1].Span;
            int width = _widths[l - 1];
            for (int i = 0; i < n; i++)
            {
                var row = below.Slice(i * width, width);
                var output = activations.Slice(rows[i] * width, width);
                if (_activation == Activation.ReLU) Kernels.ReluBackward(row, output);
                else Kernels.TanhBackward(row, output);
            }
        }

        return _inputGrad.Span[..(n * Inputs)];
    }

    /// <summary>Rows per block of <see cref="BackwardInputRows"/>'s matrix products.</summary>
    public const int RowBlock = 32;

    /// <summary>The first <paramref name="count"/> rows of <paramref name="buffer"/> (slot <paramref name="slot"/>'s views are made once per count).</summary>
    private Tensor RowView(Tensor buffer, int slot, int count)
    {
        var views = _rowViews[slot];
        int index = (count + RowBlock - 1) / RowBlock;
        return views[index] ??= buffer.narrow(0, 0, count);
    }

    /// <summary>Layer <see cref="_layer"/>'s weight and bias gradients from its output gradient.</summary>
    private void WeightGrads(int l)
    {
        var layer = _layers[l];
        var weightGrad = layer.WeightGrad ?? throw new InvalidOperationException("This network has no gradient buffers.");
        weightGrad.addmm_(_gradsT[l], l == 0 ? _input! : _outputs[l - 1].Tensor, beta: 0);
        Kernels.ColumnSums(_grads[l].Span, _biasGrad[l].Span);
    }

    /// <summary>The gradient layer <paramref name="l"/> passes down: to the previous layer's output (through its activation) or to the input.</summary>
    private void PassDown(int l)
    {
        var g = _grads[l].Tensor;
        if (l == 0)
        {
            _inputGrad.Tensor?.addmm_(g, _layers[0].Weight, beta: 0);
            return;
        }

        var below = _grads[l - 1];
        below.Tensor.addmm_(g, _layers[l].Weight, beta: 0);
        if (_activation == Activation.ReLU) Kernels.ReluBackward(below.Span, _outputs[l - 1].Span);
        else Kernels.TanhBackward(below.Span, _outputs[l - 1].Span);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var t in _weightsT) t.Dispose();
        foreach (var t in _gradsT) t.Dispose();
        foreach (var b in _outputs) b.Tensor.Dispose();
        foreach (var b in _grads) b.Tensor.Dispose();
        _inputGrad.Tensor?.Dispose();
        foreach (var view in _rowViews.SelectMany(v => v)) view?.Dispose();
    }

    /// <summary>A contiguous float32 CPU tensor and its memory (fixed for the tensor's life).</summary>
    private readonly struct Buffer
    {
        private readonly float* _data;
        private readonly int _length;

        public Buffer(Tensor tensor)
        {
            Tensor = tensor;
            var bytes = tensor.bytes;
            _data = (float*)Unsafe.AsPointer(ref MemoryMarshal.GetReference(bytes));
            _length = bytes.Length / sizeof(float);
        }

        public Tensor Tensor { get; }

        public Span<float> Span => new(_data, _length);
    }

    /// <summary>The fused element-wise loops (vectorised over rows of the batch-major buffers).</summary>
    internal static class Kernels
    {
        /// <summary>y[r, :] += bias for every row.</summary>
        public static void AddBias(Span<float> y, ReadOnlySpan<float> bias)
        {
            int cols = bias.Length, w = Vector<float>.Count;
            for (int r = 0; r < y.Length; r += cols)
            {
                var row = y.Slice(r, cols);
                int i = 0;
                for (; i <= cols - w; i += w) (new Vector<float>(row[i..]) + new Vector<float>(bias[i..])).CopyTo(row[i..]);
                for (; i < cols; i++) row[i] += bias[i];
            }
        }

        /// <summary>y[r, :] = max(y[r, :] + bias, 0) for every row.</summary>
        public static void AddBiasRelu(Span<float> y, ReadOnlySpan<float> bias)
        {
            int cols = bias.Length, w = Vector<float>.Count;
            for (int r = 0; r < y.Length; r += cols)
            {
                var row = y.Slice(r, cols);
                int i = 0;
                for (; i <= cols - w; i += w) Vector.Max(new Vector<float>(row[i..]) + new Vector<float>(bias[i..]), Vector<float>.Zero).CopyTo(row[i..]);
                for (; i < cols; i++) row[i] = Math.Max(row[i] + bias[i], 0f);
            }
        }

        /// <summary>grad = output &gt; 0 ? grad : 0 (ReLU's derivative through its output).</summary>
        public static void ReluBackward(Span<float> grad, ReadOnlySpan<float> output)
        {
            int w = Vector<float>.Count, i = 0;
            for (; i <= grad.Length - w; i += w)
            {
                var y = new Vector<float>(output[i..]);
                Vector.ConditionalSelect(Vector.GreaterThan(y, Vector<float>.Zero), new Vector<float>(grad[i..]), Vector<float>.Zero).CopyTo(grad[i..]);
            }

            for (; i < grad.Length; i++) grad[i] = output[i] > 0 ? grad[i] : 0f;
        }

        /// <summary>grad *= 1 − output² (tanh's derivative through its output).</summary>
        public static void TanhBackward(Span<float> grad, ReadOnlySpan<float> output)
        {
            int w = Vector<float>.Count, i = 0;
            for (; i <= grad.Length - w; i += w)
            {
                var y = new Vector<float>(output[i..]);
                (new Vector<float>(grad[i..]) * (Vector<float>.One - y * y)).CopyTo(grad[i..]);
            }

            for (; i < grad.Length; i++) grad[i] *= 1f - output[i] * output[i];
        }

        /// <summary>sums[c] = Σ_r m[r, c] (a bias gradient), overwriting <paramref name="sums"/>.</summary>
        public static void ColumnSums(ReadOnlySpan<float> m, Span<float> sums)
        {
            int cols = sums.Length, w = Vector<float>.Count;
            sums.Clear();
            for (int r = 0; r < m.Length; r += cols)
            {
                var row = m.Slice(r, cols);
                int i = 0;
                for (; i <= cols - w; i += w) (new Vector<float>(sums[i..]) + new Vector<float>(row[i..])).CopyTo(sums[i..]);
                for (; i < cols; i++) sums[i] += row[i];
            }
        }
    }
}
