using Research.Core.Configuration;
using Research.Core.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace Research.Core.Tests.Models;

/// <summary>The span kernel computes libtorch's evaluation-mode forward pass of the network, for every architecture option.</summary>
[Collection("Torch")]
public class CnnLstmKernelTests
{
    public static TheoryData<string, ForecasterConfig> Architectures => new()
    {
        { "default", new ForecasterConfig() },
        { "batch norm, no embedding", new ForecasterConfig { Norm = ConvNorm.Batch, TickerEmbedding = 0 } },
        { "no norm, kernel 5, one block", new ForecasterConfig { Norm = ConvNorm.None, Kernel = 5, ConvChannels = [12], Dilations = [3] } },
        { "bidirectional, 2 layers", new ForecasterConfig { Bidirectional = true, Layers = 2, Hidden = 24 } },
        { "even kernel, no dilations, 3 blocks", new ForecasterConfig { Kernel = 4, ConvChannels = [8, 16, 8], Dilations = [], Window = 33 } },
    };

    [Theory]
    [MemberData(nameof(Architectures))]
    public void Matches_the_network_in_evaluation_mode(string name, ForecasterConfig config)
    {
        const int features = 11, tickers = 5, batch = 7;
        torch.manual_seed(name.Length);
        using var net = new CnnLstmNet(config, features, tickers);
        if (config.Norm == ConvNorm.Batch)
        {
            // Non-trivial running statistics, as after training.
            using var _ = no_grad();
            foreach (var (key, buffer) in net.named_buffers())
            {
                if (key.EndsWith("running_mean", StringComparison.Ordinal)) buffer.copy_(randn(buffer.shape) * 0.3);
                if (key.EndsWith("running_var", StringComparison.Ordinal)) buffer.copy_(rand(buffer.shape) + 0.5);
            }
        }

        net.eval();
        var rng = new Random(3);
        int size = config.Window * features;
        var x = new float[batch * size];
        for (int i = 0; i < x.Length; i++) x[i] = (float)(rng.NextDouble() * 4 - 2);
        var ids = Enumerable.Range(0, batch).Select(i => (long)(i % tickers)).ToArray();
        float[] expectedReturn, expectedLogit;
        using (no_grad())
        using (var scope = NewDisposeScope())
        {
            var (r, l) = net.call(tensor(x, [batch, config.Window, features]), tensor(ids, [batch]));
            expectedReturn = r.data<float>().ToArray();
            expectedLogit = l.data<float>().ToArray();
        }

        var kernel = new CnnLstmKernel(net);
        for (int i = 0; i < batch; i++)
        {
            var (ret, logit) = kernel.Forward(x.AsSpan(i * size, size), (int)ids[i]);
            Assert.True(Math.Abs(ret - expectedReturn[i]) <= 2e-6 + 2e-5 * Math.Abs(expectedReturn[i]), $"{name}: return {ret} vs libtorch {expectedReturn[i]} (window {i})");
            Assert.True(Math.Abs(logit - expectedLogit[i]) <= 2e-6 + 2e-5 * Math.Abs(expectedLogit[i]), $"{name}: logit {logit} vs libtorch {expectedLogit[i]} (window {i})");
        }

        // The outputs depend on the window and the ticker (nothing is left over from an earlier call).
        var again = kernel.Forward(x.AsSpan(0, size), (int)ids[0]);
        Assert.Equal(kernel.Forward(x.AsSpan(0, size), (int)ids[0]), again);
        if (config.TickerEmbedding > 0) Assert.NotEqual(again, kernel.Forward(x.AsSpan(0, size), 4));
        var error = Assert.Throws<ArgumentException>(() => kernel.Forward(x.AsSpan(1, size - 1), 0));
        Assert.Contains($"expected {config.Window} days × {features} features", error.Message);
    }

    [Fact]
    public void Concurrent_callers_get_the_same_results_as_one_caller()
    {
        var config = new ForecasterConfig();
        torch.manual_seed(5);
        using var net = new CnnLstmNet(config, 8, 3);
        net.eval();
        var kernel = new CnnLstmKernel(net);
        var rng = new Random(9);
        var windows = Enumerable.Range(0, 64).Select(_ => Enumerable.Range(0, config.Window * 8).Select(_ => (float)rng.NextDouble()).ToArray()).ToArray();
        var serial = windows.Select((w, i) => kernel.Forward(w, i % 3)).ToArray();
        var parallel = new (float, float)[windows.Length];
        Parallel.For(0, windows.Length * 20, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i =>
        {
            int j = i % windows.Length;
            parallel[j] = kernel.Forward(windows[j], j % 3);
        });
        Assert.Equal(serial, parallel);
    }
}
