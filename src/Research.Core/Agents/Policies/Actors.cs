using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Research.Core.Agents.Policies;

/// <summary>
/// SAC's actor (Stable-Baselines3's <c>Actor</c> of <c>SACPolicy</c>): an MLP body, then a mean and a log standard
/// deviation head (clamped to [−20, 2]); actions are tanh(μ + σ ε) in [−1, 1], with the log-probability corrected for
/// the squashing: log π(a|s) = Σ log N(u; μ, σ) − Σ log(1 − tanh(u)² + 1e-6).
/// </summary>
public sealed class SquashedGaussianActor : nn.Module<Tensor, Tensor>
{
    private const double LogStdMin = -20, LogStdMax = 2;
    private static readonly double HalfLogTwoPi = 0.5 * Math.Log(2 * Math.PI);
    private readonly Sequential latent_pi;
    private readonly Linear mu;
    private readonly Linear log_std;

    /// <summary>An actor for <paramref name="actionSize"/>-dimensional actions.</summary>
    public SquashedGaussianActor(int observationSize, int actionSize, IReadOnlyList<int> netArch, Activation activation) : base("SquashedGaussianActor")
    {
        int width = Mlp.OutputWidth(observationSize, netArch);
        latent_pi = Mlp.Create(observationSize, netArch, activation);
        mu = nn.Linear(width, actionSize);
        log_std = nn.Linear(width, actionSize);
        RegisterComponents();
    }

    /// <summary>The body's linear layers, first to last.</summary>
    internal IReadOnlyList<Linear> BodyLayers => [.. latent_pi.children().OfType<Linear>()];

    /// <summary>The mean head.</summary>
    internal Linear MeanHead => mu;

    /// <summary>The log standard deviation head.</summary>
    internal Linear LogStdHead => log_std;

    /// <summary>
    /// The parameters in the order that puts both heads' weights, then both heads' biases, back to back (so a flat buffer
    /// of them holds the heads as one [2 · action, width] layer: see <see cref="DenseLayer"/>).
    /// </summary>
    internal IEnumerable<Parameter> FusedHeadOrder =>
        latent_pi.parameters().Concat([mu.weight, log_std.weight, mu.bias!, log_std.bias!]);

    /// <summary>Samples squashed actions with the reparameterisation trick; returns them and log π(a|s) ([batch, action], [batch]).</summary>
    public (Tensor Actions, Tensor LogProbs) Sample(Tensor observations)
    {
        var latent = latent_pi.call(observations);
        var mean = mu.call(latent);
        var logStd = log_std.call(latent).clamp(LogStdMin, LogStdMax);
        var noise = randn_like(mean);
        var u = mean.add(logStd.exp() * noise, PinnedScalars.One);
        var action = u.tanh();
        var logp = noise.square().mul(PinnedScalars.MinusHalf).sub(logStd).sub(PinnedScalars.HalfLogTwoPi).sum(-1)
            - action.square().negative().add(PinnedScalars.One, PinnedScalars.One).add(PinnedScalars.TanhEpsilon, PinnedScalars.One).log().sum(-1);
        return (action, logp);
    }

    /// <summary>
    /// <see cref="Sample"/> from the heads' raw output (<paramref name="heads"/>: [rows, 2 · action], the means then the
    /// unclamped log standard deviations, as a fused head layer gives them) and standard normal
    /// <paramref name="noise"/> ([rows, action]): writes the actions, log π(a|s) and the standard deviations σ.
    /// </summary>
    internal static void SampleFromHeads(ReadOnlySpan<float> heads, ReadOnlySpan<float> noise, Span<float> actions, Span<float> logProbs, Span<float> std)
    {
        int size = noise.Length / logProbs.Length;
        for (int r = 0; r < logProbs.Length; r++)
        {
            float gaussian = 0, squash = 0;
            for (int j = 0; j < size; j++)
            {
                int i = r * size + j;
                float logStd = Math.Clamp(heads[2 * r * size + size + j], (float)LogStdMin, (float)LogStdMax);
                float sigma = MathF.Exp(logStd), eps = noise[i];
                float a = MathF.Tanh(heads[2 * r * size + j] + sigma * eps);
                actions[i] = a;
                std[i] = sigma;
                gaussian += -0.5f * eps * eps - logStd - (float)HalfLogTwoPi;
                squash += MathF.Log(1 - a * a + 1e-6f);
            }

            logProbs[r] = gaussian - squash;
        }
    }

    /// <summary>
    /// Backpropagates through <see cref="SampleFromHeads"/> (the reparameterisation trick, ε fixed): the gradient with
    /// respect to the heads' raw output of a loss whose gradient is <paramref name="actionGrads"/> with respect to the
    /// actions and <paramref name="logProbGrad"/> with respect to every row's log π. The log standard deviation passes
    /// gradient only inside its clamp range, as <c>clamp</c>'s derivative does.
    /// </summary>
    internal static void SampleBackward(int actionSize, ReadOnlySpan<float> heads, ReadOnlySpan<float> noise, ReadOnlySpan<float> actions, ReadOnlySpan<float> std,
        ReadOnlySpan<float> actionGrads, float logProbGrad, Span<float> headGrads)
    {
        int size = actionSize, rows = actions.Length / size;
        for (int r = 0; r < rows; r++)
        {
            for (int j = 0; j < size; j++)
            {
                int i = r * size + j;
                float a = actions[i], oneMinusA2 = 1 - a * a;
                // log π = Σ (−ε²/2 − log σ − log √(2π)) − Σ log(1 − a² + 1e-6), a = tanh(μ + σ ε), σ = exp(clamp(ℓ)).
                float gradU = (actionGrads[i] + logProbGrad * 2 * a / (oneMinusA2 + 1e-6f)) * oneMinusA2;
                headGrads[2 * r * size + j] = gradU;
                float rawLogStd = heads[2 * r * size + size + j];
                headGrads[2 * r * size + size + j] = rawLogStd >= LogStdMin && rawLogStd <= LogStdMax ? gradU * std[i] * noise[i] - logProbGrad : 0f;
            }
        }
    }

    /// <summary>The deterministic action tanh(μ(s)): [batch, action].</summary>
    public override Tensor forward(Tensor observations) => mu.call(latent_pi.call(observations)).tanh();
}

/// <summary>TD3's and DDPG's actor: an MLP whose tanh output is the action in [−1, 1].</summary>
public sealed class DeterministicActor : nn.Module<Tensor, Tensor>
{
    private readonly Sequential mu;

    /// <summary>An actor for <paramref name="actionSize"/>-dimensional actions.</summary>
    public DeterministicActor(int observationSize, int actionSize, IReadOnlyList<int> netArch, Activation activation) : base("DeterministicActor")
    {
        mu = Mlp.Create(observationSize, netArch, activation, actionSize);
        RegisterComponents();
    }

    /// <summary>μ(s) in [−1, 1]: [batch, action].</summary>
    public override Tensor forward(Tensor observations) => mu.call(observations).tanh();
}
