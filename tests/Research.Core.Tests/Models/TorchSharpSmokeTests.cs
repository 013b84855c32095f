using TorchSharp;
using static TorchSharp.torch;

namespace Research.Core.Tests.Models;

/// <summary>TorchSharp's native library loads and computes after a plain build (see docs/torchsharp-native.md).</summary>
[Collection("Torch")]
public class TorchSharpSmokeTests
{
    [Fact]
    public void Matmul_gives_the_known_product()
    {
        using var a = tensor(new float[] { 1, 2, 3, 4, 5, 6 }, [2, 3]);
        using var b = tensor(new float[] { 7, 8, 9, 10, 11, 12 }, [3, 2]);
        using var c = matmul(a, b);
        Assert.Equal([2L, 2L], c.shape);
        Assert.Equal([58f, 64f, 139f, 154f], c.data<float>().ToArray());
    }

    [Fact]
    public void Lstm_forward_and_backward_pass_learns()
    {
        manual_seed(7);
        using var lstm = nn.LSTM(inputSize: 3, hiddenSize: 8, numLayers: 2, batchFirst: true);
        using var head = nn.Linear(8, 1);
        var parameters = lstm.parameters().Concat(head.parameters()).ToList();
        using var optimizer = optim.Adam(parameters, lr: 0.01);
        using var x = randn(16, 10, 3);
        using var y = x.sum(dim: 1).sum(dim: 1, keepdim: true) * 0.1f;

        float Step()
        {
            optimizer.zero_grad();
            var (output, _, _) = lstm.call(x);
            using var last = output[.., -1, ..];
            using var prediction = head.call(last);
            using var loss = nn.functional.mse_loss(prediction, y);
            loss.backward();
            optimizer.step();
            output.Dispose();
            return loss.item<float>();
        }

        float first = Step();
        foreach (var p in parameters)
        {
            Assert.NotNull(p.grad);
            using var g = p.grad!;
            Assert.True(isfinite(g).all().item<bool>(), "gradients must be finite");
        }

        Assert.Contains(parameters, p => p.grad!.abs().sum().item<float>() > 0);
        float last = first;
        for (int i = 0; i < 30; i++) last = Step();
        Assert.True(last < first * 0.7f, $"loss went from {first} to {last}");
    }

    [Fact]
    public void Network_outputs_of_one_sample_do_not_depend_on_the_others_in_the_batch()
    {
        manual_seed(3);
        using var net = new Research.Core.Models.CnnLstmNet(new Research.Core.Configuration.ForecasterConfig(), features: 8, tickers: 5);
        net.eval();
        using var _ = no_grad();
        using var x = randn(6, 20, 8);
        using var tickers = tensor(new long[] { 0, 1, 2, 3, 4, 0 });
        var (r1, _) = net.call(x, tickers);
        using var x2 = x.clone();
        x2[1..] = randn(5, 20, 8);
        var (r2, _) = net.call(x2, tickers);
        Assert.Equal(r1[0].item<float>(), r2[0].item<float>());
        var (alone, _) = net.call(x[..1], tickers[..1]);
        Assert.Equal(r1[0].item<float>(), alone[0].item<float>(), 5);
    }

    [Fact]
    public void Network_is_the_same_function_with_and_without_autograd_and_in_train_mode()
    {
        manual_seed(4);
        using var net = new Research.Core.Models.CnnLstmNet(new Research.Core.Configuration.ForecasterConfig { Dropout = 0 }, features: 8, tickers: 5);
        using var x = randn(6, 20, 8);
        using var tickers = tensor(new long[] { 0, 1, 2, 3, 4, 0 });
        net.train();
        var (withGrad, _) = net.call(x, tickers);
        float[] a = withGrad.detach().data<float>().ToArray();
        using var x2 = x.clone();
        x2[1..] = randn(5, 20, 8);
        var (withGrad2, _) = net.call(x2, tickers);
        net.eval();
        float[] b;
        using (no_grad())
        {
            var (noGrad, _) = net.call(x, tickers);
            b = noGrad.data<float>().ToArray();
        }

        Assert.Equal(a[0], withGrad2.detach().data<float>()[0]);
        Assert.Equal(a, b);
    }

    [Fact]
    public void Tap_convolution_is_the_same_function_as_conv1d()
    {
        manual_seed(5);
        using var conv = new Research.Core.Models.TapConv1d(inChannels: 6, outChannels: 4, kernel: 3, dilation: 2);
        using var x = randn(5, 6, 20);
        var p = conv.parameters().ToArray(); // weight [4, 6, 3], bias [4]
        using var expected = nn.functional.conv1d(x, p[0], p[1], padding: 2, dilation: 2);
        using var actual = conv.call(x);
        Assert.Equal(expected.shape, actual.shape);
        Assert.True(actual.allclose(expected, rtol: 1e-5, atol: 1e-6));
    }
}
