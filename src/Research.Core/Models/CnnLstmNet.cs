using Research.Core.Configuration;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Research.Core.Models;

/// <summary>
/// The hybrid network: 1-D convolution blocks over the window (kernel, channels, dilation, normalisation, ReLU,
/// dropout) → LSTM → the last layer's final hidden state (both directions when bidirectional) → two heads: the scaled
/// next-h-day return and the logit of an up move. An optional learned ticker embedding is appended to every time step.
/// </summary>
public sealed class CnnLstmNet : nn.Module<Tensor, Tensor, (Tensor Return, Tensor Logit)>
{
    private readonly ModuleList<nn.Module<Tensor, Tensor>> _convs = new();
    private readonly ModuleList<nn.Module<Tensor, Tensor>> _norms = new();
    private readonly Linear? _embedding;
    private readonly int _tickers;
    private readonly LSTM _lstm;
    private readonly Dropout _dropout;
    private readonly Linear _returnHead;
    private readonly Linear _logitHead;
    private readonly ConvNorm _norm;
    private readonly bool _bidirectional;
    private readonly int _layers;
    private readonly int _hidden;

    /// <summary>Builds the network for <paramref name="features"/> inputs per step and <paramref name="tickers"/> tickers.</summary>
    public CnnLstmNet(ForecasterConfig config, int features, int tickers) : base("CnnLstm")
    {
        Config = config;
        Features = features;
        _norm = config.Norm;
        _bidirectional = config.Bidirectional;
        _layers = config.Layers;
        _hidden = config.Hidden;
        int inputs = features + config.TickerEmbedding;
        // The ticker embedding as a bias-free linear map of the one-hot ticker: the same function as an embedding table.
        _tickers = tickers;
        if (config.TickerEmbedding > 0) _embedding = nn.Linear(tickers, config.TickerEmbedding, hasBias: false);
        for (int b = 0; b < config.ConvChannels.Length; b++)
        {
            int dilation = config.Dilations.Length == 0 ? 1 : config.Dilations[b];
            _convs.Add(new TapConv1d(inputs, config.ConvChannels[b], config.Kernel, dilation));
            _norms.Add(config.Norm switch
            {
                ConvNorm.Batch => nn.BatchNorm1d(config.ConvChannels[b]),
                ConvNorm.Layer => nn.LayerNorm(config.ConvChannels[b]),
                _ => nn.Identity(),
            });
            inputs = config.ConvChannels[b];
        }

        _lstm = nn.LSTM(inputs, config.Hidden, numLayers: config.Layers, batchFirst: true, bidirectional: config.Bidirectional,
            dropout: config.Layers > 1 ? config.Dropout : 0);
        _dropout = nn.Dropout(config.Dropout);
        int head = config.Hidden * (config.Bidirectional ? 2 : 1);
        _returnHead = nn.Linear(head, 1);
        _logitHead = nn.Linear(head, 1);
        RegisterComponents();
    }

    /// <summary>The architecture the network was built from.</summary>
    public ForecasterConfig Config { get; }

    /// <summary>Inputs per time step (before the ticker embedding).</summary>
    public int Features { get; }

    private long[] StateShape(long batch) => [_layers * (_bidirectional ? 2 : 1), batch, _hidden];

    /// <summary>Forward pass: <paramref name="x"/> is [batch, window, features], <paramref name="tickers"/> [batch] (int64).</summary>
    public override (Tensor Return, Tensor Logit) forward(Tensor x, Tensor tickers)
    {
        // No dispose scope here: callers scope the batch (autograd needs the intermediates until backward).
        var h = x;
        if (_embedding is not null)
        {
            var oneHot = nn.functional.one_hot(tickers, _tickers).to_type(ScalarType.Float32);
            var e = _embedding.call(oneHot).unsqueeze(1).repeat(1, x.shape[1], 1);
            h = cat([h, e], dim: 2);
        }

        h = h.transpose(1, 2); // [B, C, L]
        for (int b = 0; b < _convs.Count; b++)
        {
            h = _convs[b].call(h);
            h = _norm == ConvNorm.Layer ? _norms[b].call(h.transpose(1, 2)).transpose(1, 2) : _norms[b].call(h);
            h = nn.functional.relu(h);
            if (training) h = _dropout.call(h);
        }

        // Explicit zero initial states.
        var seq = h.transpose(1, 2).contiguous();
        var h0 = zeros(StateShape(seq.shape[0]), dtype: seq.dtype);
        var c0 = zeros(StateShape(seq.shape[0]), dtype: seq.dtype);
        var (_, hn, _) = _lstm.call(seq, (h0, c0)); // hn: [layers × dirs, B, H]
        var last = _bidirectional ? cat([hn[-2], hn[-1]], dim: 1) : hn[-1];
        if (training) last = _dropout.call(last);
        var ret = _returnHead.call(last).squeeze(1);
        var logit = _logitHead.call(last).squeeze(1);
        return (ret, logit);
    }
}
