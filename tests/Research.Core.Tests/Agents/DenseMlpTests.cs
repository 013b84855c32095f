using Research.Core.Agents;
using Research.Core.Agents.Policies;
using static TorchSharp.torch;

namespace Research.Core.Tests.Agents;

/// <summary>The hand-written forward and backward passes SAC trains with, against autograd on the same modules.</summary>
[Collection("Torch")]
public class DenseMlpTests
{
    private static void AssertClose(Tensor expected, ReadOnlySpan<float> actual, double tolerance = 1e-5)
    {
        var e = expected.detach().contiguous().data<float>().ToArray();
        Assert.Equal(e.Length, actual.Length);
        for (int i = 0; i < e.Length; i++) Assert.True(Math.Abs(e[i] - actual[i]) <= tolerance * (1 + Math.Abs(e[i])), $"element {i}: expected {e[i]}, got {actual[i]}");
    }

    [Theory]
    [InlineData(Activation.ReLU)]
    [InlineData(Activation.Tanh)]
    public void Twin_critic_outputs_and_gradients_match_autograd(Activation activation)
    {
        manual_seed(7);
        using var critic = new ContinuousCritic(3, 2, [8, 6], activation, 2);
        using var flat = new FlatParameters(critic.parameters());
        using var input = randn(5, 5);
        using var weights = randn(2, 5);

        // Autograd: loss = Σ_k Σ_b c_kb Q_k(s_b, a_b), gradients for the parameters and the input.
        using var obs = input[.., ..3].contiguous().requires_grad_(true);
        using var act = input[.., 3..].contiguous().requires_grad_(true);
        using var q = critic.call(obs, act);
        using var loss = (q * weights).sum();
        flat.ZeroGrad();
        loss.backward();
        using var expectedGrads = flat.Gradients.clone();
        using var expectedInputGrad = cat([obs.grad!, act.grad!], 1);

        // By hand, into gradient buffers full of NaN (every element must be overwritten).
        var nets = Enumerable.Range(0, 2).Select(k => new DenseMlp([.. critic.Layers(k).Select(l => DenseLayer.Of(flat, l))], activation, 5, inputGradients: true)).ToArray();
        using (no_grad()) flat.Gradients.fill_(float.NaN);
        var inputGrad = new float[5 * 5];
        for (int k = 0; k < 2; k++)
        {
            AssertClose(q[k], nets[k].Forward(input));
            weights[k].data<float>().ToArray().CopyTo(nets[k].OutputGrad);
            nets[k].Backward();
            for (int i = 0; i < inputGrad.Length; i++) inputGrad[i] += nets[k].InputGrad[i];
        }

        AssertClose(expectedGrads, flat.Gradients.data<float>().ToArray());
        AssertClose(expectedInputGrad, inputGrad);
        foreach (var net in nets) net.Dispose();
    }

    [Theory]
    [InlineData(Activation.ReLU)]
    [InlineData(Activation.Tanh)]
    public void Input_gradients_of_a_few_rows_match_the_full_backward(Activation activation)
    {
        manual_seed(9);
        const int Batch = 70;
        using var critic = new ContinuousCritic(3, 1, [16, 16], activation, 1);
        using var flat = new FlatParameters(critic.parameters());
        using var input = randn(Batch, 4);
        using var net = new DenseMlp([.. critic.Layers(0).Select(l => DenseLayer.Of(flat, l))], activation, Batch, inputGradients: true);
        net.Forward(input);
        foreach (int[] rows in new[] { Enumerable.Range(0, Batch).Where(b => b % 2 == 0 || b > 60).ToArray(), [3, 69, 11], [.. Enumerable.Range(0, Batch)] })
        {
            var grads = rows.Select(b => (float)Math.Sin(b)).ToArray();
            net.OutputGrad.Clear();
            for (int i = 0; i < rows.Length; i++) net.OutputGrad[rows[i]] = grads[i];
            net.Backward(parameters: false);
            var full = net.InputGrad.ToArray();

            net.OutputGrad.Fill(float.NaN);
            grads.CopyTo(net.OutputGrad);
            var few = net.BackwardInputRows(rows).ToArray();
            Assert.Equal(rows.Length * 4, few.Length);
            for (int i = 0; i < rows.Length; i++)
            {
                for (int j = 0; j < 4; j++) Assert.Equal(full[rows[i] * 4 + j], few[i * 4 + j], 1e-6f);
            }
        }
    }

    [Fact]
    public void Squashed_gaussian_samples_and_gradients_match_autograd()
    {
        manual_seed(3);
        using var actor = new SquashedGaussianActor(3, 2, [8, 8], Activation.ReLU);
        using var flat = new FlatParameters(actor.FusedHeadOrder);
        using (no_grad()) actor.LogStdHead.bias![0].fill_(2.5f); // the first log σ is clamped at 2 for most rows: no gradient there
        using var obs = randn(6, 3);
        using var actionWeights = randn(6, 2);
        const float LogProbWeight = 0.7f;

        // Autograd: loss = Σ v·a + w Σ log π(a|s), a ~ π(s) reparameterised.
        manual_seed(11);
        var (actions, logProbs) = actor.Sample(obs);
        using var loss = (actions * actionWeights).sum() + LogProbWeight * logProbs.sum();
        flat.ZeroGrad();
        loss.backward();
        using var expectedGrads = flat.Gradients.clone();

        // By hand, with the same noise (the same draws from torch's generator).
        DenseLayer[] layers = [.. actor.BodyLayers.Select(l => DenseLayer.Of(flat, l)), DenseLayer.Of(flat, [actor.MeanHead, actor.LogStdHead])];
        using var net = new DenseMlp(layers, Activation.ReLU, 6);
        manual_seed(11);
        var heads = net.Forward(obs).ToArray();
        using var noise = zeros(6, 2).normal_();
        float[] a = new float[12], logp = new float[6], std = new float[12];
        SquashedGaussianActor.SampleFromHeads(heads, noise.data<float>().ToArray(), a, logp, std);
        AssertClose(actions, a);
        AssertClose(logProbs, logp, 1e-4);
        Assert.Contains(heads.Where((_, i) => i % 4 == 2), raw => raw > 2); // the clamp is active somewhere

        using (no_grad()) flat.Gradients.fill_(float.NaN);
        SquashedGaussianActor.SampleBackward(2, heads, noise.data<float>().ToArray(), a, std, actionWeights.data<float>().ToArray(), LogProbWeight, net.OutputGrad);
        net.Backward();
        AssertClose(expectedGrads, flat.Gradients.data<float>().ToArray(), 1e-4);
    }
}
