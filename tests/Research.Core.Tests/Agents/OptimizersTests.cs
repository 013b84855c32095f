using Research.Core.Agents;
using Research.Core.Agents.Policies;
using TorchSharp;
using static TorchSharp.torch;

namespace Research.Core.Tests.Agents;

/// <summary>The flat-buffer optimisers against TorchSharp's own (PyTorch's) implementations, step for step.</summary>
[Collection("Torch")]
public class OptimizersTests
{
    /// <summary>Two identical Q-networks: one for the flat optimiser, one for the reference.</summary>
    private static (QNetwork Flat, QNetwork Reference) Twins()
    {
        manual_seed(11);
        var flat = new QNetwork(4, 2, [16, 16], Activation.ReLU);
        var reference = new QNetwork(4, 2, [16, 16], Activation.ReLU);
        TorchSupport.SoftUpdate(reference, flat, 1.0);
        return (flat, reference);
    }

    /// <summary>A Huber loss of the network on a seeded batch, so that both networks see the same data.</summary>
    private static Tensor Loss(QNetwork net, int step, float scale)
    {
        var generator = new Generator((ulong)(100 + step));
        var x = randn([32, 4], generator: generator);
        var y = randn([32, 2], generator: generator) * scale;
        return nn.functional.smooth_l1_loss(net.call(x), y);
    }

    private static float MaxDifference(QNetwork a, QNetwork b)
    {
        using var scope = NewDisposeScope();
        return a.parameters().Zip(b.parameters()).Max(pair => (pair.First - pair.Second).abs().max().item<float>());
    }

    [Theory]
    [InlineData(1e-3, 1000.0, 1f)]   // clipping never binds
    [InlineData(2.3e-3, 0.05, 50f)]  // clipping binds every step
    public void Flat_adam_with_clipping_matches_torch_adam_with_clip_grad_norm(double lr, double maxNorm, float scale)
    {
        var (flatNet, referenceNet) = Twins();
        using (flatNet)
        using (referenceNet)
        {
            using var flat = new AdamOptimizer(flatNet.parameters(), lr);
            var referenceParameters = referenceNet.parameters().ToList();
            using var reference = optim.Adam(referenceParameters, lr: lr);
            using var initial = flat.Flat.Values.clone();
            Assert.Equal(0f, MaxDifference(flatNet, referenceNet));
            for (int step = 0; step < 50; step++)
            {
                using (var scope = NewDisposeScope())
                {
                    var loss = Loss(flatNet, step, scale);
                    flat.ZeroGrad();
                    loss.backward();
                    flat.ClipGradNorm(maxNorm);
                    flat.Step();
                }

                using (var scope = NewDisposeScope())
                {
                    var loss = Loss(referenceNet, step, scale);
                    reference.zero_grad();
                    loss.backward();
                    nn.utils.clip_grad_norm_(referenceParameters, maxNorm);
                    reference.step();
                }

                float difference = MaxDifference(flatNet, referenceNet);
                Assert.True(difference < 1e-5f, $"step {step}: parameters differ by {difference}");
            }

            // The parameters moved (the comparison is not between two frozen networks).
            using var moved = (flat.Flat.Values - initial).abs().max();
            Assert.True(moved.item<float>() > 1e-3f, $"the parameters moved by only {moved.item<float>()}");
        }
    }

    [Fact]
    public void Flat_gradients_are_the_autograd_gradients()
    {
        var (flatNet, referenceNet) = Twins();
        using (flatNet)
        using (referenceNet)
        {
            using var flat = new AdamOptimizer(flatNet.parameters(), 1e-3);
            using var scope = NewDisposeScope();
            for (int step = 0; step < 3; step++)
            {
                flat.ZeroGrad();
                Loss(flatNet, step, 1f).backward();
                foreach (var p in referenceNet.parameters()) p.grad?.zero_();
                Loss(referenceNet, step, 1f).backward();
                var expected = cat(referenceNet.parameters().Select(p => p.grad!.flatten()).ToList(), 0);
                Assert.True(expected.abs().max().item<float>() > 0);
                Assert.True(allclose(expected, flat.Flat.Gradients, rtol: 1e-5, atol: 1e-7), $"step {step}: gradients differ");
            }
        }
    }

    [Fact]
    public void Flat_target_copy_and_averaging_reach_the_target_module()
    {
        var (online, target) = Twins();
        using (online)
        using (target)
        {
            foreach (var p in target.parameters()) p.requires_grad = false;
            using var targetFlat = new FlatParameters(target.parameters(), gradients: false);
            using var optimizer = new AdamOptimizer(online.parameters(), 1e-2);
            using var x = randn(8, 4);
            for (int step = 0; step < 5; step++)
            {
                using var scope = NewDisposeScope();
                var loss = Loss(online, step, 1f);
                optimizer.ZeroGrad();
                loss.backward();
                optimizer.Step();
            }

            using var scope2 = NewDisposeScope();
            using var noGrad = no_grad();
            var before = target.call(x);
            var onlineOut = online.call(x);
            Assert.True((onlineOut - before).abs().max().item<float>() > 1e-3f, "training moved the online network");

            // τ = 0.5: the target's parameters (views of the flat buffer) are halfway between the old and the online ones.
            static Tensor Concatenated(QNetwork net) => cat(net.parameters().Select(p => p.flatten()).ToList(), 0);
            var oldTarget = Concatenated(target);
            targetFlat.SoftUpdateFrom(optimizer.Flat, 0.5);
            var expected = 0.5 * Concatenated(online) + 0.5 * oldTarget;
            Assert.True(allclose(Concatenated(target), expected, rtol: 1e-6, atol: 1e-7), "τ = 0.5 averaging");

            // τ = 1 copies: the target module computes what the online one does.
            targetFlat.SoftUpdateFrom(optimizer.Flat, 1.0);
            Assert.Equal(0f, (online.call(x) - target.call(x)).abs().max().item<float>());
        }
    }
}
