using TorchSharp;
using static TorchSharp.torch;

namespace Research.Core.Tests.Models;

/// <summary>TorchSharp's native library loads and computes after a plain build (see docs/torchsharp-native.md).</summary>
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
}
